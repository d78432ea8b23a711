import Foundation
import PostgresNIO
import QuireCore
import Storage

/// Search's filters and authors in SQL, as SQLite answers them (`FilterRule`
/// says what each filter matches). Keyword ranking is not here: PostgreSQL
/// offers no `StoreKeywordSearch`, so `SearchService` ranks from its
/// in-memory index, which follows this store's `PaperTextFeed`.
/// Newest first is `PostgresStore.newestFirst`, a paper with no day last.
extension PostgresStore: SearchIndexStore {
    public func paperIDs(authorNamed name: String, limit: Int) async throws -> [String] {
        try await execute("""
            SELECT p.id FROM papers p WHERE p.seq IN (
                SELECT pa.paper_seq FROM paper_authors pa JOIN authors a ON a.id = pa.author_id WHERE a.slug = \(Slug.stable(name)))
            ORDER BY \(unescaped: Self.newestFirst) LIMIT \(max(0, limit))
            """).all(String.self)
    }

    /// One statement whatever the filters: an absent filter is a NULL (or an
    /// empty list) that its condition lets through. The client sends it
    /// unnamed, so PostgreSQL plans it with the values at hand and the
    /// absent conditions fold away.
    public func filteredPaperIDs(author: String?, category: String?, categories: CategorySelection, organization: String?,
                                 after: Day?, before: Day?, limit: Int) async throws -> [String] {
        let author = author.map(Self.slugPattern), organization = organization.map(Self.slugPattern)
        let category = category.map { [FilterRule.categoryPattern($0)] } ?? []
        return try await execute("""
            SELECT p.id FROM papers p WHERE
            (\(author?.slug)::text IS NULL OR p.seq IN (
                SELECT pa.paper_seq FROM paper_authors pa JOIN authors a ON a.id = pa.author_id
                WHERE CASE WHEN \(author?.exact ?? false) THEN a.slug = \(author?.slug) ELSE strpos(a.slug, \(author?.slug)) > 0 END))
            AND (cardinality(\(category)::text[]) = 0 OR p.seq IN (
                SELECT pc.paper_seq FROM paper_categories pc, unnest(\(category)::text[]) AS want(pattern) WHERE \(unescaped: Self.categoryMatch)))
            AND (cardinality(\(categories.patterns)::text[]) = 0 OR p.seq IN (
                SELECT pc.paper_seq FROM paper_categories pc, unnest(\(categories.patterns)::text[]) AS want(pattern) WHERE \(unescaped: Self.categoryMatch)))
            AND (\(organization?.slug)::text IS NULL OR p.organization_id IN (
                SELECT o.id FROM organizations o
                WHERE CASE WHEN \(organization?.exact ?? false) THEN o.slug = \(organization?.slug) ELSE strpos(o.slug, \(organization?.slug)) > 0 END))
            AND (\(after?.description)::text IS NULL OR p.list_day >= \(after?.description))
            AND (\(before?.description)::text IS NULL OR p.list_day <= \(before?.description))
            ORDER BY \(unescaped: Self.newestFirst) LIMIT \(max(0, limit))
            """).all(String.self)
    }

    /// `FilterRule.namePattern` as a slug and whether it must be equal (else contained).
    private static func slugPattern(_ value: String) -> (slug: String, exact: Bool) {
        switch FilterRule.namePattern(value) {
        case .slugContaining(let slug): (slug, false)
        case .stableSlug(let slug): (slug, true)
        }
    }
}
