import Foundation
import QuireCore

/// What search asks of the database beyond loading papers: keyword ranking
/// and filters. Apart from `PaperStore` so that an implementation (FTS5 and
/// the in-memory BM25 index for SQLite, tsvector for PostgreSQL) and a fake
/// stay small.
public protocol SearchIndexStore: Sendable {
    /// Full-text search over titles (weighted higher) and abstracts, ranked
    /// by BM25: papers with any of `words` and every one of `phrases`.
    /// `scoringBudget` bounds the cost: when the words together match more
    /// papers than that, only the rarest words that fit it are scored (the
    /// common ones weigh least in BM25). nil scores every match: exact but,
    /// with a common word, hundreds of milliseconds on a large corpus. A store
    /// may rank from memory instead (SQLite's `BM25Index`): the exact ranking,
    /// whatever the budget.
    func keywordSearch(words: [String], phrases: [String], limit: Int, scoringBudget: Int?) async throws -> [KeywordHit]

    /// Ids of papers passing every given filter, newest first: a search made
    /// of filters only. What each filter matches is `FilterRule`'s to say.
    /// `categories` is `category=` (any of them), besides `cat:` (`category`).
    func filteredPaperIDs(author: String?, category: String?, categories: CategorySelection, organization: String?,
                          after: Day?, before: Day?, limit: Int) async throws -> [String]

    /// Ids of every paper whose title or abstract holds each of `words` and
    /// each of `phrases`, as the keyword index reads them (same tokens, same
    /// stemming), in no particular order: the keyword matches of a search.
    /// All words, not any: a paper with one common word of the query ("loss"
    /// of "contrastive loss") is not about the query; meaning-matching
    /// (`SearchService`) finds the papers that say it in other words.
    func keywordMatches(words: [String], phrases: [String]) async throws -> [String]

    /// Ids of the papers of the author whose name is `name` (compared by
    /// `Slug.stable`, so "Balazs Kegl" names "Balázs Kégl"), newest first:
    /// a query that names an author shows their papers first.
    func paperIDs(authorNamed name: String, limit: Int) async throws -> [String]
}

extension SearchIndexStore {
    /// The exact BM25 ranking: every match scored.
    public func keywordSearch(words: [String], phrases: [String], limit: Int) async throws -> [KeywordHit] {
        try await keywordSearch(words: words, phrases: phrases, limit: limit, scoringBudget: nil)
    }
}

/// A keyword match: the paper id and its relevance (higher is better).
public struct KeywordHit: Sendable, Equatable {
    public var id: String
    public var score: Double
}

extension SearchIndexStore {
    public func filteredPaperIDs(author: String?, category: String?, organization: String?, after: Day?, before: Day?, limit: Int) async throws -> [String] {
        try await filteredPaperIDs(author: author, category: category, categories: .everything, organization: organization,
                                   after: after, before: before, limit: limit)
    }
}
