import Foundation

/// A run of text, marked when it matches the query: Hugging Face's
/// `highlightedTitle` / `highlightedSummary` format.
public struct HighlightSpan: Equatable, Sendable, Codable {
    public var text: String
    public var highlighted: Bool
    public init(text: String, highlighted: Bool) { self.text = text; self.highlighted = highlighted }
}

public enum Highlighter {
    /// Splits `text` into spans, marking each word that starts with one of the
    /// query's words (so "transformer" marks "Transformers"), ignoring case and accents.
    public static func spans(_ text: String, terms: [String]) -> [HighlightSpan] {
        let keys = Set(terms.flatMap { $0.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) }.map { fold(String($0)) }.filter { $0.count >= 2 })
        guard !keys.isEmpty, !text.isEmpty else { return [HighlightSpan(text: text, highlighted: false)] }
        var spans: [HighlightSpan] = []
        func append(_ piece: Substring, _ marked: Bool) {
            if let last = spans.last, last.highlighted == marked { spans[spans.count - 1].text += piece }
            else { spans.append(HighlightSpan(text: String(piece), highlighted: marked)) }
        }
        var index = text.startIndex
        while index < text.endIndex {
            let isWord = text[index].isLetter || text[index].isNumber
            let end = text[index...].firstIndex(where: { ($0.isLetter || $0.isNumber) != isWord }) ?? text.endIndex
            let piece = text[index..<end]
            if isWord {
                let word = fold(String(piece))
                append(piece, keys.contains { word.hasPrefix($0) && word.count <= $0.count + 3 })
            } else {
                append(piece, false)
            }
            index = end
        }
        return spans
    }

    static func fold(_ text: String) -> String { text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) }
}
