import Foundation
import Ingest

/// The file importers (`quire import`), fed whole files: JSON-lines formats
/// line by line, the HF daily format element by element, as `Importer` does.
enum ImportTargets {
    static let all = [
        FuzzTarget("import-arxiv-snapshot") { try jsonLines($0, .arxivSnapshot) },
        FuzzTarget("import-hf-daily", hfDaily),
        FuzzTarget("import-seed-lines") { try jsonLines($0, .dailyPapersSeed) },
        FuzzTarget("import-quire-jsonl") { try jsonLines($0, .quire) },
        FuzzTarget("json-array-splitter", jsonArray),
        FuzzTarget("line-reader", lineReader),
    ]

    static func jsonLines(_ bytes: [UInt8], _ format: ImportFormat) throws {
        for line in bytes.split(separator: 0x0A) {
            do {
                let paper = try format.parseRecord(Data(line))
                try check(!paper.id.isEmpty && !paper.title.isEmpty, "\(format): accepted a paper without id or title")
            } catch let error as RecordError {
                try check(!error.reason.isEmpty, "\(format): a rejection without a reason")
            }
        }
    }

    static func hfDaily(_ bytes: [UInt8]) throws {
        guard let elements = try? JSONArraySplitter.split(Data(bytes)) else { return }
        for element in elements where !element.truncated {
            do { _ = try ImportFormat.hfDaily.parseRecord(element.bytes) } catch is RecordError {}
        }
    }

    /// The splitter must cut the array into pieces of the input, in order,
    /// starting on the lines it says, and stop.
    static func jsonArray(_ bytes: [UInt8]) throws {
        let elements: [JSONArraySplitter.Element]
        do { elements = try JSONArraySplitter.split(Data(bytes)) } catch let error as RecordError {
            try check(!error.reason.isEmpty, "a rejection without a reason")
            return
        }
        var total = 0
        for element in elements {
            try check(!element.bytes.isEmpty, "an empty element on line \(element.line)")
            try check(element.line >= 1, "element on line \(element.line)")
            total += element.bytes.count
        }
        try check(total <= bytes.count, "elements add up to \(total) bytes out of \(bytes.count)")
        try check(elements.dropLast().allSatisfy { !$0.truncated }, "a truncated element before the last")
    }

    /// The first byte picks the buffer size and line limit, so the fuzzer
    /// reaches lines that straddle reads and lines that are too long; the
    /// lines read back must be the file's own, in order, one per newline.
    static func lineReader(_ input: [UInt8]) throws {
        guard let first = input.first else { return }
        let bytes = Array(input.dropFirst())
        let chunkSize = Int(first & 0x0F) + 1
        let maxLineLength = Int(first >> 4) * 4 + 1
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("quire-fuzz-lines-\(getpid()).txt")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let reader = try LineReader(url: url, chunkSize: chunkSize, maxLineLength: maxLineLength)

        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        var expected = body.split(separator: 0x0A, omittingEmptySubsequences: false)
        if expected.last?.isEmpty == true { expected.removeLast() } // a final newline ends the last line
        var number = 0
        while let line = try reader.next() {
            try check(number < expected.count, "line \(line.number) read from a file of \(expected.count) lines")
            number += 1
            try check(line.number == number, "line numbered \(line.number), expected \(number)")
            var want = expected[number - 1]
            if want.last == 0x0D { want = want.dropLast() }
            if line.tooLong {
                try check(line.bytes.isEmpty, "a too-long line kept its bytes")
                try check(expected[number - 1].count > maxLineLength, "line \(number) of \(want.count) bytes called too long")
            } else {
                try check(line.bytes.elementsEqual(want), "line \(number) reads \(Array(line.bytes)), the file has \(Array(want))")
            }
        }
        try check(number == expected.count, "read \(number) lines of \(expected.count)")
    }
}
