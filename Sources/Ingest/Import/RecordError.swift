import Foundation

/// Why one record (a line, or an element of a JSON array) was rejected. The
/// reason is a sentence fit to show after "FILE:LINE: ".
public struct RecordError: Error, Equatable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Decodes one JSON record and turns the decoder's errors into precise,
/// human reasons ("missing field `title`", "field `upvotes`: expected an
/// integer, found a string", "truncated JSON: ...").
struct RecordDecoder {
    private let decoder = JSONDecoder()

    func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try decoder.decode(type, from: data)
        } catch let error as DecodingError {
            throw RecordError(RecordDecoder.describe(error, data: data))
        } catch {
            throw RecordError(JSONSyntax.check(data) ?? "invalid JSON")
        }
    }

    static func describe(_ error: DecodingError, data: Data) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field `\(path(context.codingPath + [key]))`"
        case .valueNotFound(let type, let context):
            if context.codingPath.isEmpty { return "expected \(name(type)), found null" }
            return "field `\(path(context.codingPath))` is null, expected \(name(type))"
        case .typeMismatch(let type, let context):
            let found = foundKind(context.debugDescription).map { ", found \($0)" } ?? ""
            if context.codingPath.isEmpty { return "expected \(name(type))\(found)" }
            return "field `\(path(context.codingPath))`: expected \(name(type))\(found)"
        case .dataCorrupted(let context):
            if String(data: data, encoding: .utf8) == nil { return "the record is not valid UTF-8" }
            if let syntax = JSONSyntax.check(data) { return syntax }
            if context.codingPath.isEmpty { return "unreadable record: \(context.debugDescription)" }
            return "field `\(path(context.codingPath))`: \(context.debugDescription)"
        @unknown default:
            return "unreadable record: \(error)"
        }
    }

    static func path(_ keys: [CodingKey]) -> String {
        var out = ""
        for key in keys {
            if let index = key.intValue { out += "[\(index)]" } else { out += (out.isEmpty ? "" : ".") + key.stringValue }
        }
        return out
    }

    static func name(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type: return "an integer"
        case is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        default:
            let text = String(describing: type)
            if text.hasPrefix("Array") || text.hasPrefix("[") { return "an array" }
            return "an object"
        }
    }

    /// "Expected to decode String but found number instead." → "a number".
    static func foundKind(_ debug: String) -> String? {
        guard let range = debug.range(of: "but found ") else { return nil }
        var rest = debug[range.upperBound...]
        if let end = rest.range(of: " instead") { rest = rest[..<end.lowerBound] }
        var kind = String(rest)
        if !(kind.hasPrefix("a ") || kind.hasPrefix("an ")) {
            kind = (kind.first.map { "aeiou".contains($0) } ?? false ? "an " : "a ") + kind
        }
        if kind == "a dictionary" { kind = "an object" }
        return kind
    }
}

/// A JSON syntax checker that only explains what is wrong, with a column:
/// used when the decoder has said no more than "not valid JSON".
enum JSONSyntax {
    /// nil when `data` is one well-formed JSON value, else the reason.
    static func check(_ data: Data) -> String? {
        let bytes = [UInt8](data)
        var p = Parser(b: bytes)
        do {
            p.skipSpace()
            if p.i >= bytes.count { return "empty record" }
            try p.value(depth: 0)
            p.skipSpace()
            if p.i < bytes.count { throw p.fail("unexpected \(p.show(p.i)) after the end of the record") }
            return nil
        } catch let e as RecordError {
            return e.reason
        } catch {
            return "invalid JSON"
        }
    }

    struct Parser {
        let b: [UInt8]
        var i = 0

        func show(_ k: Int) -> String {
            guard k < b.count else { return "end of line" }
            let scalar = Unicode.Scalar(b[k])
            return b[k] < 0x80 ? "'\(Character(scalar))'" : "byte 0x\(String(b[k], radix: 16))"
        }

        func fail(_ what: String) -> RecordError {
            RecordError("invalid JSON at column \(i + 1): \(what)")
        }

        func truncated(_ inside: String) -> RecordError {
            RecordError("truncated JSON: the record ends inside \(inside) (column \(b.count + 1))")
        }

        mutating func skipSpace() {
            while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
        }

        mutating func value(depth: Int) throws {
            guard depth < 512 else { throw fail("nested too deeply") }
            skipSpace()
            guard i < b.count else { throw truncated(depth == 0 ? "a value" : "an object or array") }
            switch b[i] {
            case UInt8(ascii: "{"): try object(depth: depth)
            case UInt8(ascii: "["): try array(depth: depth)
            case UInt8(ascii: "\""): try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
            default: throw fail("unexpected \(show(i))")
            }
        }

        mutating func object(depth: Int) throws {
            i += 1
            skipSpace()
            if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return }
            while true {
                skipSpace()
                guard i < b.count else { throw truncated("an object") }
                guard b[i] == UInt8(ascii: "\"") else { throw fail("expected a field name in quotes, found \(show(i))") }
                try string()
                skipSpace()
                guard i < b.count else { throw truncated("an object") }
                guard b[i] == UInt8(ascii: ":") else { throw fail("expected ':' after a field name, found \(show(i))") }
                i += 1
                try value(depth: depth + 1)
                skipSpace()
                guard i < b.count else { throw truncated("an object") }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "}") { i += 1; return }
                throw fail("expected ',' or '}' in an object, found \(show(i))")
            }
        }

        mutating func array(depth: Int) throws {
            i += 1
            skipSpace()
            if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return }
            while true {
                try value(depth: depth + 1)
                skipSpace()
                guard i < b.count else { throw truncated("an array") }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "]") { i += 1; return }
                throw fail("expected ',' or ']' in an array, found \(show(i))")
            }
        }

        mutating func string() throws {
            i += 1
            while i < b.count {
                let c = b[i]
                if c == UInt8(ascii: "\"") { i += 1; return }
                if c == UInt8(ascii: "\\") {
                    guard i + 1 < b.count else { break }
                    let e = b[i + 1]
                    if e == UInt8(ascii: "u") {
                        guard i + 5 < b.count else { break }
                        guard b[(i + 2)...(i + 5)].allSatisfy({ isHex($0) }) else { throw fail("bad \\u escape in a string") }
                        i += 6; continue
                    }
                    guard "\"\\/bfnrt".utf8.contains(e) else { i += 1; throw fail("bad escape \\\(show(i)) in a string") }
                    i += 2; continue
                }
                if c < 0x20 { throw fail("control character in a string") }
                i += 1
            }
            throw truncated("a string")
        }

        func isHex(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
        }

        mutating func literal(_ word: String) throws {
            for (k, c) in word.utf8.enumerated() {
                guard i + k < b.count else { throw truncated("the literal \(word)") }
                guard b[i + k] == c else { throw fail("unexpected \(show(i))") }
            }
            i += word.utf8.count
        }

        mutating func number() throws {
            let start = i
            if b[i] == UInt8(ascii: "-") { i += 1 }
            func digits(_ p: inout Parser) -> Int {
                var n = 0
                while p.i < p.b.count, p.b[p.i] >= 0x30, p.b[p.i] <= 0x39 { p.i += 1; n += 1 }
                return n
            }
            guard digits(&self) > 0 else { throw fail("malformed number") }
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                guard digits(&self) > 0 else { throw fail("malformed number") }
            }
            if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
                i += 1
                if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
                guard digits(&self) > 0 else { throw fail("malformed number") }
            }
            _ = start
        }
    }
}
