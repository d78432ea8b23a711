import Foundation
import QuireCore

/// The in-memory keyword index (`BM25Index`): loaded once from the papers,
/// then kept current from `paper_text_changes` before every search.
extension SQLiteStore {
    /// Reads and tokenizes every paper into the keyword index. Until it
    /// returns, searches use FTS5 alone; a second call (or one during loading)
    /// does nothing. On two cores: 0.8 s for 10,000 papers, 7 s for 100,000,
    /// 79 s for a million (`SearchBenchmark --load-only`), and about 1 GB of
    /// postings per million papers.
    public func loadKeywordIndex() throws {
        let shouldLoad = keywordIndexLock.withLock {
            guard case .notLoaded = keywordIndexState else { return false }
            keywordIndexState = .loading
            return true
        }
        guard shouldLoad else { return }
        do {
            try readBlocking { db in
                // Tokenizing and inverting is most of the cost: each core does a share of every 10,000 papers.
                let tokenizers = try (0..<max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4))).map { _ in try FTS5.Tokenizer(db) }
                var rows: [(seq: Int, id: String, title: String, abstract: String)] = []
                func addRows(through change: Int) {
                    let batches = UnsafeMutableBufferPointer<BM25Index.Batch>.allocate(capacity: tokenizers.count)
                    batches.initialize(repeating: BM25Index.Batch())
                    defer { batches.deinitialize().deallocate() }
                    // Worker `part` uses only tokenizer `part` and writes only batch `part`.
                    let (shared, parts, papers) = (UncheckedSendable((batches, tokenizers)), tokenizers.count, rows)
                    DispatchQueue.concurrentPerform(iterations: parts) { part in
                        let (batches, tokenizers) = shared.value
                        for i in stride(from: part, to: papers.count, by: parts) {
                            batches[part].add(seq: papers[i].seq, id: papers[i].id, title: papers[i].title, abstract: papers[i].abstract,
                                              tokenizer: tokenizers[part])
                        }
                    }
                    for batch in batches { keywordIndex.apply(batch, through: change) }
                    rows.removeAll(keepingCapacity: true)
                }
                // One snapshot: the papers read and the change they stand for agree.
                try db.readTransaction {
                    let through = try db.queryOne("SELECT coalesce(max(change), 0) FROM paper_text_changes") { $0.int(0) } ?? 0
                    try db.forEach("SELECT seq, id, title, abstract FROM papers ORDER BY seq") { row in
                        rows.append((row.int(0), row.string(1), row.string(2), row.string(3)))
                        if rows.count == 10_000 { addRows(through: 0) }
                    }
                    addRows(through: through)
                }
            }
            keywordIndexLock.withLock { keywordIndexState = .loaded }
        } catch {
            keywordIndexLock.withLock { keywordIndexState = .notLoaded }
            throw error
        }
    }

    /// Memory held by the keyword index's postings, for benchmarks.
    public var keywordIndexPostingBytes: Int { keywordIndex.postingBytes }

    /// BM25 of `words` from the in-memory index, after applying every text
    /// change stored since the last search.
    func searchKeywordIndex(_ db: SQLiteConnection, words: [String], limit: Int) throws -> [KeywordHit] {
        let tokenizer = try FTS5.Tokenizer(db)
        return try db.readTransaction {
            try catchUpKeywordIndex(db, tokenizer: tokenizer)
            var terms: [BM25Index.QueryTerm] = []
            for word in words {
                let tokens = tokenizer.tokens(word)
                if tokens.count == 1 {
                    terms.append(.token(tokens[0]))
                } else if tokens.count > 1, let phrase = SQLiteKeywordSearch.quotedTerm(word) {
                    // Several tokens ("GPT-4") must be adjacent: FTS5 knows positions, this index does not.
                    try FTS5.registerFunctions(db)
                    let frequencies = try db.query("SELECT rowid, \(FTS5.weightedFrequencyFunction)(papers_fts) FROM papers_fts WHERE papers_fts MATCH ?",
                                                   [phrase]) { (seq: $0.int(0), frequency: $0.double(1)) }
                    terms.append(.phrase(frequencies: frequencies))
                }
            }
            return keywordIndex.search(terms, limit: limit)
        }
    }

    /// Applies the changes logged since the index's last one: new and edited
    /// papers are (re)tokenized, deleted ones dropped.
    private func catchUpKeywordIndex(_ db: SQLiteConnection, tokenizer: FTS5.Tokenizer) throws {
        while true {
            let since = keywordIndex.lastChange
            var latest = since
            var changed: [Int: (id: String, title: String, abstract: String)] = [:], removed: [Int] = []
            try db.forEach("""
                SELECT c.change, c.paper_seq, p.id, p.title, p.abstract FROM paper_text_changes c
                LEFT JOIN papers p ON p.seq = c.paper_seq WHERE c.change > ? ORDER BY c.change LIMIT 5000
                """, [since]) { row in
                latest = row.int(0)
                let seq = row.int(1)
                if row.isNull(2) {
                    changed[seq] = nil
                    removed.append(seq)
                } else {
                    changed[seq] = (row.string(2), row.string(3), row.string(4)) // the current text, whichever change named it
                }
            }
            if latest == since { return }
            var batch = BM25Index.Batch()
            for (seq, paper) in changed.sorted(by: { $0.key < $1.key }) {
                batch.add(seq: seq, id: paper.id, title: paper.title, abstract: paper.abstract, tokenizer: tokenizer)
            }
            keywordIndex.apply(batch, removed: removed, after: since, through: latest)
        }
    }
}
