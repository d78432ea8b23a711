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
///
/// The rows go in by `COPY … FROM STDIN` (`CopyRows`): papers into a
/// temporary table that one INSERT (new papers, numbered in batch order) and
/// one UPDATE (changed ones) read, author and category links straight into
/// their tables. `bench/postgres_import_bench.sh` measures it.
extension PostgresStore {
    public func upsert(_ papers: [Paper], checkpoint: Checkpoint?) async throws -> [UpsertOutcome] {
        try await write { db in
            // Writers of papers take turns, one lock per schema for the whole
            // batch, so each merges with what the one before wrote, as
            // SQLite's single writer does. (A lock per paper id, as before,
            // cost a lock-table entry per paper: 5,000 a batch, and a few
            // importers at once would exhaust the server's shared lock table.)
            // Writers of paper text commit one at a time anyway, from their
            // first paper statement on (`PostgresStore+PaperTextFeed`); this
            // lock is always taken before that one. It ends with the transaction.
            try await db.run("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.paper_upsert'))", logger)
            let ids = Array(Set(papers.map(\.id)))
            var stored: [String: (seq: Int, paper: Paper)] = [:]
            if !ids.isEmpty {
                for row in try await Self.loadPapers(db, logger, where: "p.id = ANY(\(ids)::text[])") { stored[row.paper.id] = row }
            }
            // Organizations first (then authors: one order of tables, and of
            // slugs within each, so concurrent batches never wait in a circle),
            // so a paper holds the stored spelling of its organization's name,
            // as it reads back.
            // The stored papers' own too: a merged paper keeps its organization when the record names none.
            let organizations = try await Self.rows(table: "organizations",
                                                    names: papers.compactMap(\.organization) + stored.values.compactMap(\.paper.organization), db, logger)

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
                incoming.organization = incoming.organization.map { organizations[$0]?.name ?? $0 }
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
            var seqs = stored.mapValues(\.seq)

            if !changed.isEmpty {
                // The changed papers, staged in batch order; `stored` tells an update from a new paper.
                try await db.run("""
                    CREATE TEMPORARY TABLE incoming_papers (\(unescaped: Self.stagedColumns.map { "\($0.name) \($0.type)" }.joined(separator: ", ")))
                    ON COMMIT DROP
                    """, logger)
                var rows = CopyRows(capacity: changed.count * 1_500)
                for (position, paper) in changed.enumerated() {
                    Self.stage(paper, position: position, stored: stored[paper.id] != nil, organizations: organizations, into: &rows)
                }
                try await db.copy(rows, into: "incoming_papers", columns: Self.stagedColumns.map(\.name), logger)
            }
            if changed.contains(where: { stored[$0.id] == nil }) {
                for try await (seq, id) in try await db.run("""
                    INSERT INTO papers (id, \(unescaped: Self.paperColumns.joined(separator: ", ")), created_at, modified_at)
                    SELECT id, \(unescaped: Self.paperValues.joined(separator: ", ")), now(), now()
                    FROM incoming_papers v WHERE NOT v.stored ORDER BY v.position
                    RETURNING seq, id
                    """, logger).decode((Int, String).self) {
                    seqs[id] = seq
                }
            }
            let updated = changed.filter { stored[$0.id] != nil }
            if !updated.isEmpty {
                let assignments = zip(Self.paperColumns, Self.paperValues).map { "\($0) = \($1)" }.joined(separator: ", ")
                try await db.run("""
                    UPDATE papers p SET \(unescaped: assignments), modified_at = now()
                    FROM incoming_papers v WHERE v.stored AND p.id = v.id
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
            var authorRows = CopyRows()
            for paper in newAuthors {
                guard let seq = seqs[paper.id] else { continue }
                for (position, name) in paper.authors.enumerated() {
                    guard let author = authors[name] else { continue }
                    authorRows.int(seq); authorRows.int(position); authorRows.int(author.id); authorRows.text(name); authorRows.endRow()
                }
            }
            try await db.copy(authorRows, into: "paper_authors", columns: ["paper_seq", "position", "author_id", "name"], logger)
            let newCategories = changed.filter { stored[$0.id]?.paper.categories != $0.categories }
            try await Self.replaceList(table: "paper_categories", of: newCategories, stored: stored, db, logger)
            var categoryRows = CopyRows()
            for paper in newCategories {
                guard let seq = seqs[paper.id] else { continue }
                for (position, category) in paper.categories.enumerated() {
                    categoryRows.int(seq); categoryRows.int(position); categoryRows.text(category); categoryRows.endRow()
                }
            }
            try await db.copy(categoryRows, into: "paper_categories", columns: ["paper_seq", "position", "category"], logger)

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

    /// The staging table's columns, in the order `stage` writes them.
    private static let stagedColumns: [(name: String, type: String)] = [
        ("position", "bigint"), ("stored", "boolean"), ("id", "text"), ("version", "bigint"), ("submitted_at", "double precision"),
        ("updated_at", "double precision"), ("title", "text"), ("abstract", "text"), ("author_count", "bigint"), ("comments", "text"),
        ("journal_ref", "text"), ("doi", "text"), ("license", "text"), ("github_repo", "text"), ("github_stars", "bigint"),
        ("project_page", "text"), ("organization_id", "bigint"), ("upvotes", "bigint"), ("daily_date", "text"), ("submitted_by", "text"),
        ("list_day", "text"), ("withdrawn", "boolean"),
    ]

    /// The columns of `papers` an upsert writes (besides `id` and the row's
    /// own times), and the values it writes to them from `incoming_papers v`.
    private static let paperColumns = [
        "version", "submitted_at", "updated_at", "title", "abstract", "author_count", "comments", "journal_ref", "doi", "license",
        "github_repo", "github_stars", "project_page", "organization_id", "upvotes", "daily_date", "submitted_by", "list_day", "withdrawn",
    ]
    private static let paperValues = paperColumns.map { column in
        column == "submitted_at" || column == "updated_at" ? "to_timestamp(v.\(column))" : "v.\(column)"
    }

    /// One paper as a row of `incoming_papers`.
    private static func stage(_ paper: Paper, position: Int, stored: Bool, organizations: NamedRows,
                              into rows: inout CopyRows) {
        rows.int(position); rows.bool(stored); rows.text(paper.id); rows.int(paper.version)
        rows.seconds(paper.submittedAt); rows.seconds(paper.updatedAt); rows.text(paper.title); rows.text(paper.abstract)
        rows.int(paper.authorCount); rows.text(paper.comments); rows.text(paper.journalRef); rows.text(paper.doi)
        rows.text(paper.license); rows.text(paper.githubRepo); rows.int(paper.githubStars); rows.text(paper.projectPage)
        rows.int(paper.organization.flatMap { organizations[$0]?.id }); rows.int(paper.sourceUpvotes)
        rows.text(paper.dailyDate?.description); rows.text(paper.submittedBy); rows.text(paper.listDay?.description)
        rows.bool(paper.withdrawn)
        rows.endRow()
    }

    /// Stored rows of `authors` or `organizations`, found by any spelling
    /// of a name the batch used (each spelling slugged once).
    struct NamedRows {
        var bySlug: [String: (id: Int, name: String)] = [:]
        var slugByName: [String: String] = [:]

        subscript(name: String) -> (id: Int, name: String)? {
            bySlug[slugByName[name] ?? Slug.stable(name)]
        }
    }

    /// The rows of `authors` or `organizations` for these names, made if
    /// new. Inserted in slug order: two batches making the same new names
    /// take them in one order, so one waits for the other rather than both
    /// for each other; the SELECT after the INSERT sees rows another batch
    /// committed meanwhile.
    private static func rows(table: String, names: [String], _ db: PostgresConnection, _ logger: Logger) async throws -> NamedRows {
        var rows = NamedRows()
        guard !names.isEmpty else { return rows }
        var nameBySlug: [String: String] = [:]
        for name in names where rows.slugByName[name] == nil {
            let slug = Slug.stable(name)
            rows.slugByName[name] = slug
            if nameBySlug[slug] == nil { nameBySlug[slug] = name }
        }
        let pairs = nameBySlug.sorted { $0.key < $1.key }
        let slugs = pairs.map(\.key)
        try await db.run("""
            INSERT INTO \(unescaped: table) (slug, name)
            SELECT slug, name FROM unnest(\(slugs)::text[], \(pairs.map(\.value))::text[]) AS n(slug, name) ORDER BY slug
            ON CONFLICT (slug) DO NOTHING
            """, logger)
        for try await (slug, id, name) in try await db.run("SELECT slug, id, name FROM \(unescaped: table) WHERE slug = ANY(\(slugs)::text[])", logger)
            .decode((String, Int, String).self) {
            rows.bySlug[slug] = (id, name)
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
