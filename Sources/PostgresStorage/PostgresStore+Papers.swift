import Foundation
import PostgresNIO
import QuireCore
import Storage

extension PostgresStore: PaperStore {
    public func upsert(_ papers: [Paper]) async throws -> [UpsertOutcome] {
        try await upsert(papers, checkpoint: nil)
    }

    public func checkpoint(_ key: String) async throws -> String? {
        try await execute("SELECT value FROM checkpoints WHERE key = \(key)").value(String.self)
    }

    // MARK: Reads

    public func paper(id: String) async throws -> Paper? {
        try await withConnection { db in try await Self.loadPapers(db, logger, where: "p.id = \(id)").first?.paper }
    }

    public func papers(ids: [String]) async throws -> [Paper] {
        guard !ids.isEmpty else { return [] }
        let found = try await withConnection { db in try await Self.loadPapers(db, logger, where: "p.id = ANY(\(ids)::text[])") }
        let byID = Dictionary(found.map { ($0.paper.id, $0.paper) }, uniquingKeysWith: { a, _ in a })
        return ids.compactMap { byID[$0] }
    }

    /// The SQL form of `FilterRule.category` (as SQLite's `categoryCondition`),
    /// for a category `pc.category` and a wanted pattern `want.pattern`:
    /// equal to it, or inside it ("cs" holds "cs.CL").
    static let categoryMatch = "lower(pc.category) = want.pattern OR left(lower(pc.category), length(want.pattern) + 1) = want.pattern || '.'"

    public func papers(storedAfter seq: Int, limit: Int) async throws -> [SequencedPaper] {
        try await withConnection { db in
            try await Self.loadPapers(db, logger, where: "p.seq > \(seq)", order: "p.seq", limit: limit).map { SequencedPaper(seq: $0.seq, paper: $0.paper) }
        }
    }

    public func papers(from: Day, to: Day, submitter: String?, categories: CategorySelection, sort: ListSort, offset: Int, limit: Int) async throws -> ResultPage<Paper> {
        let condition: PostgresQuery = """
            p.list_day >= \(from.description) AND p.list_day < \(to.description) AND (\(submitter)::text IS NULL OR p.submitted_by = \(submitter))
            AND (cardinality(\(categories.patterns)::text[]) = 0 OR p.seq IN (
                SELECT pc.paper_seq FROM paper_categories pc, unnest(\(categories.patterns)::text[]) AS want(pattern) WHERE \(unescaped: Self.categoryMatch)))
            """
        let order = switch sort {
        case .publishedAt: "p.list_day DESC, p.upvotes + p.reader_upvotes DESC, p.seq DESC"
        case .upvotes: "p.upvotes + p.reader_upvotes DESC, p.list_day DESC, p.seq DESC"
        }
        return try await page(condition, order: order, offset: offset, limit: limit)
    }

    public func listSignals(from: Day, to: Day, categories: CategorySelection) async throws -> [ListSignal] {
        try await execute("""
            SELECT p.id, p.upvotes + p.reader_upvotes, p.daily_date, p.submitted_at FROM papers p
            WHERE p.list_day >= \(from.description) AND p.list_day < \(to.description)
            AND (cardinality(\(categories.patterns)::text[]) = 0 OR p.seq IN (
                SELECT pc.paper_seq FROM paper_categories pc, unnest(\(categories.patterns)::text[]) AS want(pattern) WHERE \(unescaped: Self.categoryMatch)))
            """).all((String, Int, String?, Date?).self).map { row in
            ListSignal(id: row.0, upvotes: row.1, listedAt: row.2.flatMap(Day.init).map(\.start) ?? row.3 ?? from.start)
        }
    }

    public func latestListDay() async throws -> Day? {
        try await execute("SELECT max(list_day) FROM papers").value(String?.self)?.flatMap(Day.init)
    }

    public func listDay(before day: Day, categories: CategorySelection) async throws -> Day? {
        try await execute("""
            SELECT max(p.list_day) FROM papers p WHERE p.list_day < \(day.description)
            AND (cardinality(\(categories.patterns)::text[]) = 0 OR p.seq IN (
                SELECT pc.paper_seq FROM paper_categories pc, unnest(\(categories.patterns)::text[]) AS want(pattern) WHERE \(unescaped: Self.categoryMatch)))
            """).value(String?.self)?.flatMap(Day.init)
    }

    public func listDay(after day: Day, categories: CategorySelection) async throws -> Day? {
        try await execute("""
            SELECT min(p.list_day) FROM papers p WHERE p.list_day > \(day.description)
            AND (cardinality(\(categories.patterns)::text[]) = 0 OR p.seq IN (
                SELECT pc.paper_seq FROM paper_categories pc, unnest(\(categories.patterns)::text[]) AS want(pattern) WHERE \(unescaped: Self.categoryMatch)))
            """).value(String?.self)?.flatMap(Day.init)
    }

    public func author(slug: String) async throws -> Author? {
        try await execute("""
            SELECT a.slug, a.name, (SELECT count(*) FROM paper_authors pa WHERE pa.author_id = a.id) FROM authors a WHERE a.slug = \(slug)
            """).first((String, String, Int).self).map { Author(slug: $0.0, name: $0.1, paperCount: $0.2) }
    }

    /// Newest first, as SQLite orders: a paper with no day (never listed, no
    /// submission date) last, where SQLite's lowest-sorting NULL puts it;
    /// PostgreSQL would sort it highest, first, unless told.
    static let newestFirst = "p.list_day DESC NULLS LAST, p.seq DESC"

    public func papers(authorSlug: String, offset: Int, limit: Int) async throws -> ResultPage<Paper> {
        try await page("p.seq IN (SELECT pa.paper_seq FROM paper_authors pa JOIN authors a ON a.id = pa.author_id WHERE a.slug = \(authorSlug))",
                       order: Self.newestFirst, offset: offset, limit: limit)
    }

    public func authors(slugContaining fragment: String?, offset: Int, limit: Int) async throws -> ResultPage<Author> {
        // A slug holds only a-z, 0-9 and '-', so the pattern has no wildcards but its own.
        let pattern = "%\(fragment ?? "")%"
        let total = try await execute("SELECT count(*) FROM authors WHERE slug LIKE \(pattern)").first(Int.self) ?? 0
        let items = try await execute("""
            SELECT a.slug, a.name, (SELECT count(*) FROM paper_authors pa WHERE pa.author_id = a.id)
            FROM authors a WHERE a.slug LIKE \(pattern) ORDER BY a.slug COLLATE "C" LIMIT \(limit) OFFSET \(offset)
            """).all((String, String, Int).self).map { Author(slug: $0.0, name: $0.1, paperCount: $0.2) }
        return ResultPage(items: items, total: total)
    }

    public func organizations(offset: Int, limit: Int) async throws -> ResultPage<Organization> {
        let total = try await execute("SELECT count(*) FROM organizations").first(Int.self) ?? 0
        let items = try await execute("""
            SELECT o.slug, o.name, (SELECT count(*) FROM papers p WHERE p.organization_id = o.id) AS papers
            FROM organizations o ORDER BY papers DESC, o.slug COLLATE "C" LIMIT \(limit) OFFSET \(offset)
            """).all((String, String, Int).self).map { Organization(slug: $0.0, name: $0.1, paperCount: $0.2) }
        return ResultPage(items: items, total: total)
    }

    public func organization(slug: String) async throws -> Organization? {
        try await execute("""
            SELECT o.slug, o.name, (SELECT count(*) FROM papers p WHERE p.organization_id = o.id) FROM organizations o WHERE o.slug = \(slug)
            """).first((String, String, Int).self).map { Organization(slug: $0.0, name: $0.1, paperCount: $0.2) }
    }

    public func papers(organizationSlug: String, offset: Int, limit: Int) async throws -> ResultPage<Paper> {
        try await page("p.organization_id = (SELECT id FROM organizations WHERE slug = \(organizationSlug))",
                       order: Self.newestFirst, offset: offset, limit: limit)
    }

    public func stats() async throws -> StoreStats {
        guard let row = try await execute("""
            SELECT (SELECT count(*) FROM papers), (SELECT count(*) FROM authors), (SELECT count(*) FROM organizations),
                   (SELECT count(*) FROM papers WHERE daily_date IS NOT NULL), (SELECT min(list_day) FROM papers),
                   (SELECT max(list_day) FROM papers)
            """).first((Int, Int, Int, Int, String?, String?).self) else { return StoreStats(papers: 0, authors: 0, organizations: 0, onDailyList: 0, firstDay: nil, lastDay: nil) }
        return StoreStats(papers: row.0, authors: row.1, organizations: row.2, onDailyList: row.3, firstDay: row.4, lastDay: row.5)
    }
}
