import Foundation
import NIOPosix
import QuireCore

/// The default store: one SQLite file in WAL mode. One connection writes
/// (SQLite allows one writer at a time anyway); readers each get their own
/// connection, so pages keep being served while an import runs.
public final class SQLiteStore: PaperStore, SearchIndexStore, StoreKeywordSearch, EmbeddingStore, SummaryStore, ChangeTracking, @unchecked Sendable { // writerLock: writer and id caches; readersLock: idleReaders
    public let path: String
    private let writer: SQLiteConnection
    private let writerLock = NSLock()
    private let writerQueue = DispatchQueue(label: "quire.sqlite.writer")
    private var idleReaders: [SQLiteConnection] = []
    /// Reader connections opened so far (they are kept), for `connectionUse`.
    private var openReaders = 0
    private let readersLock = NSLock()
    /// Writes asked for and not finished (waiting on the queue or running),
    /// and reads waiting for a reader thread; both for `connectionUse`.
    private var queuedWrites = 0, waitingReads = 0
    private let queuedWritesLock = NSLock()
    /// Author and organization ids (by name and by slug): they are never deleted, and an
    /// import looks up the same names thousands of times. Dropped when a
    /// write rolls back (see `upsert`).
    private var authorIDs: [String: Int] = [:]
    private var organizationIDs: [String: Int] = [:]
    /// Readers' caches' generation (`ChangeTracking`): see `SQLiteStore+ChangeTracking`.
    let changes = ChangeCounter(pollInterval: SQLiteStore.otherWritersPollInterval)

    /// The writer connection's page cache, in KiB.
    static let writerCacheKiB = 64 * 1024

    public init(path: String) throws {
        self.path = path
        writer = try SQLiteConnection(path: path)
        try writer.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
        // SQLite's default page cache (2 MB) is far smaller than one import
        // batch touches (the author, slug and full-text indexes): the writer
        // re-read pages all through each transaction. Pages are only
        // allocated as they are used. Statement journals (every INSERT that
        // fires the full-text triggers saves the pages it may have to undo)
        // went to a temporary file, some 16 system calls per statement: in
        // memory they cost a copy.
        try writer.execute("PRAGMA cache_size = -\(Self.writerCacheKiB); PRAGMA temp_store = MEMORY;")
        try SQLiteMigrations.migrate(writer)
    }

    // MARK: Connections

    /// Runs `body` on the writer connection, on the writer's own queue: the
    /// caller suspends meanwhile, and no thread of Swift's cooperative pool
    /// (one per core) ever waits on SQLite. One queue for one connection:
    /// writes apply in the order they were asked for.
    /// `visibleToReaders: false` is for bookkeeping no page shows (an API
    /// token's last use): it leaves readers' caches alone (`ChangeTracking`).
    public func write<T: Sendable>(visibleToReaders: Bool = true, _ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        queuedWritesLock.withLock { queuedWrites += 1 }
        defer { queuedWritesLock.withLock { queuedWrites -= 1 } }
        return try await withCheckedThrowingContinuation { continuation in
            writerQueue.async { continuation.resume(with: Result { try self.writeBlocking(visibleToReaders: visibleToReaders, body) }) }
        }
    }

    /// How busy the connections are, for the metrics: reads running now
    /// (each holds a reader connection), reads waiting for one of the reader
    /// threads (all busy), reader connections open, and writes waiting for
    /// the one writer or running on it.
    public struct ConnectionUse: Sendable, Equatable {
        public var readsRunning: Int
        public var readsQueued: Int
        public var readerConnections: Int
        public var writesQueued: Int
    }

    public var connectionUse: ConnectionUse {
        let (open, idle) = readersLock.withLock { (openReaders, idleReaders.count) }
        let (writes, reads) = queuedWritesLock.withLock { (queuedWrites, waitingReads) }
        return ConnectionUse(readsRunning: open - idle, readsQueued: reads, readerConnections: open, writesQueued: writes)
    }

    /// Runs `body` on a reader connection of its own, on one of the reader
    /// threads (`SQLiteThreads.readers`); the caller suspends meanwhile.
    public func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        queuedWritesLock.withLock { waitingReads += 1 }
        do {
            return try await SQLiteThreads.readers.runIfActive {
                // No longer waiting once a thread takes it.
                self.queuedWritesLock.withLock { self.waitingReads -= 1 }
                return try self.readBlocking(body)
            }
        } catch let refused as NIOThreadPoolError.ThreadPoolInactive {
            queuedWritesLock.withLock { waitingReads -= 1 }
            throw refused
        }
    }

    /// `write` for code already on a thread of its own (a command-line loop,
    /// a test): blocks the calling thread. Never call it from async code.
    public func writeBlocking<T>(visibleToReaders: Bool = true, _ body: (SQLiteConnection) throws -> T) throws -> T {
        writerLock.lock(); defer { writerLock.unlock() }
        // Even when the body throws: a write without a transaction may have committed part.
        defer { if visibleToReaders { changes.bump() } }
        return try body(writer)
    }

    /// Runs `body` on the writer connection if no write is under way; nil if one is.
    func writerIfIdle<T>(_ body: (SQLiteConnection) throws -> T) rethrows -> T? {
        guard writerLock.try() else { return nil }
        defer { writerLock.unlock() }
        return try body(writer)
    }

    /// `read` for code already on a thread of its own: blocks the calling thread.
    public func readBlocking<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        readersLock.lock()
        let pooled = idleReaders.popLast()
        readersLock.unlock()
        let connection = try pooled ?? {
            let c = try SQLiteConnection(path: path)
            try c.execute("PRAGMA query_only = ON")
            readersLock.withLock { openReaders += 1 }
            return c
        }()
        defer { readersLock.lock(); idleReaders.append(connection); readersLock.unlock() }
        return try body(connection)
    }

    // MARK: Writes

    public func upsert(_ papers: [Paper]) async throws -> [UpsertOutcome] {
        try await upsert(papers, checkpoint: nil)
    }

    public func upsert(_ papers: [Paper], checkpoint: Checkpoint?) async throws -> [UpsertOutcome] {
        try await write { db in
            do {
                return try db.transaction {
                    let outcomes = try self.upsertBatch(papers, db)
                    if let checkpoint {
                        try db.run("""
                            INSERT INTO checkpoints (key, value, updated_at) VALUES (?, ?, ?)
                            ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                            """, [checkpoint.key, checkpoint.value, Timestamp.format(Date())])
                    }
                    return outcomes
                }
            } catch {
                // Rolled back: author and organization rows this write inserted
                // are gone, and SQLite gives their ids to the next rows, so
                // ids cached meanwhile could name nothing, or someone else.
                self.authorIDs.removeAll()
                self.organizationIDs.removeAll()
                throw error
            }
        }
    }

    /// Upserts `papers` in order. The stored versions of the whole batch are
    /// loaded with one query (three, with authors and categories), not one
    /// per paper: at import speed, those lookups were most of the work.
    private func upsertBatch(_ papers: [Paper], _ db: SQLiteConnection) throws -> [UpsertOutcome] {
        let found = try Self.loadPapers(db, where: "p.id IN (SELECT value FROM json_each(?))", [try Self.jsonList(papers.map(\.id))])
        let stored = Dictionary(found.map { ($0.paper.id, $0) }, uniquingKeysWith: { first, _ in first })
        let now = Timestamp.format(Date())
        var written = Set<String>()
        var insertedSeqs: [Int] = []
        var outcomes: [UpsertOutcome] = []
        outcomes.reserveCapacity(papers.count)
        for incoming in papers {
            let existing: (seq: Int, paper: Paper)?
            if written.contains(incoming.id) {
                // An id met again in the same batch merges with what its first
                // occurrence wrote, read back as any later batch would read it;
                // and that one must be in the full-text index before the update
                // trigger deletes its old text from it.
                try Self.addToFullTextIndex(insertedSeqs, db)
                insertedSeqs.removeAll()
                existing = try Self.loadPapers(db, where: "p.id = ?", [incoming.id]).first
            } else {
                existing = stored[incoming.id]
            }
            let (outcome, seq) = try upsertOne(incoming, existing: existing, now: now, db)
            if outcome == .inserted { insertedSeqs.append(seq) }
            outcomes.append(outcome)
            written.insert(incoming.id)
        }
        try Self.addToFullTextIndex(insertedSeqs, db)
        return outcomes
    }

    /// Adds new papers to the full-text index, all in one statement: see
    /// migration 6 (FTS5 flushes at every statement savepoint, so one
    /// statement per paper made one index segment per paper).
    static func addToFullTextIndex(_ seqs: [Int], _ db: SQLiteConnection) throws {
        guard !seqs.isEmpty else { return }
        try db.run("""
            INSERT INTO papers_fts (rowid, title, abstract)
            SELECT seq, title, abstract FROM papers WHERE seq IN (SELECT value FROM json_each(?)) ORDER BY seq
            """, [jsonList(seqs)])
    }

    /// Writes one paper; returns what happened and the paper's seq.
    private func upsertOne(_ incoming: Paper, existing: (seq: Int, paper: Paper)?, now: String,
                           _ db: SQLiteConnection) throws -> (UpsertOutcome, seq: Int) {
        // Merged on the source's own upvote count (`Paper.sourceUpvotes`);
        // readers' upvotes are the store's own and never written from a paper.
        let paper = existing.map { $0.paper.merged(with: incoming) } ?? incoming
        if let existing, existing.paper == paper { return (.unchanged, existing.seq) }

        let organizationRef: Int? = try paper.organization.map { try self.organizationID(named: $0, db) }
        let submittedAt: String? = paper.submittedAt.map { Timestamp.format($0) }
        let updatedAt: String? = paper.updatedAt.map { Timestamp.format($0) }
        var columns: [SQLBindable] = [paper.version, submittedAt, updatedAt, paper.title, paper.abstract]
        columns += [paper.authorCount, paper.comments, paper.journalRef, paper.doi, paper.license] as [SQLBindable]
        columns += [paper.githubRepo, paper.githubStars, paper.projectPage, organizationRef, paper.sourceUpvotes] as [SQLBindable]
        columns += [paper.dailyDate?.description, paper.submittedBy, paper.listDay?.description, paper.withdrawn, now] as [SQLBindable]
        let seq: Int
        if let existing {
            seq = existing.seq
            try db.run("""
                UPDATE papers SET version = ?, submitted_at = ?, updated_at = ?, title = ?, abstract = ?,
                    author_count = ?, comments = ?, journal_ref = ?, doi = ?, license = ?, github_repo = ?,
                    github_stars = ?, project_page = ?, organization_id = ?, upvotes = ?, daily_date = ?,
                    submitted_by = ?, list_day = ?, withdrawn = ?, modified_at = ?
                WHERE seq = ?
                """, columns + [seq])
            if existing.paper.title != paper.title || existing.paper.abstract != paper.abstract {
                try db.run("DELETE FROM paper_embeddings WHERE paper_seq = ?", [seq]) // stale: embedded again
                try db.run("DELETE FROM paper_summaries WHERE paper_seq = ?", [seq]) // and summarised again
            }
        } else {
            try db.run("""
                INSERT INTO papers (version, submitted_at, updated_at, title, abstract, author_count, comments,
                    journal_ref, doi, license, github_repo, github_stars, project_page, organization_id, upvotes,
                    daily_date, submitted_by, list_day, withdrawn, modified_at, id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, columns + [paper.id, now])
            seq = Int(db.lastInsertRowID)
        }
        if existing?.paper.authors != paper.authors {
            if existing != nil { try db.run("DELETE FROM paper_authors WHERE paper_seq = ?", [seq]) }
            for (position, name) in paper.authors.enumerated() {
                try db.run("INSERT INTO paper_authors (paper_seq, position, author_id, name) VALUES (?, ?, ?, ?)",
                           [seq, position, try authorID(named: name, db), name])
            }
        }
        if existing?.paper.categories != paper.categories {
            if existing != nil { try db.run("DELETE FROM paper_categories WHERE paper_seq = ?", [seq]) }
            for (position, category) in paper.categories.enumerated() {
                try db.run("INSERT INTO paper_categories (paper_seq, position, category) VALUES (?, ?, ?)", [seq, position, category])
            }
        }
        return (existing == nil ? .inserted : .updated, seq)
    }

    /// Cached by the name as written, not by its slug: making a slug folds
    /// diacritics through Foundation, which cost more than the lookup saved.
    /// Names that share a slug each get an entry naming the same row.
    private func authorID(named name: String, _ db: SQLiteConnection) throws -> Int {
        if let id = authorIDs[name] { return id }
        let id = try getOrCreate(table: "authors", slug: Slug.stable(name), name: name, db)
        if authorIDs.count > 200_000 { authorIDs.removeAll() }
        authorIDs[name] = id
        return id
    }

    private func organizationID(named name: String, _ db: SQLiteConnection) throws -> Int {
        let slug = Slug.stable(name)
        if let id = organizationIDs[slug] { return id }
        let id = try getOrCreate(table: "organizations", slug: slug, name: name, db)
        organizationIDs[slug] = id
        return id
    }

    private func getOrCreate(table: String, slug: String, name: String, _ db: SQLiteConnection) throws -> Int {
        try db.run("INSERT INTO \(table) (slug, name) VALUES (?, ?) ON CONFLICT (slug) DO NOTHING", [slug, name])
        if db.changes == 1 { return Int(db.lastInsertRowID) } // a new row: no need to look it up
        guard let id = try db.queryOne("SELECT id FROM \(table) WHERE slug = ?", [slug], { $0.int(0) }) else {
            throw SQLiteError(code: 0, message: "no \(table) row for '\(slug)' right after inserting it", sql: nil)
        }
        return id
    }

    public func checkpoint(_ key: String) async throws -> String? {
        try await read { db in try db.queryOne("SELECT value FROM checkpoints WHERE key = ?", [key]) { $0.string(0) } }
    }

    // MARK: Reads

    public func paper(id: String) async throws -> Paper? {
        try await read { db in try Self.loadPapers(db, where: "p.id = ?", [id]).first?.paper }
    }

    public func papers(ids: [String]) async throws -> [Paper] {
        guard !ids.isEmpty else { return [] }
        let found = try await read { db in
            try Self.loadPapers(db, where: "p.id IN (SELECT value FROM json_each(?))", [try Self.jsonList(ids)])
        }
        let byID = Dictionary(found.map { ($0.paper.id, $0.paper) }, uniquingKeysWith: { a, _ in a })
        return ids.compactMap { byID[$0] }
    }

    public func papers(storedAfter seq: Int, limit: Int) async throws -> [SequencedPaper] {
        try await read { db in
            try Self.loadPapers(db, where: "p.seq > ?", [seq], order: "p.seq", limit: limit).map { SequencedPaper(seq: $0.seq, paper: $0.paper) }
        }
    }

    public func papers(from: Day, to: Day, submitter: String?, categories: CategorySelection, sort: ListSort, offset: Int, limit: Int) async throws -> ResultPage<Paper> {
        var condition = "p.list_day >= ? AND p.list_day < ?"
        var values: [SQLBindable] = [from.description, to.description]
        if let submitter { condition += " AND p.submitted_by = ?"; values.append(submitter) }
        if !categories.isEverything { condition += " AND " + (try Self.categoryCondition(categories.patterns, &values)) }
        let order = switch sort {
        case .publishedAt: "p.list_day DESC, p.upvotes + p.reader_upvotes DESC, p.seq DESC"
        case .upvotes: "p.upvotes + p.reader_upvotes DESC, p.list_day DESC, p.seq DESC"
        }
        return try await page(condition: condition, values: values, order: order, offset: offset, limit: limit)
    }

    public func listSignals(from: Day, to: Day, categories: CategorySelection) async throws -> [ListSignal] {
        var condition = "p.list_day >= ? AND p.list_day < ?"
        var values: [SQLBindable] = [from.description, to.description]
        if !categories.isEverything { condition += " AND " + (try Self.categoryCondition(categories.patterns, &values)) }
        return try await read { [condition, values] db in
            try db.query("SELECT p.id, p.upvotes + p.reader_upvotes, p.daily_date, p.submitted_at FROM papers p WHERE \(condition)", values) { row in
                let listedAt = row.optionalString(2).flatMap(Day.init).map(\.start)
                    ?? row.optionalString(3).flatMap(Timestamp.parse) ?? from.start
                return ListSignal(id: row.string(0), upvotes: row.int(1), listedAt: listedAt)
            }
        }
    }

    public func latestListDay() async throws -> Day? {
        try await read { db in try db.queryOne("SELECT max(list_day) FROM papers") { $0.optionalString(0) }?.flatMap(Day.init) }
    }

    public func listDay(before day: Day, categories: CategorySelection) async throws -> Day? {
        try await nearestListDay("max(p.list_day)", "p.list_day < ?", day, categories)
    }

    public func listDay(after day: Day, categories: CategorySelection) async throws -> Day? {
        try await nearestListDay("min(p.list_day)", "p.list_day > ?", day, categories)
    }

    private func nearestListDay(_ aggregate: String, _ comparison: String, _ day: Day, _ categories: CategorySelection) async throws -> Day? {
        var condition = comparison
        var values: [SQLBindable] = [day.description]
        if !categories.isEverything { condition += " AND " + (try Self.categoryCondition(categories.patterns, &values)) }
        return try await read { [condition, values] db in
            try db.queryOne("SELECT \(aggregate) FROM papers p WHERE \(condition)", values) { $0.optionalString(0) }?.flatMap(Day.init)
        }
    }

    public func author(slug: String) async throws -> Author? {
        try await read { db in
            try db.queryOne("""
                SELECT a.slug, a.name, (SELECT count(*) FROM paper_authors pa WHERE pa.author_id = a.id)
                FROM authors a WHERE a.slug = ?
                """, [slug]) { Author(slug: $0.string(0), name: $0.string(1), paperCount: $0.int(2)) }
        }
    }

    public func papers(authorSlug: String, offset: Int, limit: Int) async throws -> ResultPage<Paper> {
        try await page(condition: "p.seq IN (SELECT pa.paper_seq FROM paper_authors pa JOIN authors a ON a.id = pa.author_id WHERE a.slug = ?)",
                 values: [authorSlug], order: "p.list_day DESC, p.seq DESC", offset: offset, limit: limit)
    }

    public func organization(slug: String) async throws -> Organization? {
        try await read { db in
            try db.queryOne("""
                SELECT o.slug, o.name, (SELECT count(*) FROM papers p WHERE p.organization_id = o.id)
                FROM organizations o WHERE o.slug = ?
                """, [slug]) { Organization(slug: $0.string(0), name: $0.string(1), paperCount: $0.int(2)) }
        }
    }

    public func authors(slugContaining fragment: String?, offset: Int, limit: Int) async throws -> ResultPage<Author> {
        // A slug holds only a-z, 0-9 and '-', so the fragment has no LIKE wildcards.
        let (condition, values): (String, [SQLBindable]) = fragment.map { ("WHERE a.slug LIKE ?", ["%\($0)%"]) } ?? ("", [])
        return try await read { db in
            let total = try db.queryOne("SELECT count(*) FROM authors a \(condition)", values) { $0.int(0) } ?? 0
            let items = try db.query("""
                SELECT a.slug, a.name, (SELECT count(*) FROM paper_authors pa WHERE pa.author_id = a.id)
                FROM authors a \(condition) ORDER BY a.slug LIMIT ? OFFSET ?
                """, values + [limit, offset]) { Author(slug: $0.string(0), name: $0.string(1), paperCount: $0.int(2)) }
            return ResultPage(items: items, total: total)
        }
    }

    public func organizations(offset: Int, limit: Int) async throws -> ResultPage<Organization> {
        try await read { db in
            let total = try db.queryOne("SELECT count(*) FROM organizations") { $0.int(0) } ?? 0
            let items = try db.query("""
                SELECT o.slug, o.name, (SELECT count(*) FROM papers p WHERE p.organization_id = o.id) AS papers
                FROM organizations o ORDER BY papers DESC, o.slug LIMIT ? OFFSET ?
                """, [limit, offset]) { Organization(slug: $0.string(0), name: $0.string(1), paperCount: $0.int(2)) }
            return ResultPage(items: items, total: total)
        }
    }

    public func papers(organizationSlug: String, offset: Int, limit: Int) async throws -> ResultPage<Paper> {
        try await page(condition: "p.organization_id = (SELECT id FROM organizations WHERE slug = ?)",
                 values: [organizationSlug], order: "p.list_day DESC, p.seq DESC", offset: offset, limit: limit)
    }

    /// FTS5 with the scoring budget: what answers until `SearchService`'s
    /// in-memory index (`KeywordSearch`) is loaded.
    public func keywordSearch(words: [String], phrases: [String], limit: Int, scoringBudget: Int?) async throws -> [KeywordHit] {
        try await read { db in
            try SQLiteKeywordSearch.search(db, words: words, phrases: phrases, limit: limit, scoringBudget: scoringBudget)
        }
    }

    /// Asks FTS5, which stems and folds as the ranking does; only ids are read.
    public func keywordMatches(words: [String], phrases: [String]) async throws -> [String] {
        let terms = (words + phrases).compactMap(SQLiteKeywordSearch.quotedTerm)
        guard !terms.isEmpty else { return [] }
        return try await read { db in
            try db.query("SELECT p.id FROM papers p WHERE p.seq IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)",
                         [terms.joined(separator: " AND ")]) { $0.string(0) }
        }
    }

    /// One lookup of the unique `authors.slug` index.
    public func paperIDs(authorNamed name: String, limit: Int) async throws -> [String] {
        try await read { db in
            try db.query("""
                SELECT p.id FROM authors a JOIN paper_authors pa ON pa.author_id = a.id JOIN papers p ON p.seq = pa.paper_seq
                WHERE a.slug = ? GROUP BY p.seq ORDER BY p.list_day DESC, p.seq DESC LIMIT ?
                """, [Slug.stable(name), limit]) { $0.string(0) }
        }
    }

    /// The SQL form of `FilterRule`: authors and organizations by the slug the
    /// store keeps for each (`Slug.stable` of the name), categories by prefix.
    public func filteredPaperIDs(author: String?, category: String?, categories: CategorySelection, organization: String?,
                                 after: Day?, before: Day?, limit: Int) async throws -> [String] {
        var conditions: [String] = []
        var values: [SQLBindable] = []
        func slugCondition(_ pattern: FilterRule.NamePattern, column: String) -> String {
            switch pattern {
            case .slugContaining(let slug): values.append(slug); return "instr(\(column), ?) > 0"
            case .stableSlug(let slug): values.append(slug); return "\(column) = ?"
            }
        }
        if let author {
            let match = slugCondition(FilterRule.namePattern(author), column: "a.slug")
            conditions.append("p.seq IN (SELECT pa.paper_seq FROM paper_authors pa JOIN authors a ON a.id = pa.author_id WHERE \(match))")
        }
        if let category { conditions.append(try Self.categoryCondition([FilterRule.categoryPattern(category)], &values)) }
        if !categories.isEverything { conditions.append(try Self.categoryCondition(categories.patterns, &values)) }
        if let organization {
            let match = slugCondition(FilterRule.namePattern(organization), column: "o.slug")
            conditions.append("p.organization_id IN (SELECT o.id FROM organizations o WHERE \(match))")
        }
        if let after { conditions.append("p.list_day >= ?"); values.append(after.description) }
        if let before { conditions.append("p.list_day <= ?"); values.append(before.description) }
        let condition = conditions.isEmpty ? "1 = 1" : conditions.joined(separator: " AND ")
        return try await read { [values] db in
            try db.query("SELECT p.id FROM papers p WHERE \(condition) ORDER BY p.list_day DESC, p.seq DESC LIMIT ?", values + [limit]) { $0.string(0) }
        }
    }

    /// The SQL form of `FilterRule.category`: papers with a category equal
    /// to one of `patterns` or inside it ("cs" holds "cs.CL"), compared as
    /// ASCII lower case (SQLite's `lower()`), as the rule does. "Inside" is
    /// the byte range [pattern + ".", pattern + "/"), which holds exactly the
    /// strings that start with pattern + "." ('/' follows '.'), so both halves
    /// are lookups in the covering `lower(category), paper_seq` index
    /// (migration 11) rather than a scan of every paper's categories (40 to
    /// 70 times slower on a list, bench/category_list_bench.sh). The unary
    /// `+` keeps SQLite from driving the query from that list (a random
    /// lookup per paper of the category, in any period): the period's
    /// `list_day` range drives it, and the list is a membership test. One
    /// bound JSON list, so any number of patterns is one cached statement.
    static func categoryCondition(_ patterns: [String], _ values: inout [SQLBindable]) throws -> String {
        let list = try jsonList(patterns)
        values += [list, list]
        return """
            +p.seq IN (SELECT pc.paper_seq FROM json_each(?) want JOIN paper_categories pc ON lower(pc.category) = want.value
                      UNION ALL
                      SELECT pc.paper_seq FROM json_each(?) want JOIN paper_categories pc
                      ON lower(pc.category) >= want.value || '.' AND lower(pc.category) < want.value || '/')
            """
    }

    public func saveEmbeddings(_ vectors: [(id: String, vector: [Float])], model: String) async throws {
        try await write { db in
            try db.transaction {
                for (id, vector) in vectors {
                    let bytes = vector.withUnsafeBytes { Array($0) }
                    try db.run("""
                        INSERT INTO paper_embeddings (paper_seq, model, vector)
                        SELECT seq, ?, ? FROM papers WHERE id = ?
                        ON CONFLICT (paper_seq) DO UPDATE SET model = excluded.model, vector = excluded.vector
                        """, [model, SQLValue.blob(bytes), id])
                }
            }
        }
    }

    public func papersWithoutEmbedding(model: String, limit: Int) async throws -> [Paper] {
        try await read { db in
            try Self.loadPapers(db, where: "p.seq NOT IN (SELECT paper_seq FROM paper_embeddings WHERE model = ?)",
                                [model], order: "p.seq", limit: limit).map(\.paper)
        }
    }

    public func embeddings(model: String, afterSeq: Int, limit: Int) async throws -> [StoredEmbedding] {
        try await read { db in
            try db.query("""
                SELECT e.paper_seq, p.id, e.vector FROM paper_embeddings e JOIN papers p ON p.seq = e.paper_seq
                WHERE e.model = ? AND e.paper_seq > ? ORDER BY e.paper_seq LIMIT ?
                """, [model, afterSeq, limit]) { row in
                let bytes = row.blob(2)
                let vector = bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
                return StoredEmbedding(seq: row.int(0), id: row.string(1), vector: vector)
            }
        }
    }

    public func saveSummaries(_ summaries: [(id: String, summary: PaperSummary)], model: String) async throws {
        try await write { db in
            try db.transaction {
                for (id, summary) in summaries {
                    try db.run("""
                        INSERT INTO paper_summaries (paper_seq, model, summary, keyphrases)
                        SELECT seq, ?, ?, ? FROM papers WHERE id = ?
                        ON CONFLICT (paper_seq) DO UPDATE SET model = excluded.model, summary = excluded.summary, keyphrases = excluded.keyphrases
                        """, [model, summary.text, try Self.jsonList(summary.keyphrases), id])
                }
            }
        }
    }

    public func papersWithoutSummary(model: String, limit: Int) async throws -> [Paper] {
        try await read { db in
            try Self.loadPapers(db, where: "p.seq NOT IN (SELECT paper_seq FROM paper_summaries WHERE model = ?)",
                                [model], order: "p.seq", limit: limit).map(\.paper)
        }
    }

    /// A stored summary; nil when there is none (or its keyphrases are not a JSON list of strings).
    static func summary(text: String?, keyphrases: String?) -> PaperSummary? {
        guard let text, let data = keyphrases?.data(using: .utf8),
              let list = try? JSONDecoder().decode([String].self, from: data) else { return nil }
        return PaperSummary(text: text, keyphrases: list)
    }

    public func stats() async throws -> StoreStats {
        try await read { db in
            try db.queryOne("""
                SELECT (SELECT count(*) FROM papers), (SELECT count(*) FROM authors), (SELECT count(*) FROM organizations),
                       (SELECT count(*) FROM papers WHERE daily_date IS NOT NULL), (SELECT min(list_day) FROM papers),
                       (SELECT max(list_day) FROM papers)
                """) { row in
                StoreStats(papers: row.int(0), authors: row.int(1), organizations: row.int(2), onDailyList: row.int(3),
                           firstDay: row.optionalString(4), lastDay: row.optionalString(5))
            }!
        }
    }

    // MARK: Loading papers

    private func page(condition: String, values: [SQLBindable], order: String, offset: Int, limit: Int) async throws -> ResultPage<Paper> {
        try await read { db in
            let total = try db.queryOne("SELECT count(*) FROM papers p WHERE \(condition)", values) { $0.int(0) } ?? 0
            let items = try Self.loadPapers(db, where: condition, values, order: order, limit: limit, offset: offset)
            return ResultPage(items: items.map(\.paper), total: total)
        }
    }

    /// A list bound as one parameter: a JSON array, read back in SQL with
    /// `IN (SELECT value FROM json_each(?))`. One SQL text (so one cached
    /// statement) serves lists of every length, and any length binds.
    static func jsonList(_ values: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(values), as: UTF8.self)
    }

    static func jsonList(_ values: [Int]) -> String {
        "[" + values.map(String.init).joined(separator: ",") + "]"
    }

    /// Loads whole papers (with authors, categories and organization) matching
    /// a condition on `papers p`, in three queries however many there are.
    static func loadPapers(_ db: SQLiteConnection, where condition: String, _ values: [SQLBindable],
                           order: String = "p.seq", limit: Int = -1, offset: Int = 0) throws -> [(seq: Int, paper: Paper)] {
        var rows = try db.query("""
            SELECT p.seq, p.id, p.version, p.submitted_at, p.updated_at, p.title, p.abstract, p.author_count,
                   p.comments, p.journal_ref, p.doi, p.license, p.github_repo, p.github_stars, p.project_page,
                   o.name, p.upvotes, p.daily_date, p.submitted_by, p.withdrawn, p.reader_upvotes, psum.summary, psum.keyphrases
            FROM papers p LEFT JOIN organizations o ON o.id = p.organization_id LEFT JOIN paper_summaries psum ON psum.paper_seq = p.seq
            WHERE \(condition) ORDER BY \(order) LIMIT ? OFFSET ?
            """, values + [limit, offset]) { r -> (seq: Int, paper: Paper) in
            (r.int(0), Paper(
                id: r.string(1), version: r.optionalInt(2),
                submittedAt: r.optionalString(3).flatMap(Timestamp.parse), updatedAt: r.optionalString(4).flatMap(Timestamp.parse),
                title: r.string(5), abstract: r.string(6), authorCount: r.optionalInt(7),
                comments: r.optionalString(8), journalRef: r.optionalString(9), doi: r.optionalString(10),
                license: r.optionalString(11), githubRepo: r.optionalString(12), githubStars: r.optionalInt(13),
                projectPage: r.optionalString(14), organization: r.optionalString(15), upvotes: r.int(16),
                dailyDate: r.optionalString(17).flatMap(Day.init), submittedBy: r.optionalString(18), withdrawn: r.int(19) != 0,
                readerUpvotes: r.int(20), summary: Self.summary(text: r.optionalString(21), keyphrases: r.optionalString(22))))
        }
        guard !rows.isEmpty else { return [] }
        let seqs = rows.map(\.seq)
        let index = Dictionary(uniqueKeysWithValues: seqs.enumerated().map { ($1, $0) })
        let seqList = jsonList(seqs)
        for (seq, name) in try db.query("""
            SELECT pa.paper_seq, pa.name FROM paper_authors pa
            WHERE pa.paper_seq IN (SELECT value FROM json_each(?)) ORDER BY pa.paper_seq, pa.position
            """, [seqList], { ($0.int(0), $0.string(1)) }) {
            if let i = index[seq] { rows[i].paper.authors.append(name) }
        }
        for (seq, category) in try db.query("""
            SELECT paper_seq, category FROM paper_categories
            WHERE paper_seq IN (SELECT value FROM json_each(?)) ORDER BY paper_seq, position
            """, [seqList], { ($0.int(0), $0.string(1)) }) {
            if let i = index[seq] { rows[i].paper.categories.append(category) }
        }
        return rows
    }
}
