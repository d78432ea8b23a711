import Foundation
import Logging
import PostgresNIO
import QuireCore
import Storage

/// Loading whole papers (with authors, categories and organization) for
/// every query that returns them, in three queries however many there are.
extension PostgresStore {
    /// A condition on `papers p` with more SQL after it: the condition's own
    /// binds keep their numbers ($1…), the text after it never binds.
    static func query(_ before: String, _ condition: PostgresQuery, _ after: String = "") -> PostgresQuery {
        PostgresQuery(unsafeSQL: before + " (" + condition.sql + ") " + after, binds: condition.binds)
    }

    /// The keyphrases column: a JSON array of strings (none when unreadable).
    static func keyphrases(_ json: String?) -> [String] {
        json.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
    }

    static func loadPapers(_ db: PostgresConnection, _ logger: Logger, where condition: PostgresQuery,
                           order: String = "p.seq", limit: Int? = nil, offset: Int = 0) async throws -> [(seq: Int, paper: Paper)] {
        // Limit and offset are Ints of ours (never text from outside), written into the SQL.
        let page = "ORDER BY \(order) LIMIT \(limit.map(String.init) ?? "ALL") OFFSET \(max(0, offset))"
        var rows: [(seq: Int, paper: Paper)] = []
        for try await r in try await db.query(query("""
            SELECT p.seq, p.id, p.version, p.submitted_at, p.updated_at, p.title, p.abstract, p.author_count,
                   p.comments, p.journal_ref, p.doi, p.license, p.github_repo, p.github_stars, p.project_page,
                   o.name, p.upvotes, p.daily_date, p.submitted_by, p.withdrawn, p.reader_upvotes, psum.summary, psum.keyphrases
            FROM papers p LEFT JOIN organizations o ON o.id = p.organization_id LEFT JOIN paper_summaries psum ON psum.paper_seq = p.seq WHERE
            """, condition, page), logger: logger).decode(
                (Int, String, Int?, Date?, Date?, String, String, Int?, String?, String?, String?, String?, String?, Int?, String?,
                 String?, Int, String?, String?, Bool, Int, String?, String?).self) {
            rows.append((r.0, Paper(
                id: r.1, version: r.2, submittedAt: r.3, updatedAt: r.4, title: r.5, abstract: r.6, authorCount: r.7,
                comments: r.8, journalRef: r.9, doi: r.10, license: r.11, githubRepo: r.12, githubStars: r.13,
                projectPage: r.14, organization: r.15, upvotes: r.16, dailyDate: r.17.flatMap(Day.init), submittedBy: r.18,
                withdrawn: r.19, readerUpvotes: r.20, summary: r.21.map { PaperSummary(text: $0, keyphrases: Self.keyphrases(r.22)) })))
        }
        guard !rows.isEmpty else { return [] }
        let seqs = rows.map(\.seq)
        let index = Dictionary(uniqueKeysWithValues: seqs.enumerated().map { ($1, $0) })
        for try await (seq, name) in try await db.query("""
            SELECT paper_seq, name FROM paper_authors WHERE paper_seq = ANY(\(seqs)::bigint[]) ORDER BY paper_seq, position
            """, logger: logger).decode((Int, String).self) {
            if let i = index[seq] { rows[i].paper.authors.append(name) }
        }
        for try await (seq, category) in try await db.query("""
            SELECT paper_seq, category FROM paper_categories WHERE paper_seq = ANY(\(seqs)::bigint[]) ORDER BY paper_seq, position
            """, logger: logger).decode((Int, String).self) {
            if let i = index[seq] { rows[i].paper.categories.append(category) }
        }
        return rows
    }

    /// One page of the papers matching `condition`, and how many match in all.
    func page(_ condition: PostgresQuery, order: String, offset: Int, limit: Int) async throws -> ResultPage<Paper> {
        try await withConnection { db in
            let total = try await db.query(Self.query("SELECT count(*) FROM papers p WHERE", condition), logger: logger).value(Int.self) ?? 0
            let items = try await Self.loadPapers(db, logger, where: condition, order: order, limit: limit, offset: offset)
            return ResultPage(items: items.map(\.paper), total: total)
        }
    }
}
