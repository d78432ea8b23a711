import Foundation
import PostgresNIO
import QuireCore
import Storage

extension PostgresStore: PaperStore {
    public func upsert(_ papers: [Paper]) async throws -> [UpsertOutcome] {
        try await upsert(papers, checkpoint: nil)
    }

    public func upsert(_ papers: [Paper], checkpoint: Checkpoint?) async throws -> [UpsertOutcome] {
        try await transaction { db in
            // Writers of the same paper take turns (a lock per id, taken in
            // one order so two batches cannot wait on each other): each merges
            // with what the other wrote, as SQLite's single writer does. The
            // locks are the transaction's and end with it.
            let ids = Array(Set(papers.map(\.id))).sorted()
            if !ids.isEmpty {
                try await db.run("SELECT pg_advisory_xact_lock(hashtext('quire.paper:' || id)) FROM unnest(\(ids)::text[]) AS id ORDER BY id", logger)
            }
            var outcomes: [UpsertOutcome] = []
            outcomes.reserveCapacity(papers.count)
            for incoming in papers {
                // Read inside the loop: an id met again in the batch merges with what its first occurrence wrote.
                let existing = try await Self.loadPapers(db, logger, where: "p.id = \(incoming.id)").first
                outcomes.append(try await upsertOne(incoming, existing: existing, db))
            }
            if let checkpoint {
                try await db.run("""
                    INSERT INTO checkpoints (key, value, updated_at) VALUES (\(checkpoint.key), \(checkpoint.value), now())
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                    """, logger)
            }
            return outcomes
        }
    }

    /// Writes one paper, merged with the stored one (`Paper.merged(with:)`).
    private func upsertOne(_ incoming: Paper, existing: (seq: Int, paper: Paper)?, _ db: PostgresConnection) async throws -> UpsertOutcome {
        // Times are kept to the second, as SQLite's text timestamps are, so a
        // paper read back and written again compares equal and is `.unchanged`.
        var incoming = incoming
        incoming.submittedAt = incoming.submittedAt.map(Self.wholeSecond)
        incoming.updatedAt = incoming.updatedAt.map(Self.wholeSecond)
        // Merged on the source's own upvote count (`Paper.sourceUpvotes`);
        // readers' upvotes are the store's own and never written from a paper.
        let paper = existing.map { $0.paper.merged(with: incoming) } ?? incoming
        if let existing, existing.paper == paper { return .unchanged }
        var organizationRef: Int?
        if let name = paper.organization {
            organizationRef = try await Self.getOrCreate(table: "organizations", slug: Slug.stable(name), name: name, db, logger)
        }
        let seq: Int
        if let existing {
            seq = existing.seq
            try await db.run("""
                UPDATE papers SET version = \(paper.version), submitted_at = \(paper.submittedAt), updated_at = \(paper.updatedAt),
                    title = \(paper.title), abstract = \(paper.abstract), author_count = \(paper.authorCount), comments = \(paper.comments),
                    journal_ref = \(paper.journalRef), doi = \(paper.doi), license = \(paper.license), github_repo = \(paper.githubRepo),
                    github_stars = \(paper.githubStars), project_page = \(paper.projectPage), organization_id = \(organizationRef),
                    upvotes = \(paper.sourceUpvotes), daily_date = \(paper.dailyDate?.description), submitted_by = \(paper.submittedBy),
                    list_day = \(paper.listDay?.description), withdrawn = \(paper.withdrawn), modified_at = now()
                WHERE seq = \(seq)
                """, logger)
            if existing.paper.title != paper.title || existing.paper.abstract != paper.abstract {
                try await db.run("DELETE FROM paper_embeddings WHERE paper_seq = \(seq)", logger) // stale: embedded again
            }
        } else {
            guard let inserted = try await db.run("""
                INSERT INTO papers (id, version, submitted_at, updated_at, title, abstract, author_count, comments,
                    journal_ref, doi, license, github_repo, github_stars, project_page, organization_id, upvotes,
                    daily_date, submitted_by, list_day, withdrawn, created_at, modified_at)
                VALUES (\(paper.id), \(paper.version), \(paper.submittedAt), \(paper.updatedAt), \(paper.title), \(paper.abstract),
                    \(paper.authorCount), \(paper.comments), \(paper.journalRef), \(paper.doi), \(paper.license), \(paper.githubRepo),
                    \(paper.githubStars), \(paper.projectPage), \(organizationRef), \(paper.sourceUpvotes), \(paper.dailyDate?.description),
                    \(paper.submittedBy), \(paper.listDay?.description), \(paper.withdrawn), now(), now())
                RETURNING seq
                """, logger).value(Int.self) else { throw Refusal.notFound("the paper '\(paper.id)' vanished as it was stored") }
            seq = inserted
        }
        if existing?.paper.authors != paper.authors {
            if existing != nil { try await db.run("DELETE FROM paper_authors WHERE paper_seq = \(seq)", logger) }
            for (position, name) in paper.authors.enumerated() {
                let author = try await Self.getOrCreate(table: "authors", slug: Slug.stable(name), name: name, db, logger)
                try await db.run("INSERT INTO paper_authors (paper_seq, position, author_id, name) VALUES (\(seq), \(position), \(author), \(name))", logger)
            }
        }
        if existing?.paper.categories != paper.categories {
            if existing != nil { try await db.run("DELETE FROM paper_categories WHERE paper_seq = \(seq)", logger) }
            for (position, category) in paper.categories.enumerated() {
                try await db.run("INSERT INTO paper_categories (paper_seq, position, category) VALUES (\(seq), \(position), \(category))", logger)
            }
        }
        return existing == nil ? .inserted : .updated
    }

    static func wholeSecond(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    /// The id of the author or organization with this slug, made if new. A
    /// concurrent insert of the same slug makes ours wait and then do
    /// nothing; the SELECT after it sees the committed row.
    private static func getOrCreate(table: String, slug: String, name: String, _ db: PostgresConnection, _ logger: Logger) async throws -> Int {
        if let id = try await db.run("""
            INSERT INTO \(unescaped: table) (slug, name) VALUES (\(slug), \(name)) ON CONFLICT (slug) DO NOTHING RETURNING id
            """, logger).value(Int.self) { return id }
        guard let id = try await db.run("SELECT id FROM \(unescaped: table) WHERE slug = \(slug)", logger).value(Int.self) else {
            throw Refusal.notFound("no \(table) row for '\(slug)' right after inserting it")
        }
        return id
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

    public func papers(from: Day, to: Day, submitter: String?, sort: ListSort, offset: Int, limit: Int) async throws -> ResultPage<Paper> {
        let condition: PostgresQuery = "p.list_day >= \(from.description) AND p.list_day < \(to.description) AND (\(submitter)::text IS NULL OR p.submitted_by = \(submitter))"
        let order = switch sort {
        case .publishedAt: "p.list_day DESC, p.upvotes + p.reader_upvotes DESC, p.seq DESC"
        case .upvotes: "p.upvotes + p.reader_upvotes DESC, p.list_day DESC, p.seq DESC"
        }
        return try await page(condition, order: order, offset: offset, limit: limit)
    }

    public func listSignals(from: Day, to: Day) async throws -> [ListSignal] {
        try await execute("""
            SELECT id, upvotes + reader_upvotes, daily_date, submitted_at FROM papers
            WHERE list_day >= \(from.description) AND list_day < \(to.description)
            """).all((String, Int, String?, Date?).self).map { row in
            ListSignal(id: row.0, upvotes: row.1, listedAt: row.2.flatMap(Day.init).map(\.start) ?? row.3 ?? from.start)
        }
    }

    public func latestListDay() async throws -> Day? {
        try await execute("SELECT max(list_day) FROM papers").value(String?.self)?.flatMap(Day.init)
    }

    public func listDay(before day: Day) async throws -> Day? {
        try await execute("SELECT max(list_day) FROM papers WHERE list_day < \(day.description)").value(String?.self)?.flatMap(Day.init)
    }

    public func listDay(after day: Day) async throws -> Day? {
        try await execute("SELECT min(list_day) FROM papers WHERE list_day > \(day.description)").value(String?.self)?.flatMap(Day.init)
    }

    public func author(slug: String) async throws -> Author? {
        try await execute("""
            SELECT a.slug, a.name, (SELECT count(*) FROM paper_authors pa WHERE pa.author_id = a.id) FROM authors a WHERE a.slug = \(slug)
            """).first((String, String, Int).self).map { Author(slug: $0.0, name: $0.1, paperCount: $0.2) }
    }

    public func papers(authorSlug: String, offset: Int, limit: Int) async throws -> ResultPage<Paper> {
        try await page("p.seq IN (SELECT pa.paper_seq FROM paper_authors pa JOIN authors a ON a.id = pa.author_id WHERE a.slug = \(authorSlug))",
                       order: "p.list_day DESC, p.seq DESC", offset: offset, limit: limit)
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
                       order: "p.list_day DESC, p.seq DESC", offset: offset, limit: limit)
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
