import Foundation

/// The categories a list is narrowed to (`category=` on the lists, feeds,
/// search and API; a reader's default categories): a paper is in when one
/// of its categories matches one of these, by `FilterRule.category` (so "cs"
/// means every cs.* category), the same rule search's `cat:` uses.
public struct CategorySelection: Hashable, Sendable {
    /// Canonical spellings (`ArxivCategories`), sorted, each once: the same
    /// choice written in another order or case is the same selection (and
    /// the same cache key).
    public let categories: [String]

    public static let everything = CategorySelection(canonical: [])

    /// No narrowing: every paper is in.
    public var isEverything: Bool { categories.isEmpty }

    private init(canonical: [String]) { categories = canonical }

    /// From what a reader wrote; an unknown or malformed category is an
    /// error that says what a valid one looks like.
    public init(parsing values: [String]) throws(CategoryError) {
        var canonical = Set<String>()
        for value in values {
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            guard let category = ArxivCategories.canonical(trimmed) else { throw CategoryError(value: value) }
            canonical.insert(category)
        }
        categories = canonical.sorted()
    }

    /// The patterns stores compare with (`FilterRule.categoryPattern`).
    public var patterns: [String] { categories.map(FilterRule.categoryPattern) }

    public func accepts(_ paperCategories: [String]) -> Bool {
        isEverything || patterns.contains { pattern in paperCategories.contains { FilterRule.category($0, matches: pattern) } }
    }

    /// "cs.CL, cs.LG", for "showing cs.CL, cs.LG".
    public var listed: String { categories.joined(separator: ", ") }
}

public struct CategoryError: Error, Equatable, Sendable {
    public var value: String
    public var message: String {
        "'\(value.prefix(40))' is not an arXiv category: write \(ArxivCategories.validForm)."
    }
}
