import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file one line at a time through a fixed-size buffer, so a 4 GB
/// snapshot costs no more memory than its longest line. Lines end with "\n"
/// (a "\r" before it is dropped); the last line needs no newline; a UTF-8
/// byte-order mark at the start is skipped.
public final class LineReader {
    public struct Line {
        /// 1-based line number in the file.
        public let number: Int
        /// The line's bytes without the line ending; empty when `tooLong`.
        public let bytes: Data
        /// The line was longer than `maxLineLength` and was skipped.
        public let tooLong: Bool
        /// The bytes were cut off by the end of the file (no final newline).
        public let atEndOfFile: Bool
    }

    public let maxLineLength: Int
    /// Bytes consumed from the file so far.
    public private(set) var bytesRead: Int = 0

    private let handle: FileHandle
    private let chunkSize: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var eof = false
    private var lineNumber = 0
    /// The file's first bytes while fewer than three have been read; nil after.
    private var head: [UInt8]? = []

    public init(url: URL, chunkSize: Int = 1 << 20, maxLineLength: Int = 64 << 20) throws {
        self.handle = try FileHandle(forReadingFrom: url)
        self.chunkSize = chunkSize
        self.maxLineLength = maxLineLength
        buffer.reserveCapacity(chunkSize * 2)
    }

    deinit { try? handle.close() }

    /// The next line, or nil at the end of the file.
    public func next() throws -> Line? {
        var skipping = false // inside a line that is too long
        var searchFrom = start
        while true {
            if let nl = newline(from: searchFrom) {
                lineNumber += 1
                let lineStart = start
                start = nl + 1
                if skipping { return Line(number: lineNumber, bytes: Data(), tooLong: true, atEndOfFile: false) }
                return Line(number: lineNumber, bytes: slice(lineStart, nl), tooLong: false, atEndOfFile: false)
            }
            if eof {
                guard start < buffer.count || skipping else { return nil }
                lineNumber += 1
                let lineStart = start
                start = buffer.count
                if skipping { return Line(number: lineNumber, bytes: Data(), tooLong: true, atEndOfFile: true) }
                return Line(number: lineNumber, bytes: slice(lineStart, buffer.count), tooLong: false, atEndOfFile: true)
            }
            if skipping || buffer.count - start > maxLineLength {
                skipping = true
                start = buffer.count
            }
            // Keep the unfinished line, read more behind it.
            let kept = buffer.count - start
            if start > 0 {
                buffer.removeSubrange(0..<start)
                start = 0
            }
            searchFrom = kept
            try fill()
        }
    }

    private func fill() throws {
        let chunk = try handle.read(upToCount: chunkSize) ?? Data()
        bytesRead += chunk.count
        // The file's first three bytes are held back until it is known
        // whether they are a byte-order mark: a read may return fewer.
        if var first = head {
            first.append(contentsOf: chunk)
            if first.count < 3, !chunk.isEmpty { head = first; return }
            head = nil
            buffer.append(contentsOf: first.starts(with: [0xEF, 0xBB, 0xBF]) ? first.dropFirst(3) : first[...])
            if chunk.isEmpty { eof = true }
            return
        }
        if chunk.isEmpty { eof = true; return }
        buffer.append(contentsOf: chunk)
    }

    private func newline(from: Int) -> Int? {
        guard from < buffer.count else { return nil }
        return buffer.withUnsafeBufferPointer { p -> Int? in
            guard let base = p.baseAddress,
                  let hit = memchr(base + from, 0x0A, p.count - from) else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
    }

    private func slice(_ from: Int, _ to: Int) -> Data {
        var end = to
        if end > from, buffer[end - 1] == 0x0D { end -= 1 }
        return buffer.withUnsafeBufferPointer { Data(buffer: UnsafeBufferPointer(rebasing: $0[from..<end])) }
    }
}
