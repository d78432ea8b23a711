import Foundation
import QuireCore

/// A search as the reader wrote it, taken apart:
/// `diffusion "image editing" -video author:rombach cat:cs.CV org:google after:2024-01-01 before:2025-01-01`.
/// An operator's value ends at a space: a name of several words is quoted
/// (`author:"Zesen Cheng"`) or joined by underscores (`author:Zesen_Cheng`);
/// in `author:Zesen Cheng`, "Cheng" is a word of the query.
public struct SearchQuery: Equatable, Sendable {
    /// Free words, in order, for both keyword and semantic matching.
    public var words: [String] = []
    /// Quoted phrases: each must appear as written (keyword index).
    public var phrases: [String] = []
    /// `-word` / `-"a phrase"`: papers containing it are dropped.
    public var excluded: [String] = []
    public var filters = SearchFilters()
    /// Set when the whole query is an arXiv id or an arXiv / Hugging Face link.
    public var arxivID: ArxivID?

    /// The text to embed and to rank by: words and phrases, without operators.
    public var text: String { (phrases + words).joined(separator: " ") }

    public init() {}

    /// Text taken as words only, with no operators: for benchmark queries and
    /// the batch form of `quire search`.
    public static func plainText(_ text: String) -> SearchQuery {
        var query = SearchQuery()
        query.words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        return query
    }

    public var hasTerms: Bool { !words.isEmpty || !phrases.isEmpty }
    public var isEmpty: Bool { !hasTerms && filters.isEmpty && arxivID == nil }
}

/// Restrictions that apply whatever the ranking: also the API's parameters.
public struct SearchFilters: Equatable, Sendable {
    public var author: String?
    public var category: String?
    /// `category=` on the search page and API: papers in any of these (a
    /// `cat:` in the query narrows them further).
    public var categories: CategorySelection = .everything
    public var organization: String?
    /// Inclusive bounds on the day a paper is listed under.
    public var after: Day?
    public var before: Day?

    public init(author: String? = nil, category: String? = nil, organization: String? = nil, after: Day? = nil, before: Day? = nil) {
        self.author = author; self.category = category; self.organization = organization; self.after = after; self.before = before
    }

    public var isEmpty: Bool {
        author == nil && category == nil && categories.isEverything && organization == nil && after == nil && before == nil
    }

    /// Whether a paper passes every filter: `FilterRule`'s definitions, the
    /// ones the store applies in SQL to a search of filters alone.
    public func accepts(_ paper: Paper) -> Bool {
        if let author {
            let pattern = FilterRule.namePattern(author)
            guard paper.authors.contains(where: { FilterRule.name($0, matches: pattern) }) else { return false }
        }
        if let category {
            let pattern = FilterRule.categoryPattern(category)
            guard paper.categories.contains(where: { FilterRule.category($0, matches: pattern) }) else { return false }
        }
        guard categories.accepts(paper.categories) else { return false }
        if let organization {
            guard let name = paper.organization, FilterRule.name(name, matches: FilterRule.namePattern(organization)) else { return false }
        }
        if after != nil || before != nil {
            guard let day = paper.listDay else { return false }
            if let after, day < after { return false }
            if let before, day > before { return false }
        }
        return true
    }

    /// Lower case without accents, so "Étude" matches "etude". Foundation's
    /// folding costs microseconds a call, which adds up to milliseconds when
    /// every word of 20 abstracts is highlighted; plain ASCII needs only lower-casing.
    static func fold(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: text.utf8.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
        return text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }
}

public struct SearchQueryError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension SearchQuery {
    /// Parses a query. Unknown `name:value` pairs are kept as words (a title
    /// can contain "Q:A"); bad dates and empty operator values are errors that
    /// say what to write instead.
    public static func parse(_ raw: String) throws -> SearchQuery {
        var query = SearchQuery()
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if let id = ArxivID.parse(trimmed) { query.arxivID = id; return query }

        for token in tokenize(trimmed) {
            if token.quoted {
                let phrase = normalizeSpaces(token.text)
                guard hasWordCharacters(phrase) else { continue }
                if token.negated { query.excluded.append(phrase) } else { query.phrases.append(phrase) }
                continue
            }
            let text = token.text
            if let colon = text.firstIndex(of: ":"), !token.negated {
                let name = text[..<colon].lowercased()
                let value = String(text[text.index(after: colon)...])
                if ["author", "cat", "org", "after", "before"].contains(name) {
                    guard !value.isEmpty else { throw SearchQueryError(message: "\(name): needs a value, e.g. \(example(name))") }
                    switch name {
                    case "author": query.filters.author = value.replacingOccurrences(of: "_", with: " ")
                    case "cat": query.filters.category = value
                    case "org": query.filters.organization = value.replacingOccurrences(of: "_", with: " ")
                    case "after", "before":
                        guard let day = Day(value) else {
                            throw SearchQueryError(message: "\(name): takes a date written YYYY-MM-DD, not '\(value.prefix(40))'")
                        }
                        if name == "after" { query.filters.after = day } else { query.filters.before = day }
                    default: break
                    }
                    continue
                }
            }
            guard hasWordCharacters(text) else { continue } // lone punctuation says nothing
            if token.negated { query.excluded.append(text) } else { query.words.append(text) }
        }
        if let after = query.filters.after, let before = query.filters.before, after > before {
            throw SearchQueryError(message: "after:\(after) is later than before:\(before), so nothing can match")
        }
        return query
    }

    private static func example(_ name: String) -> String {
        switch name {
        case "author": "author:hinton"
        case "cat": "cat:cs.CL"
        case "org": "org:google"
        default: "\(name):2025-01-31"
        }
    }

    private struct Token { var text: String; var quoted: Bool; var negated: Bool }

    /// Splits on spaces, keeping "quoted phrases" together; a leading '-'
    /// negates. An unclosed quote runs to the end of the query.
    private static func tokenize(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var index = text.startIndex
        while index < text.endIndex {
            if text[index].isWhitespace { index = text.index(after: index); continue }
            var negated = false
            var start = index
            if text[start] == "-", text.index(after: start) < text.endIndex, !text[text.index(after: start)].isWhitespace {
                negated = true
                start = text.index(after: start)
            }
            if text[start] == "\"" {
                let bodyStart = text.index(after: start)
                let end = text[bodyStart...].firstIndex(of: "\"") ?? text.endIndex
                tokens.append(Token(text: String(text[bodyStart..<end]), quoted: true, negated: negated))
                index = end < text.endIndex ? text.index(after: end) : end
            } else if let value = quotedOperatorValue(text, from: start) {
                // `author:"Zesen Cheng"`: the quotes hold a value with spaces together.
                let end = text[value...].firstIndex(of: "\"") ?? text.endIndex
                let name = text[start..<text.index(before: value)].dropLast() // without `:"`
                tokens.append(Token(text: String(name) + ":" + String(text[value..<end]), quoted: false, negated: negated))
                index = end < text.endIndex ? text.index(after: end) : end
            } else {
                let end = text[start...].firstIndex(where: \.isWhitespace) ?? text.endIndex
                tokens.append(Token(text: String(text[start..<end]), quoted: false, negated: negated))
                index = end
            }
        }
        return tokens
    }

    /// Where the value of `name:"…"` starts (after the quote), when the token
    /// at `start` is letters, a colon and a quote; nil otherwise.
    private static func quotedOperatorValue(_ text: String, from start: String.Index) -> String.Index? {
        var index = start
        while index < text.endIndex, text[index].isLetter { index = text.index(after: index) }
        guard index > start, index < text.endIndex, text[index] == ":" else { return nil }
        let quote = text.index(after: index)
        guard quote < text.endIndex, text[quote] == "\"" else { return nil }
        return text.index(after: quote)
    }

    private static func hasWordCharacters(_ text: String) -> Bool { text.contains { $0.isLetter || $0.isNumber } }
    private static func normalizeSpaces(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
}
