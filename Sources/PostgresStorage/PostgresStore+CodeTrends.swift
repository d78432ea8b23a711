import Foundation
import PostgresNIO
import QuireCore
import Storage

/// Trending code in PostgreSQL: the same tables and ranking as SQLite's.
extension PostgresStore: CodeTrendStore {
    public func repositoriesToCheck(checkedBefore: Date, limit: Int) async throws -> [RepositoryToCheck] {
        try await execute("""
            SELECT r.address, c.etag FROM (SELECT DISTINCT github_repo AS address FROM papers WHERE github_repo IS NOT NULL) r
            LEFT JOIN github_checks c ON c.address = r.address
            WHERE c.checked_at IS NULL OR c.checked_at < \(checkedBefore)
            ORDER BY c.checked_at NULLS FIRST, r.address LIMIT \(limit)
            """).all((String, String?).self).map { RepositoryToCheck(address: $0.0, etag: $0.1) }
    }

    public func recordCheck(_ check: RepositoryCheck, now: Date) async throws {
        try await write { db in
            switch check.outcome {
            case .stars(let stars, let etag):
                _ = try await db.run("""
                    INSERT INTO github_star_counts (address, day, stars) VALUES (\(check.address), \(Day(date: now).description), \(stars))
                    ON CONFLICT (address, day) DO UPDATE SET stars = excluded.stars
                    """, logger)
                _ = try await db.run("""
                    UPDATE papers SET github_stars = \(stars) WHERE github_repo = \(check.address) AND github_stars IS DISTINCT FROM \(stars)
                    """, logger)
                _ = try await db.run("""
                    INSERT INTO github_checks (address, etag, checked_at) VALUES (\(check.address), \(etag), \(now))
                    ON CONFLICT (address) DO UPDATE SET etag = excluded.etag, checked_at = excluded.checked_at
                    """, logger)
            case .unchanged, .gone:
                _ = try await db.run("""
                    INSERT INTO github_checks (address, etag, checked_at) VALUES (\(check.address), NULL, \(now))
                    ON CONFLICT (address) DO UPDATE SET checked_at = excluded.checked_at
                    """, logger)
            }
        }
    }

    public func papersByStarGrowth(since: Day, listed: (from: Day, to: Day)?, submitter: String?, categories: CategorySelection,
                                   offset: Int, limit: Int) async throws -> ResultPage<StarGrowth> {
        let rows = try await execute("""
            WITH newest AS (SELECT DISTINCT ON (address) address, stars FROM github_star_counts ORDER BY address, day DESC),
            base AS (SELECT DISTINCT ON (address) address, stars FROM github_star_counts
                     ORDER BY address, (day <= \(since.description)) DESC, CASE WHEN day <= \(since.description) THEN day END DESC, day),
            ranked AS (
                SELECT p.id, p.seq, n.stars - b.stars AS gained, n.stars FROM papers p
                JOIN newest n ON n.address = p.github_repo JOIN base b ON b.address = p.github_repo
                WHERE (\(listed == nil) OR (p.list_day >= \(listed?.from.description) AND p.list_day < \(listed?.to.description)))
                AND (\(submitter)::text IS NULL OR p.submitted_by = \(submitter))
                AND (cardinality(\(categories.patterns)::text[]) = 0 OR p.seq IN (
                    SELECT pc.paper_seq FROM paper_categories pc, unnest(\(categories.patterns)::text[]) AS want(pattern) WHERE \(unescaped: Self.categoryMatch))))
            SELECT id, gained, stars, count(*) OVER () FROM ranked ORDER BY gained DESC, stars DESC, seq DESC LIMIT \(limit) OFFSET \(offset)
            """).all((String, Int, Int, Int).self)
        // The count rides on every row; a page past the last has none, so ask for the first.
        let total = if let first = rows.first { first.3 } else if offset > 0 {
            try await papersByStarGrowth(since: since, listed: listed, submitter: submitter, categories: categories, offset: 0, limit: 1).total
        } else { 0 }
        return ResultPage(items: rows.map { StarGrowth(paperID: $0.0, gained: $0.1, stars: $0.2) }, total: total)
    }
}
