import Foundation

/// A run of text, marked when it matches the query: Hugging Face's
/// `highlightedTitle` / `highlightedSummary` format.
public struct HighlightSpan: Equatable, Sendable, Codable {
    public var text: String
    public var highlighted: Bool
    public init(text: String, highlighted: Bool) { self.text = text; self.highlighted = highlighted }
}

public enum Highlighter {
    /// Splits `text` into spans, marking each word the keyword index would
    /// match to one of the query's words: the same stem, whatever the case
    /// and accents ("transformer" marks "Transformers", "Balazs" marks
    /// "Balázs", "with" does not mark "without").
    /// Walks Unicode scalars rather than Characters: 20 abstracts are marked per
    /// search, and grapheme breaking made that several milliseconds.
    public static func spans(_ text: String, terms: [String]) -> [HighlightSpan] {
        // Single letters would mark every "a".
        let keys = Set(terms.flatMap { KeywordTokenizer.tokens($0) }.filter { $0.utf8.count >= 2 })
        guard !keys.isEmpty, !text.isEmpty else { return [HighlightSpan(text: text, highlighted: false)] }
        let scalars = text.unicodeScalars
        func matches(_ word: Substring) -> Bool {
            var found = false
            KeywordTokenizer.forEachToken(String(word)) { token in
                if !found, keys.contains(String(decoding: token, as: UTF8.self)) { found = true }
            }
            return found
        }
        var spans: [HighlightSpan] = []
        var spanStart = scalars.startIndex, spanMarked = false
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let isWord = isWordPart(scalars[index])
            var end = scalars.index(after: index)
            while end < scalars.endIndex, isWordPart(scalars[end]) == isWord { end = scalars.index(after: end) }
            let marked = isWord && matches(Substring(scalars[index..<end]))
            if marked != spanMarked {
                if index > spanStart { spans.append(HighlightSpan(text: String(Substring(scalars[spanStart..<index])), highlighted: spanMarked)) }
                spanStart = index
                spanMarked = marked
            }
            index = end
        }
        spans.append(HighlightSpan(text: String(Substring(scalars[spanStart...])), highlighted: spanMarked))
        return spans
    }

    /// Letters, digits and the marks that combine with them ("é" written as e + ◌́).
    static func isWordPart(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let value = scalar.value, lower = value | 0x20
            return (0x30...0x39).contains(value) || (0x61...0x7A).contains(lower)
        }
        let properties = scalar.properties
        if properties.isAlphabetic || properties.numericType != nil { return true }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }
}
