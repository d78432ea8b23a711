import Foundation

/// Cuts a top-level JSON array into its elements without decoding them, so
/// each element can be parsed (and rejected) on its own and reported with the
/// line it starts on. A truncated last element is returned with `truncated`.
public enum JSONArraySplitter {
    public struct Element {
        public let line: Int
        public let bytes: Data
        public let truncated: Bool
    }

    public static func split(_ data: Data) throws -> [Element] {
        let b = [UInt8](data)
        var i = 0
        var line = 1
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        func skipSpace() {
            while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D {
                if b[i] == 0x0A { line += 1 }
                i += 1
            }
        }
        skipSpace()
        guard i < b.count else { throw RecordError("the file is empty") }
        guard b[i] == UInt8(ascii: "[") else {
            throw RecordError("line \(line) starts with '\(Character(Unicode.Scalar(b[i])))', expected '['")
        }
        i += 1
        var elements: [Element] = []
        while true {
            skipSpace()
            guard i < b.count else {
                if elements.isEmpty { throw RecordError("the array is never closed") }
                return elements // a missing final "]" after complete elements
            }
            if b[i] == UInt8(ascii: "]") { return elements }
            if b[i] == UInt8(ascii: ",") { i += 1; continue } // tolerate stray commas
            let start = i, startLine = line
            var depth = 0
            var inString = false
            var done = false
            while i < b.count {
                let c = b[i]
                if c == 0x0A { line += 1 }
                if inString {
                    if c == UInt8(ascii: "\\") { i += 2; continue }
                    if c == UInt8(ascii: "\"") { inString = false }
                } else {
                    switch c {
                    case UInt8(ascii: "\""): inString = true
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        if depth == 0 { done = true } else { depth -= 1 }
                    case UInt8(ascii: ","):
                        if depth == 0 { done = true }
                    default: break
                    }
                    if done { break }
                }
                i += 1
            }
            // A closing bracket where an element should start (`[}]`, `[1}]`)
            // would be cut as an empty element again and again: refuse it.
            if done, i == start {
                throw RecordError("line \(line): unexpected '\(Character(Unicode.Scalar(b[i])))' where an element should start")
            }
            let end = min(i, b.count)
            elements.append(Element(line: startLine, bytes: Data(b[start..<end]), truncated: !done))
            if !done { return elements }
        }
    }
}
