import Foundation
import QuireCore
import Storage

/// BM25 keyword search from memory, the same on every store: a `BM25Index`
/// loaded from the store's `PaperTextFeed` and caught up from it before each
/// search, so papers written by another server or command are found.
///
/// Words of several tokens ("GPT-4") and quoted phrases need the tokens
/// adjacent. The index keeps no positions (they would double its memory):
/// the papers holding every token are taken from the postings, and their
/// text, read from the store, is tokenized again to count the phrase. A
/// phrase of common tokens costs more ("in the"), but such phrases are rare
/// in queries, and a word query never pays for positions.
public final class KeywordSearch: @unchecked Sendable { // `lock` guards `state`
    let feed: any PaperTextFeed
    let index = BM25Index()
    private let lock = NSLock()
    private var state = State.notLoaded
    private enum State { case notLoaded, loading(Task<Void, any Error>), loaded }
    /// When the index last held every change: the moment a catch-up asked
    /// for more and found none (guarded by `lock`). Before that, when it was made.
    private var caughtUpAt = ContinuousClock.now

    /// Papers read per page while loading, and changes per catch-up step.
    static let pageSize = 10_000, changesPerStep = 5_000
    /// A phrase whose tokens all occur in more papers than this is left to
    /// the store's own search (`answersCheaply`): checking adjacency costs
    /// 0.04 ms of CPU a candidate (reading and tokenizing its text), so a
    /// phrase of common words ("of the": 19,852 candidates of 20,000 papers)
    /// took 0.75 s of CPU, where FTS5's positions answer in 20 ms
    /// (`SearchBenchmark`).
    public static let phraseCandidateLimit = 2_000

    public init(feed: any PaperTextFeed) { self.feed = feed }

    /// Searches use the index once this is true (until then, the store's own keyword search, when it has one).
    public var isLoaded: Bool {
        lock.withLock { if case .loaded = state { true } else { false } }
    }
    /// Papers indexed.
    public var count: Int { index.count }
    /// Papers ever added, replaced ones included.
    var positions: Int { index.positions }
    /// Memory held by the postings, for benchmarks.
    public var postingBytes: Int { index.postingBytes }
    /// Papers holding every token of `phrase`: those its adjacency is checked on. For benchmarks.
    public func candidates(forPhrase phrase: String) -> Int { index.papers(containingAll: KeywordTokenizer.tokens(phrase)).count }

    /// Reads and tokenizes every paper, once: a call during the load waits
    /// for it, a call after it returns at once, a call after a failed load
    /// tries again. Tokenizing runs on Dispatch's threads, not Swift's
    /// cooperative pool, so requests are answered meanwhile. The load is a
    /// task of its own: a caller that gives up waiting does not stop it.
    public func load() async throws {
        let loading: Task<Void, any Error>? = lock.withLock {
            switch state {
            case .loaded: return nil
            case .loading(let task): return task
            case .notLoaded:
                let task = Task { try await self.readEveryPaper() }
                state = .loading(task)
                return task
            }
        }
        try await loading?.value
    }

    private func readEveryPaper() async throws {
        do {
            // The change number first: whatever is written while the pages are
            // read is then applied again afterwards, which is harmless.
            let through = try await feed.latestTextChange()
            var lastSeq = 0
            while true {
                let papers = try await feed.paperTexts(afterSeq: lastSeq, limit: Self.pageSize)
                guard let last = papers.last else { break }
                lastSeq = last.seq
                for batch in await Self.tokenized(papers) { index.apply(batch, through: 0) }
            }
            index.apply(BM25Index.Batch(), through: through)
            try await catchUp()
            lock.withLock { state = .loaded }
        } catch {
            lock.withLock { state = .notLoaded }
            throw error
        }
    }

    /// `papers` tokenized and inverted, a share on each core (up to four).
    static func tokenized(_ papers: [PaperText]) async -> [BM25Index.Batch] {
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4))
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let batches = UnsafeMutableBufferPointer<BM25Index.Batch>.allocate(capacity: parts)
                batches.initialize(repeating: BM25Index.Batch())
                defer { batches.deinitialize().deallocate() }
                let shared = UncheckedSendable(batches) // worker `part` writes only batch `part`
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    for i in stride(from: part, to: papers.count, by: parts) { shared.value[part].add(papers[i]) }
                }
                continuation.resume(returning: Array(batches))
            }
        }
    }

    /// Applies the changes made since the index's last one: new and edited
    /// papers are (re)tokenized, deleted ones dropped. Two searches catching
    /// up at once read the same changes, and one applies them. Searches do
    /// it first; `quire serve` also does it every second, so a search after
    /// a large import elsewhere finds the work done.
    public func catchUp() async throws {
        while true {
            let since = index.lastChange
            let asked = ContinuousClock.now
            let changes = try await feed.paperTextChanges(after: since, limit: Self.changesPerStep)
            guard changes.through > since else {
                lock.withLock { caughtUpAt = max(caughtUpAt, asked) }
                return
            }
            var batch = BM25Index.Batch()
            for paper in changes.changed { batch.add(paper) }
            index.apply(batch, removed: changes.removed, after: since, through: changes.through)
        }
    }

    /// How far the index is behind the feed (for the metrics): changes not
    /// applied yet, and seconds since it last held every change (0 when it
    /// holds them all now), so at most the age of the oldest missing change.
    public func lag(now: ContinuousClock.Instant = .now) async throws -> Lag {
        let latest = try await feed.latestTextChange()
        let behind = max(0, latest - index.lastChange)
        guard behind > 0 else { return Lag(changes: 0, seconds: 0) }
        let since = now - lock.withLock { caughtUpAt }
        return Lag(changes: behind, seconds: max(0, Double(since.components.seconds) + Double(since.components.attoseconds) / 1e18))
    }

    public struct Lag: Sendable, Equatable {
        public var changes: Int
        public var seconds: Double
    }

    /// Whether every word of several tokens and every phrase has at most
    /// `phraseCandidateLimit` candidates; words of one token always do.
    public func answersCheaply(words: [String], phrases: [String]) -> Bool {
        (words + phrases).map(KeywordTokenizer.tokens).allSatisfy { tokens in
            tokens.count <= 1 || index.papers(containingAll: tokens).count <= Self.phraseCandidateLimit
        }
    }

    /// The best `limit` papers holding any of `words` (or none given) and
    /// every one of `phrases`, by BM25 of all of them: FTS5's
    /// `bm25(papers_fts, 2.0, 1.0)` of `(w1 OR w2) AND "p1"`.
    public func search(words: [String], phrases: [String], limit: Int) async throws -> [KeywordHit] {
        try await catchUp()
        let terms = try await queryTerms(words), required = try await queryTerms(phrases)
        guard !terms.isEmpty || !required.isEmpty else { return [] }
        return index.search(terms, required: required, limit: limit)
    }

    /// Ids of the papers holding every one of `words` and `phrases`, in no
    /// particular order (`SearchIndexStore.keywordMatches`).
    public func matches(words: [String], phrases: [String]) async throws -> [String] {
        try await catchUp()
        let groups = (words + phrases).map(KeywordTokenizer.tokens).filter { !$0.isEmpty }
        guard !groups.isEmpty else { return [] }
        let candidates = index.papers(containingAll: groups.flatMap { $0 })
        let phrases = groups.filter { $0.count > 1 }
        guard !phrases.isEmpty, !candidates.isEmpty else { return candidates.map(\.id) }
        return try await texts(of: candidates.map(\.seq)).filter { paper in
            phrases.allSatisfy { Self.frequency(of: $0, in: paper) > 0 }
        }.map(\.id)
    }

    private func queryTerms(_ words: [String]) async throws -> [BM25Index.QueryTerm] {
        var terms: [BM25Index.QueryTerm] = []
        for word in words {
            let tokens = KeywordTokenizer.tokens(word)
            if tokens.count == 1 {
                terms.append(.token(tokens[0]))
            } else if tokens.count > 1 {
                terms.append(.phrase(frequencies: try await phraseFrequencies(tokens)))
            }
        }
        return terms
    }

    /// Each paper holding the phrase `tokens`, with its weighted frequency
    /// there: the candidates from the postings, checked on their text.
    func phraseFrequencies(_ tokens: [String]) async throws -> [(seq: Int, frequency: Double)] {
        let candidates = index.papers(containingAll: tokens)
        guard !candidates.isEmpty else { return [] }
        return try await texts(of: candidates.map(\.seq)).compactMap { paper in
            let frequency = Self.frequency(of: tokens, in: paper)
            return frequency > 0 ? (paper.seq, frequency) : nil
        }
    }

    private func texts(of seqs: [Int]) async throws -> [PaperText] {
        var texts: [PaperText] = []
        for start in stride(from: 0, to: seqs.count, by: Self.pageSize) {
            texts += try await feed.paperTexts(seqs: Array(seqs[start..<min(start + Self.pageSize, seqs.count)]))
        }
        return texts
    }

    /// How often the tokens occur in a row in the title (counting
    /// `titleWeight` each) and in the abstract (`abstractWeight`), as FTS5
    /// counts a phrase: within one column, overlapping occurrences each.
    static func frequency(of phrase: [String], in paper: PaperText) -> Double {
        func occurrences(_ text: String) -> Int {
            let tokens = KeywordTokenizer.tokens(text)
            guard tokens.count >= phrase.count else { return 0 }
            return (0...(tokens.count - phrase.count)).reduce(0) { count, start in
                count + (tokens[start..<(start + phrase.count)].elementsEqual(phrase) ? 1 : 0)
            }
        }
        return Double(BM25Index.titleWeight) * Double(occurrences(paper.title)) + Double(BM25Index.abstractWeight) * Double(occurrences(paper.abstract))
    }
}
