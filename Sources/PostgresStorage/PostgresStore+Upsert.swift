import Foundation
import Logging
import PostgresNIO
import QuireCore
import Storage

/// Writing a batch of papers in a dozen statements, whatever its size: the
/// stored papers are read at once, merged in memory (`Paper.merged(with:)`),
/// and the changes written set by set (new papers, changed papers, their
/// authors and categories). A statement per paper and per author, as a first
/// version did, made an import of first200.jsonl 6 times slower than SQLite:
/// each statement is a round trip to the server.
extension PostgresStore {
    public func upsert(_ papers: [Paper], checkpoint: Checkpoint?) async throws -> [UpsertOutcome] {
        try await write { db in
            // Writers of the same paper take turns (a lock per id, taken in
            // one order so two batches cannot wait on each other): each merges
            // with what the other wrote, as SQLite's single writer does. The
            // locks are the transaction's and end with it.
            let ids = Array(Set(papers.map(\.id))).sorted()
            if !ids.isEmpty {
                try await db.run("SELECT pg_advisory_xact_lock(hashtext('quire.paper:' || id)) FROM unnest(\(ids)::text[]) AS id ORDER BY id", logger)
            }
            var stored: [String: (seq: Int, paper: Paper)] = [:]
            if !ids.isEmpty {
                for row in try await Self.loadPapers(db, logger, where: "p.id = ANY(\(ids)::text[])") { stored[row.paper.id] = row }
            }
            // Organizations first (then authors: one order of tables, and of
            // slugs within each, so concurrent batches never wait in a circle),
            // so a paper holds the stored spelling of its organization's name,
            // as it reads back.
            let organizations = try await Self.rows(table: "organizations", names: papers.compactMap(\.organization), db, logger)

            // Merged in the batch's order: an id met again merges with what its first occurrence made.
            var outcomes: [UpsertOutcome] = []
            outcomes.reserveCapacity(papers.count)
            var merged: [String: Paper] = [:]
            var order: [String] = []
            for var incoming in papers {
                // Times are kept to the second, as SQLite's text timestamps are, so a
                // paper read back and written again compares equal and is `.unchanged`.
                incoming.submittedAt = incoming.submittedAt.map(Self.wholeSecond)
                incoming.updatedAt = incoming.updatedAt.map(Self.wholeSecond)
                incoming.organization = incoming.organization.map { organizations[Slug.stable($0)]?.name ?? $0 }
                // Readers' upvotes are the store's own and never written from a paper.
                incoming.readerUpvotes = 0
                let current = merged[incoming.id] ?? stored[incoming.id]?.paper
                // Merged on the source's own upvote count (`Paper.sourceUpvotes`).
                let paper = current.map { $0.merged(with: incoming) } ?? incoming
                if let current, current == paper { outcomes.append(.unchanged); continue }
                outcomes.append(current == nil ? .inserted : .updated)
                if merged[paper.id] == nil { order.append(paper.id) }
                merged[paper.id] = paper
            }
            let changed = order.compactMap { merged[$0] }
            let new = changed.filter { stored[$0.id] == nil }
            let updated = changed.filter { stored[$0.id] != nil }

            var seqs = stored.mapValues(\.seq)
            if !new.isEmpty {
                for try await (seq, id) in try await db.run("""
                    INSERT INTO papers (id, version, submitted_at, updated_at, title, abstract, author_count, comments, journal_ref, doi,
                        license, github_repo, github_stars, project_page, organization_id, upvotes, daily_date, submitted_by, list_day,
                        withdrawn, created_at, modified_at)
                    SELECT id, version, to_timestamp(submitted_at), to_timestamp(updated_at), title, abstract, author_count, comments, journal_ref, doi,
                        license, github_repo, github_stars, project_page, organization_id, upvotes, daily_date, submitted_by, list_day,
                        withdrawn, now(), now()
                    FROM jsonb_to_recordset(\(try Self.json(new, organizations: organizations))::jsonb) AS \(unescaped: Self.recordColumns)
                    RETURNING seq, id
                    """, logger).decode((Int, String).self) {
                    seqs[id] = seq
                }
            }
            if !updated.isEmpty {
                try await db.run("""
                    UPDATE papers p SET version = v.version, submitted_at = to_timestamp(v.submitted_at), updated_at = to_timestamp(v.updated_at), title = v.title,
                        abstract = v.abstract, author_count = v.author_count, comments = v.comments, journal_ref = v.journal_ref, doi = v.doi,
                        license = v.license, github_repo = v.github_repo, github_stars = v.github_stars, project_page = v.project_page,
                        organization_id = v.organization_id, upvotes = v.upvotes, daily_date = v.daily_date, submitted_by = v.submitted_by,
                        list_day = v.list_day, withdrawn = v.withdrawn, modified_at = now()
                    FROM jsonb_to_recordset(\(try Self.json(updated, organizations: organizations))::jsonb) AS \(unescaped: Self.recordColumns)
                    WHERE p.id = v.id
                    """, logger)
                // A vector and summary of the old text are stale: the paper is embedded and summarised again.
                let stale = updated.compactMap { paper in
                    stored[paper.id].flatMap { $0.paper.title != paper.title || $0.paper.abstract != paper.abstract ? $0.seq : nil }
                }
                if !stale.isEmpty {
                    try await db.run("DELETE FROM paper_embeddings WHERE paper_seq = ANY(\(stale)::bigint[])", logger)
                    try await db.run("DELETE FROM paper_summaries WHERE paper_seq = ANY(\(stale)::bigint[])", logger)
                }
            }

            // Authors and categories, rewritten for the papers whose lists changed.
            let newAuthors = changed.filter { stored[$0.id]?.paper.authors != $0.authors }
            let authors = try await Self.rows(table: "authors", names: newAuthors.flatMap(\.authors), db, logger)
            try await Self.replaceList(table: "paper_authors", of: newAuthors, stored: stored, db, logger)
            var authorRows: (seq: [Int], position: [Int], author: [Int], name: [String]) = ([], [], [], [])
            for paper in newAuthors {
                guard let seq = seqs[paper.id] else { continue }
                for (position, name) in paper.authors.enumerated() {
                    guard let author = authors[Slug.stable(name)] else { continue }
                    authorRows.seq.append(seq); authorRows.position.append(position); authorRows.author.append(author.id); authorRows.name.append(name)
                }
            }
            if !authorRows.seq.isEmpty {
                try await db.run("""
                    INSERT INTO paper_authors (paper_seq, position, author_id, name)
                    SELECT * FROM unnest(\(authorRows.seq)::bigint[], \(authorRows.position)::bigint[], \(authorRows.author)::bigint[], \(authorRows.name)::text[])
                    """, logger)
            }
            let newCategories = changed.filter { stored[$0.id]?.paper.categories != $0.categories }
            try await Self.replaceList(table: "paper_categories", of: newCategories, stored: stored, db, logger)
            var categoryRows: (seq: [Int], position: [Int], category: [String]) = ([], [], [])
            for paper in newCategories {
                guard let seq = seqs[paper.id] else { continue }
                for (position, category) in paper.categories.enumerated() {
                    categoryRows.seq.append(seq); categoryRows.position.append(position); categoryRows.category.append(category)
                }
            }
            if !categoryRows.seq.isEmpty {
                try await db.run("""
                    INSERT INTO paper_categories (paper_seq, position, category)
                    SELECT * FROM unnest(\(categoryRows.seq)::bigint[], \(categoryRows.position)::bigint[], \(categoryRows.category)::text[])
                    """, logger)
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

    static func wholeSecond(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    /// The papers' columns as `jsonb_to_recordset` reads them.
    private static let recordColumns = """
        v(id text, version bigint, submitted_at double precision, updated_at double precision, title text, abstract text, author_count bigint,
          comments text, journal_ref text, doi text, license text, github_repo text, github_stars bigint, project_page text,
          organization_id bigint, upvotes bigint, daily_date text, submitted_by text, list_day text, withdrawn boolean)
        """

    /// The papers as one JSON array of rows: a single bind however many there
    /// are, with nulls where a paper has no value (the client's arrays cannot
    /// hold them). Instants are whole seconds since 1970, exact in a double.
    private static func json(_ papers: [Paper], organizations: [String: (id: Int, name: String)]) throws -> String {
        let rows: [[String: Any]] = papers.map { paper in
            func value(_ optional: Any?) -> Any { optional ?? NSNull() }
            return [
                "id": paper.id, "version": value(paper.version), "submitted_at": value(paper.submittedAt?.timeIntervalSince1970),
                "updated_at": value(paper.updatedAt?.timeIntervalSince1970), "title": paper.title, "abstract": paper.abstract,
                "author_count": value(paper.authorCount), "comments": value(paper.comments), "journal_ref": value(paper.journalRef),
                "doi": value(paper.doi), "license": value(paper.license), "github_repo": value(paper.githubRepo),
                "github_stars": value(paper.githubStars), "project_page": value(paper.projectPage),
                "organization_id": value(paper.organization.flatMap { organizations[Slug.stable($0)]?.id }),
                "upvotes": paper.sourceUpvotes, "daily_date": value(paper.dailyDate?.description), "submitted_by": value(paper.submittedBy),
                "list_day": value(paper.listDay?.description), "withdrawn": paper.withdrawn,
            ]
        }
        return String(decoding: try JSONSerialization.data(withJSONObject: rows), as: UTF8.self)
    }

    /// The rows of `authors` or `organizations` for these names, by slug,
    /// made if new. Inserted in slug order: two batches making the same new
    /// names take them in one order, so one waits for the other rather than
    /// both for each other; the SELECT after the INSERT sees rows another
    /// batch committed meanwhile.
    private static func rows(table: String, names: [String], _ db: PostgresConnection, _ logger: Logger) async throws -> [String: (id: Int, name: String)] {
        guard !names.isEmpty else { return [:] }
        var nameBySlug: [String: String] = [:]
        for name in names where nameBySlug[Slug.stable(name)] == nil { nameBySlug[Slug.stable(name)] = name }
        let pairs = nameBySlug.sorted { $0.key < $1.key }
        let slugs = pairs.map(\.key)
        try await db.run("""
            INSERT INTO \(unescaped: table) (slug, name)
            SELECT slug, name FROM unnest(\(slugs)::text[], \(pairs.map(\.value))::text[]) AS n(slug, name) ORDER BY slug
            ON CONFLICT (slug) DO NOTHING
            """, logger)
        var rows: [String: (id: Int, name: String)] = [:]
        for try await (slug, id, name) in try await db.run("SELECT slug, id, name FROM \(unescaped: table) WHERE slug = ANY(\(slugs)::text[])", logger)
            .decode((String, Int, String).self) {
            rows[slug] = (id, name)
        }
        return rows
    }

    /// Clears the stored list rows (`paper_authors`, `paper_categories`) of the stored papers among `papers`.
    private static func replaceList(table: String, of papers: [Paper], stored: [String: (seq: Int, paper: Paper)],
                                    _ db: PostgresConnection, _ logger: Logger) async throws {
        let old = papers.compactMap { stored[$0.id]?.seq }
        guard !old.isEmpty else { return }
        try await db.run("DELETE FROM \(unescaped: table) WHERE paper_seq = ANY(\(old)::bigint[])", logger)
    }
}
