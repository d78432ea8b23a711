import Foundation

/// Reads a BibTeX file a reader uploads ("my own papers") far enough to find
/// each entry's arXiv id: in `eprint` (when `archivePrefix` is arXiv or
/// absent), `arxiv`/`arxivid`, a DOI `10.48550/arXiv.ID`, or an arXiv address
/// or "arXiv:ID" in `url`, `note`, `howpublished` or `journal` (Google
/// Scholar writes "arXiv preprint arXiv:1706.03762" there). Field values are
/// kept raw (braces and all): only ids are looked for in them. Malformed
/// input ends in a `BibTeXReadError` that names the line and column.
public enum BibTeXReader {
    /// More than anyone's publication list; bounds what one upload can cost.
    public static let maxEntries = 5_000

    public struct Reference: Sendable, Equatable {
        /// The entry's citation key ("vaswani2017attention").
        public var key: String
        /// Where the entry starts, for messages.
        public var line: Int
        public var arxivID: ArxivID?
        /// The `title` field without braces, when there is one.
        public var title: String?
    }

    public static func references(in text: String) throws(BibTeXReadError) -> [Reference] {
        var reader = Scanner(bytes: Array(text.utf8))
        var references: [Reference] = []
        while let type = try reader.nextEntryType() {
            switch type {
            case "comment", "preamble", "string":
                try reader.skipBody()
            default:
                guard references.count < maxEntries else {
                    throw reader.error("more than \(maxEntries) entries: upload your own papers only")
                }
                let entry = try reader.entry()
                references.append(Reference(key: entry.key, line: entry.line, arxivID: arxivID(entry.fields),
                                            title: entry.fields["title"].map(plain).flatMap { $0.isEmpty ? nil : $0 }))
            }
        }
        return references
    }

    /// The first arXiv id the fields give, by the order of the type comment.
    static func arxivID(_ fields: [String: String]) -> ArxivID? {
        let prefix = fields["archiveprefix"].map(plain)?.lowercased()
        if prefix == nil || prefix == "arxiv", let eprint = fields["eprint"].map(plain), let id = ArxivID.parse(eprint) { return id }
        for name in ["arxiv", "arxivid"] {
            if let value = fields[name].map(plain), let id = ArxivID.parse(value) { return id }
        }
        for name in ["doi", "url", "note", "howpublished", "journal", "eprint"] {
            if let value = fields[name], let id = find(in: value) { return id }
        }
        return nil
    }

    /// An arXiv id written inside other text: after "10.48550/arXiv.",
    /// "arxiv.org/abs/" (or /pdf/) or "arXiv:".
    static func find(in value: String) -> ArxivID? {
        for marker in ["10.48550/arxiv.", "arxiv.org/abs/", "arxiv.org/pdf/", "arxiv:"] {
            var searchFrom = value.startIndex
            while let found = value.range(of: marker, options: .caseInsensitive, range: searchFrom..<value.endIndex) {
                let token = value[found.upperBound...].prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "/" || $0 == "-") }
                // A sentence's full stop after the id is not part of it.
                let trimmed = token.hasSuffix(".") ? token.dropLast() : token
                if let id = ArxivID.parse(String(trimmed)) { return id }
                searchFrom = found.upperBound
            }
        }
        return nil
    }

    /// A value without BibTeX's braces and with its white space made single.
    static func plain(_ value: String) -> String {
        value.filter { $0 != "{" && $0 != "}" }.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Walks the bytes; every syntax character of BibTeX is ASCII.
    struct Scanner {
        let bytes: [UInt8]
        var position = 0
        var line = 1
        var lineStart = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        func error(_ message: String) -> BibTeXReadError {
            BibTeXReadError(line: line, column: position - lineStart + 1, message: message)
        }

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func advance() {
            if bytes[position] == UInt8(ascii: "\n") { line += 1; lineStart = position + 1 }
            position += 1
        }

        mutating func skipSpace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { advance() }
        }

        static func isNameByte(_ byte: UInt8) -> Bool {
            // Letters, digits and the punctuation BibTeX allows in names and keys.
            byte >= 0x80 || (byte > 0x20 && !"{}()\",=#%@".utf8.contains(byte) && byte != 0x7F)
        }

        mutating func name() -> String {
            let start = position
            while let byte = current, Self.isNameByte(byte) { advance() }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }

        /// Skips text between entries (BibTeX ignores it) up to the next
        /// `@type`, and returns the type in lower case; nil at the end.
        mutating func nextEntryType() throws(BibTeXReadError) -> String? {
            while let byte = current, byte != UInt8(ascii: "@") { advance() }
            guard current != nil else { return nil }
            advance()
            skipSpace()
            let type = name().lowercased()
            guard !type.isEmpty, type.utf8.allSatisfy({ $0 < 0x80 && (Character(Unicode.Scalar($0)).isLetter) }) else {
                throw error("expected an entry type after '@' (such as @article)")
            }
            return type
        }

        /// The opening brace or parenthesis of a body, and its closing match.
        mutating func open() throws(BibTeXReadError) -> UInt8 {
            skipSpace()
            switch current {
            case UInt8(ascii: "{"): advance(); return UInt8(ascii: "}")
            case UInt8(ascii: "("): advance(); return UInt8(ascii: ")")
            default: throw error("expected '{' or '(' to open the entry")
            }
        }

        /// @comment, @preamble, @string: skipped whole (string macros stay unresolved).
        mutating func skipBody() throws(BibTeXReadError) {
            let startLine = line
            let close = try open()
            var depth = 0
            while let byte = current {
                advance()
                if byte == UInt8(ascii: "{") { depth += 1 }
                else if byte == UInt8(ascii: "}") && depth > 0 { depth -= 1 }
                else if byte == close && depth == 0 { return }
            }
            throw error("the entry opened on line \(startLine) is never closed")
        }

        mutating func entry() throws(BibTeXReadError) -> (key: String, line: Int, fields: [String: String]) {
            let startLine = line
            let close = try open()
            skipSpace()
            let key = name()
            guard !key.isEmpty else { throw error("expected the entry's citation key") }
            var fields: [String: String] = [:]
            while true {
                skipSpace()
                guard let byte = current else { throw error("the entry “\(key)” opened on line \(startLine) is never closed") }
                if byte == close { advance(); return (key, startLine, fields) }
                guard byte == UInt8(ascii: ",") else {
                    throw error("expected ',' or the end of entry “\(key)”, found '\(Self.shown(byte))'")
                }
                advance()
                skipSpace()
                if current == close { continue } // a trailing comma
                let field = name().lowercased()
                guard !field.isEmpty else {
                    throw error(current.map { "expected a field name in entry “\(key)”, found '\(Self.shown($0))'" }
                                ?? "the entry “\(key)” opened on line \(startLine) is never closed")
                }
                skipSpace()
                guard current == UInt8(ascii: "=") else { throw error("expected '=' after the field name '\(field)'") }
                advance()
                fields[field] = try value(field: field)
            }
        }

        /// A field's value: parts in braces, in quotes, numbers or macro
        /// names, joined by '#'. Kept with its inner braces.
        mutating func value(field: String) throws(BibTeXReadError) -> String {
            var parts: [String] = []
            while true {
                skipSpace()
                let opening = error("the value of '\(field)' is never closed (a '{' or '\"' without its match)")
                switch current {
                case UInt8(ascii: "{"):
                    advance()
                    parts.append(try delimited(until: UInt8(ascii: "}"), field: field, unclosed: opening))
                case UInt8(ascii: "\""):
                    advance()
                    parts.append(try delimited(until: UInt8(ascii: "\""), field: field, unclosed: opening))
                case let byte? where Self.isNameByte(byte):
                    parts.append(name())
                case let byte?:
                    throw error("expected the value of '\(field)', found '\(Self.shown(byte))'")
                case nil:
                    throw error("the file ends where the value of '\(field)' should be")
                }
                skipSpace()
                guard current == UInt8(ascii: "#") else { return parts.joined() }
                advance()
            }
        }

        /// Up to the closing delimiter at brace depth 0 (braces inside must
        /// balance); `unclosed`, which points at the opening, if there is none.
        mutating func delimited(until close: UInt8, field: String, unclosed: BibTeXReadError) throws(BibTeXReadError) -> String {
            let start = position
            var depth = 0
            while let byte = current {
                if byte == close && depth == 0 {
                    let text = String(decoding: bytes[start..<position], as: UTF8.self)
                    advance()
                    return text
                }
                if byte == UInt8(ascii: "{") { depth += 1 }
                if byte == UInt8(ascii: "}") {
                    guard depth > 0 else { throw error("a '}' closes nothing in the value of '\(field)'") }
                    depth -= 1
                }
                advance()
            }
            throw unclosed
        }

        static func shown(_ byte: UInt8) -> String {
            (0x21..<0x7F).contains(byte) ? String(Character(Unicode.Scalar(byte))) : String(format: "\\x%02X", byte)
        }
    }
}

/// Where and why a BibTeX file could not be read.
public struct BibTeXReadError: Error, Equatable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let message: String
    public var description: String { "line \(line), column \(column): \(message)" }
}
