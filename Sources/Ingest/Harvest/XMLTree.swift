import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A small element tree built with XMLParser: enough for Atom and OAI-PMH
/// documents of a few hundred kilobytes. Names are local names (the namespace
/// prefix is dropped: `arxiv:comment` is `comment`).
final class XMLTree {
    let name: String
    let qualifiedName: String
    let attributes: [String: String]
    var children: [XMLTree] = []
    var text = ""

    init(name: String, qualifiedName: String, attributes: [String: String]) {
        self.name = name; self.qualifiedName = qualifiedName; self.attributes = attributes
    }

    func first(_ name: String) -> XMLTree? { children.first { $0.name == name } }
    func all(_ name: String) -> [XMLTree] { children.filter { $0.name == name } }
    /// Text of the first child with that name, nil when absent or blank.
    func value(_ name: String) -> String? {
        guard let t = first(name)?.text.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
        return t
    }

    /// Parses a whole document; throws with the parser's line and reason when
    /// it is not well-formed (a truncated response, an HTML error page...).
    static func parse(_ data: Data, url: URL) throws -> XMLTree {
        // Foundation's XMLParser on Linux traps on an element name that is not
        // UTF-8 (found by fuzzing: `<r\u{E2}esponseDate>`), so bytes that are
        // not UTF-8 never reach it. arXiv and OAI-PMH answer in UTF-8 only.
        if let offset = firstInvalidUTF8(data) {
            throw HarvestError.malformed(url: url, reason: "not UTF-8 text: byte \(offset) starts no UTF-8 character")
        }
        // It also reads the data of a processing instruction through a null
        // pointer when there is none (`<?name?>`, found by fuzzing).
        if let offset = emptyProcessingInstruction(data) {
            throw HarvestError.malformed(url: url, reason: "a processing instruction without data at byte \(offset)")
        }
        let builder = Builder()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        let ok = parser.parse()
        if !ok || builder.root == nil || !builder.stack.isEmpty {
            let reason: String
            if let error = parser.parserError ?? builder.error {
                reason = "XML error at line \(parser.lineNumber): \((error as NSError).localizedDescription)"
            } else if builder.root == nil {
                reason = data.isEmpty ? "empty body" : "no XML document element"
            } else {
                reason = "XML document ends before </\(builder.stack.last!.qualifiedName)> (truncated)"
            }
            throw HarvestError.malformed(url: url, reason: reason)
        }
        return builder.root!
    }

    /// The offset of the first byte that is not part of a UTF-8 character, or nil.
    static func firstInvalidUTF8(_ data: Data) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var bytes = data.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &bytes) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// The offset of the first `<?name?>`: a processing instruction with
    /// nothing after its name. Also matched inside comments and CDATA, where
    /// refusing a page that says it is the safe mistake.
    static func emptyProcessingInstruction(_ data: Data) -> Int? {
        let b = [UInt8](data)
        var i = 0
        while i + 1 < b.count {
            if b[i] == UInt8(ascii: "<"), b[i + 1] == UInt8(ascii: "?") {
                var k = i + 2
                while k < b.count, b[k] != UInt8(ascii: "?"), b[k] > 0x20 { k += 1 } // the name
                if k + 1 < b.count, b[k] == UInt8(ascii: "?"), b[k + 1] == UInt8(ascii: ">") { return i }
            }
            i += 1
        }
        return nil
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: XMLTree?
        var stack: [XMLTree] = []
        var error: Error?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
            var attributes: [String: String] = [:]
            for (k, v) in attributeDict { attributes[k.split(separator: ":").last.map(String.init) ?? k] = v }
            let element = XMLTree(name: local, qualifiedName: elementName, attributes: attributes)
            if let parent = stack.last { parent.children.append(element) } else if root == nil { root = element }
            stack.append(element)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            _ = stack.popLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            stack.last?.text += String(decoding: CDATABlock, as: UTF8.self)
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
            if error == nil { error = parseError }
        }
    }
}
