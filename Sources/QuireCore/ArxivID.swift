import Foundation

/// An arXiv identifier: new style "2410.17243" (4+4 or 4+5 digits) or old
/// style "hep-th/9901001", with an optional version.
public struct ArxivID: Hashable, Sendable, CustomStringConvertible {
    /// The id without version, which is Quire's paper id.
    public let base: String
    public let version: Int?

    public var description: String { version.map { "\(base)v\($0)" } ?? base }

    /// Parses a bare id ("2410.17243v2", "arXiv:2410.17243", "math.GT/0309136")
    /// or an arXiv / Hugging Face URL (abs, pdf, html; with or without version).
    public static func parse(_ raw: String) -> ArxivID? {
        var text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        for prefix in ["https://", "http://"] where text.lowercased().hasPrefix(prefix) {
            text = String(text.dropFirst(prefix.count))
        }
        for host in ["www.arxiv.org/", "arxiv.org/", "export.arxiv.org/", "huggingface.co/", "hf.co/"]
        where text.lowercased().hasPrefix(host) {
            text = String(text.dropFirst(host.count))
            for path in ["abs/", "pdf/", "html/", "papers/"] where text.hasPrefix(path) {
                text = String(text.dropFirst(path.count))
            }
            if let cut = text.firstIndex(where: { $0 == "?" || $0 == "#" }) { text = String(text[..<cut]) }
            if text.hasSuffix(".pdf") { text = String(text.dropLast(4)) }
            if text.hasSuffix("/") { text = String(text.dropLast()) }
        }
        if text.lowercased().hasPrefix("arxiv:") { text = String(text.dropFirst(6)) }
        return parseBare(text)
    }

    private static func parseBare(_ text: String) -> ArxivID? {
        var body = Substring(text)
        var version: Int?
        if let v = body.lastIndex(of: "v"), let n = Int(body[body.index(after: v)...]), n > 0,
           body[..<v].last?.isNumber == true {
            version = n
            body = body[..<v]
        }
        let s = String(body)
        if isNewStyle(s) || isOldStyle(s) { return ArxivID(base: s, version: version) }
        return nil
    }

    private static func isNewStyle(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, (4...5).contains(parts[1].count),
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else { return false }
        let month = Int(parts[0].suffix(2))!
        return (1...12).contains(month)
    }

    private static func isOldStyle(_ s: String) -> Bool {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].count == 7, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        let archive = parts[0]
        return !archive.isEmpty && archive.allSatisfy { $0.isASCII && ($0.isLetter || $0 == "-" || $0 == ".") }
    }
}
