import Foundation
import QuireCore

/// What search asks of the database beyond loading papers and their text:
/// filters and authors' names. Apart from `PaperStore` so that an
/// implementation and a fake stay small. Keyword ranking is Search's
/// in-memory `KeywordSearch` (fed by `PaperTextFeed`), the same on every
/// store; a store with a full-text index of its own offers it as
/// `StoreKeywordSearch` for the moments the in-memory one cannot answer.
public protocol SearchIndexStore: Sendable {
    /// Ids of papers passing every given filter, newest first: a search made
    /// of filters only. What each filter matches is `FilterRule`'s to say.
    /// `categories` is `category=` (any of them), besides `cat:` (`category`).
    func filteredPaperIDs(author: String?, category: String?, categories: CategorySelection, organization: String?,
                          after: Day?, before: Day?, limit: Int) async throws -> [String]

    /// Ids of the papers of the author whose name is `name` (compared by
    /// `Slug.stable`, so "Balazs Kegl" names "Balázs Kégl"), newest first:
    /// a query that names an author shows their papers first.
    func paperIDs(authorNamed name: String, limit: Int) async throws -> [String]
}

extension SearchIndexStore {
    public func filteredPaperIDs(author: String?, category: String?, organization: String?, after: Day?, before: Day?, limit: Int) async throws -> [String] {
        try await filteredPaperIDs(author: author, category: category, categories: .everything, organization: organization,
                                   after: after, before: before, limit: limit)
    }
}
