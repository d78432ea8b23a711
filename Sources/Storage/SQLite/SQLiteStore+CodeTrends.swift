import Foundation
import QuireCore

extension SQLiteStore: CodeTrendStore {
    public func repositoriesToCheck(checkedBefore: Date, limit: Int) async throws -> [RepositoryToCheck] {
        try await read { db in
            try db.query("""
                SELECT r.address, c.etag FROM (SELECT DISTINCT github_repo AS address FROM papers WHERE github_repo IS NOT NULL) r
                LEFT JOIN github_checks c ON c.address = r.address
                WHERE c.checked_at IS NULL OR c.checked_at < ?
                ORDER BY c.checked_at IS NOT NULL, c.checked_at, r.address LIMIT ?
                """, [Timestamp.format(checkedBefore), limit]) { RepositoryToCheck(address: $0.string(0), etag: $0.optionalString(1)) }
        }
    }

    public func recordCheck(_ check: RepositoryCheck, now: Date) async throws {
        try await write { db in
            try db.transaction {
                let checkedAt = Timestamp.format(now)
                switch check.outcome {
                case .stars(let stars, let etag):
                    try db.run("INSERT OR REPLACE INTO github_star_counts (address, day, stars) VALUES (?, ?, ?)",
                               [check.address, Day(date: now).description, stars])
                    try db.run("UPDATE papers SET github_stars = ? WHERE github_repo = ? AND github_stars IS NOT ?", [stars, check.address, stars])
                    try db.run("INSERT OR REPLACE INTO github_checks (address, etag, checked_at) VALUES (?, ?, ?)", [check.address, etag, checkedAt])
                case .unchanged, .gone:
                    try db.run("""
                        INSERT INTO github_checks (address, etag, checked_at) VALUES (?, NULL, ?)
                        ON CONFLICT (address) DO UPDATE SET checked_at = excluded.checked_at
                        """, [check.address, checkedAt])
                }
            }
        }
    }

    public func papersByStarGrowth(since: Day, listed: (from: Day, to: Day)?, submitter: String?, categories: CategorySelection,
                                   offset: Int, limit: Int) async throws -> ResultPage<StarGrowth> {
        var values: [SQLBindable] = [since.description]
        var narrowed = ""
        if let listed { narrowed += " AND p.list_day >= ? AND p.list_day < ?"; values += [listed.from.description, listed.to.description] }
        if let submitter { narrowed += " AND p.submitted_by = ?"; values.append(submitter) }
        if !categories.isEverything { narrowed += " AND " + (try Self.categoryCondition(categories.patterns, &values)) }
        return try await read { [values, narrowed] db in
            // Per repository: the newest count, and the count on the newest day
            // at or before `since` (else its first count).
            let ranked = """
                WITH counts AS (
                    SELECT c.address,
                        (SELECT stars FROM github_star_counts n WHERE n.address = c.address ORDER BY n.day DESC LIMIT 1) AS stars,
                        coalesce((SELECT stars FROM github_star_counts b WHERE b.address = c.address AND b.day <= ? ORDER BY b.day DESC LIMIT 1),
                                 (SELECT stars FROM github_star_counts f WHERE f.address = c.address ORDER BY f.day LIMIT 1)) AS base
                    FROM (SELECT DISTINCT address FROM github_star_counts) c)
                SELECT p.id, counts.stars - counts.base AS gained, counts.stars
                FROM papers p JOIN counts ON counts.address = p.github_repo
                WHERE 1\(narrowed)
                """
            let total = try db.queryOne("SELECT count(*) FROM (\(ranked))", values) { $0.int(0) } ?? 0
            let items = try db.query("\(ranked) ORDER BY gained DESC, counts.stars DESC, p.seq DESC LIMIT ? OFFSET ?", values + [limit, offset]) {
                StarGrowth(paperID: $0.string(0), gained: $0.int(1), stars: $0.int(2))
            }
            return ResultPage(items: items, total: total)
        }
    }
}
