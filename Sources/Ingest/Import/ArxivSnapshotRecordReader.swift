import Foundation

/// Reads one arXiv snapshot line straight from its bytes into an
/// `ArxivSnapshotParser.Record`, several times faster than `JSONDecoder`
/// (which was the largest cost of an import once the database writes were
/// batched).
///
/// It accepts only plain records: valid UTF-8, every field it knows at most
/// once and of the expected type, nothing after the object. On anything else
/// it returns nil and the parser decodes the line with `JSONDecoder`, whose
/// errors name the field precisely. So `JSONDecoder` stays the definition of
/// what a line means and how a bad one is reported; this is only a shortcut
/// for the lines it would accept the same way (`ImportTests` checks both agree).
enum ArxivSnapshotRecordReader {
    static func read(_ data: Data) -> ArxivSnapshotParser.Record? {
        let bytes = [UInt8](data)
        // Checked once for the whole line, skipped fields included; strings
        // are then cut at ASCII quotes, so each is valid UTF-8 too.
        guard (try? UTF8Span(validating: bytes.span)) != nil else { return nil }
        var reader = JSONSyntax.Parser(b: bytes)
        return try? reader.snapshotRecord()
    }
}

/// Any surprise in a record: the caller falls back to `JSONDecoder`.
private struct NotPlain: Error {}

private extension JSONSyntax.Parser {
    mutating func snapshotRecord() throws -> ArxivSnapshotParser.Record {
        var id, title, abstract, authors, categories, comments, journalRef, doi, license: String?
        var authorsParsed: [[String]]?
        var versions: [ArxivSnapshotParser.Record.Version]?
        var seen = Set<String>()
        try object { key, parser in
            guard seen.insert(key).inserted else { throw NotPlain() } // a repeated field: JSONDecoder decides
            switch key {
            case "id": id = try parser.plainString()
            case "title": title = try parser.plainString()
            case "abstract": abstract = try parser.plainString()
            case "authors": authors = try parser.optionalString()
            case "categories": categories = try parser.optionalString()
            case "comments": comments = try parser.optionalString()
            case "journal-ref": journalRef = try parser.optionalString()
            case "doi": doi = try parser.optionalString()
            case "license": license = try parser.optionalString()
            case "authors_parsed":
                if try parser.null() { return }
                authorsParsed = try parser.array { parser in try parser.array { parser in try parser.plainString() } }
            case "versions": versions = try parser.array { parser in try parser.version() }
            default: try parser.value(depth: 1)
            }
        }
        skipSpace()
        guard i == b.count, let id, let title, let abstract, let versions else { throw NotPlain() }
        return ArxivSnapshotParser.Record(
            id: id, title: title, abstract: abstract, authors: authors, authorsParsed: authorsParsed,
            versions: versions, categories: categories, comments: comments, journalRef: journalRef,
            doi: doi, license: license)
    }

    mutating func version() throws -> ArxivSnapshotParser.Record.Version {
        var version, created: String?
        var seen = Set<String>()
        try object { key, parser in
            guard seen.insert(key).inserted else { throw NotPlain() }
            switch key {
            case "version": version = try parser.plainString()
            case "created": created = try parser.plainString()
            default: try parser.value(depth: 2)
            }
        }
        guard let version, let created else { throw NotPlain() }
        return ArxivSnapshotParser.Record.Version(version: version, created: created)
    }

    /// An object, handing each field's name to `field`, which reads its value.
    mutating func object(_ field: (String, inout JSONSyntax.Parser) throws -> Void) throws {
        skipSpace()
        guard i < b.count, b[i] == UInt8(ascii: "{") else { throw NotPlain() }
        i += 1
        skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return }
        while true {
            skipSpace()
            let key = try plainString()
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { throw NotPlain() }
            i += 1
            try field(key, &self)
            skipSpace()
            guard i < b.count else { throw NotPlain() }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "}") { i += 1; return }
            throw NotPlain()
        }
    }

    mutating func array<T>(_ element: (inout JSONSyntax.Parser) throws -> T) throws -> [T] {
        skipSpace()
        guard i < b.count, b[i] == UInt8(ascii: "[") else { throw NotPlain() }
        i += 1
        var out: [T] = []
        skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return out }
        while true {
            out.append(try element(&self))
            skipSpace()
            guard i < b.count else { throw NotPlain() }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "]") { i += 1; return out }
            throw NotPlain()
        }
    }

    /// Skips a `null`; false (reading nothing) when the value is something else.
    mutating func null() throws -> Bool {
        skipSpace()
        guard i < b.count, b[i] == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    mutating func optionalString() throws -> String? {
        try null() ? nil : try plainString()
    }

    /// A string: raw control characters, bad escapes and lone surrogates are
    /// `NotPlain`.
    mutating func plainString() throws -> String {
        skipSpace()
        guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw NotPlain() }
        i += 1
        let start = i
        while i < b.count, b[i] != UInt8(ascii: "\""), b[i] != UInt8(ascii: "\\") {
            guard b[i] >= 0x20 else { throw NotPlain() }
            i += 1
        }
        guard i < b.count else { throw NotPlain() }
        if b[i] == UInt8(ascii: "\"") { // no escapes: the common case
            defer { i += 1 }
            return String(decoding: b[start..<i], as: UTF8.self)
        }
        var bytes = Array(b[start..<i])
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: bytes, as: UTF8.self)
            }
            guard c >= 0x20 else { throw NotPlain() }
            guard c == UInt8(ascii: "\\") else { bytes.append(c); i += 1; continue }
            guard i + 1 < b.count else { throw NotPlain() }
            i += 2
            switch b[i - 1] {
            case UInt8(ascii: "\""): bytes.append(0x22)
            case UInt8(ascii: "\\"): bytes.append(0x5C)
            case UInt8(ascii: "/"): bytes.append(0x2F)
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800...0xDBFF).contains(code) { // a surrogate pair: \uD83D\uDE00
                    guard i + 1 < b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") else { throw NotPlain() }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw NotPlain() }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { throw NotPlain() } // a lone low surrogate
                UTF8.encode(scalar) { bytes.append($0) }
            default: throw NotPlain()
            }
        }
        throw NotPlain()
    }

    mutating func hex4() throws -> UInt32 {
        guard i + 4 <= b.count else { throw NotPlain() }
        var code: UInt32 = 0
        for c in b[i..<(i + 4)] {
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default: throw NotPlain()
            }
            code = code << 4 | UInt32(digit)
        }
        i += 4
        return code
    }
}
