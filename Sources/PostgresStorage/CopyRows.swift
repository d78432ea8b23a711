import Foundation
import Logging
import NIOCore
import PostgresNIO

/// Rows in the text format of `COPY … FROM STDIN`, written straight into the
/// bytes sent to the server: columns split by tabs, rows ended by newlines,
/// `\N` for NULL, and a backslash before the backslashes, tabs, newlines and
/// carriage returns inside a value (the only bytes the format reserves).
///
/// Why COPY rather than binds: a batch of 5,000 papers was one JSON document
/// made by `JSONSerialization` (boxing every value) or one array bind per
/// column; COPY rows cost the client a byte copy per value and the server
/// its fastest way in.
struct CopyRows {
    private(set) var buffer: ByteBuffer
    private var rowStarted = false
    /// Rows ended so far.
    private(set) var count = 0

    init(capacity: Int = 1 << 16) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    mutating func text(_ value: String?) {
        separate()
        guard var value else { buffer.writeStaticString("\\N"); return }
        value.withUTF8 { bytes in
            var start = 0
            for (i, byte) in bytes.enumerated() {
                let escaped: UInt8
                switch byte {
                case 0x5C: escaped = 0x5C // \\
                case 0x09: escaped = UInt8(ascii: "t")
                case 0x0A: escaped = UInt8(ascii: "n")
                case 0x0D: escaped = UInt8(ascii: "r")
                default: continue
                }
                buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<i])))
                buffer.writeInteger(UInt8(0x5C))
                buffer.writeInteger(escaped)
                start = i + 1
            }
            buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start...])))
        }
    }

    mutating func int(_ value: Int?) {
        separate()
        guard let value else { buffer.writeStaticString("\\N"); return }
        buffer.writeString(String(value))
    }

    mutating func bool(_ value: Bool) {
        separate()
        buffer.writeInteger(value ? UInt8(ascii: "t") : UInt8(ascii: "f"))
    }

    /// An instant as seconds since 1970, for a `double precision` column the
    /// statement turns into a timestamp (`to_timestamp`): no conversion to an
    /// integer that a date from outside could overflow.
    mutating func seconds(_ value: Date?) {
        separate()
        guard let value else { buffer.writeStaticString("\\N"); return }
        buffer.writeString(String(value.timeIntervalSince1970))
    }

    mutating func endRow() {
        buffer.writeInteger(UInt8(ascii: "\n"))
        rowStarted = false
        count += 1
    }

    private mutating func separate() {
        if rowStarted { buffer.writeInteger(UInt8(ascii: "\t")) }
        rowStarted = true
    }
}

extension PostgresConnection {
    /// `rows` into `table` (a name of ours, never text from outside) with one `COPY … FROM STDIN`.
    func copy(_ rows: CopyRows, into table: String, columns: [String], _ logger: Logger) async throws {
        guard rows.count > 0 else { return }
        try await copyFrom(table: table, columns: columns, logger: logger) { writer in
            // In pieces of a megabyte, so the server parses while the rest is on its way.
            var remaining = rows.buffer
            while remaining.readableBytes > 0, let piece = remaining.readSlice(length: min(remaining.readableBytes, 1 << 20)) {
                try await writer.write(piece)
            }
        }
    }
}
