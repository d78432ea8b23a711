import Foundation

/// A store's own full-text index (SQLite's FTS5): what `SearchService`
/// answers keyword searches with while its in-memory `KeywordSearch` is
/// still loading, and for a phrase of very common words, which FTS5's
/// positions answer faster than the in-memory index's adjacency check.
/// Optional: a store without it (PostgreSQL) has every keyword search
/// answered from memory, the first ones waiting for the load.
public protocol StoreKeywordSearch: Sendable {
    /// Full-text search over titles (weighted higher) and abstracts, ranked
    /// by BM25: papers with any of `words` and every one of `phrases`.
    /// `scoringBudget` bounds the cost: when the words together match more
    /// papers than that, only the rarest words that fit it are scored (the
    /// common ones weigh least in BM25). nil scores every match: exact but,
    /// with a common word, hundreds of milliseconds on a large corpus.
    func keywordSearch(words: [String], phrases: [String], limit: Int, scoringBudget: Int?) async throws -> [KeywordHit]

    /// Ids of every paper whose title or abstract holds each of `words` and
    /// each of `phrases`, as the keyword index reads them (same tokens, same
    /// stemming), in no particular order: the keyword matches of a search.
    /// All words, not any: a paper with one common word of the query ("loss"
    /// of "contrastive loss") is not about the query; meaning-matching
    /// (`SearchService`) finds the papers that say it in other words.
    func keywordMatches(words: [String], phrases: [String]) async throws -> [String]
}

extension StoreKeywordSearch {
    /// The exact BM25 ranking: every match scored.
    public func keywordSearch(words: [String], phrases: [String], limit: Int) async throws -> [KeywordHit] {
        try await keywordSearch(words: words, phrases: phrases, limit: limit, scoringBudget: nil)
    }
}

/// A keyword match: the paper id and its relevance (higher is better).
public struct KeywordHit: Sendable, Equatable {
    public var id: String
    public var score: Double
    public init(id: String, score: Double) { self.id = id; self.score = score }
}
