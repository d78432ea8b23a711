import Foundation
import Storage

/// A word of a reader's keyword profile (a token as the index holds it) and its weight.
public struct WeightedTerm: Sendable, Equatable {
    public var term: String
    public var weight: Double
    public init(term: String, weight: Double) { self.term = term; self.weight = weight }
}

extension KeywordSearch {
    /// The `limit` words that weigh most in the papers `ids` (BM25 summed
    /// over them), from the index as it stands (`refresh` catches it up).
    public func readerTerms(of ids: [String], limit: Int) -> [WeightedTerm] {
        index.readerTerms(of: Set(ids), limit: limit)
    }

    /// Every paper holding any of `terms`, scored by their weighted BM25, in no particular order.
    public func scores(of terms: [WeightedTerm]) -> [KeywordHit] {
        index.scores(of: terms)
    }

    /// Applies the store's changes made since the index last read them (a search does it too).
    public func refresh() async throws {
        try await catchUp()
    }
}
