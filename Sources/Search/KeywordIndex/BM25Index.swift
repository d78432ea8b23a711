import Foundation
import QuireCore
import Storage

/// Every paper's words held in memory, ranked exactly as SQLite's FTS5 ranks
/// them with `bm25(papers_fts, 2.0, 1.0)`: the same tokens (`KeywordTokenizer`,
/// tested against FTS5's), the same row count, average length, IDF and
/// formula, whichever database holds the papers.
///
/// Why: FTS5 cannot stop early, and it pays a few microseconds per matching
/// row (a document-size lookup and position-list decoding), so an OR of a
/// reader's words costs hundreds of milliseconds at 100,000 papers. Here each
/// word's postings are two flat arrays and scoring one is a few nanoseconds.
/// It keeps no positions: phrases are checked on the papers' text
/// (`KeywordSearch.phraseFrequencies`).
///
/// A paper whose text changed is added again under a new position and the
/// old one is marked dead (its postings stay, skipped), so nothing is ever
/// removed from a posting list.
final class BM25Index: @unchecked Sendable { // `lock` guards every stored `var`
    /// FTS5's BM25 constants (fts5_aux.c).
    static let k1 = 1.2, b = 0.75
    /// Column weights of `bm25(papers_fts, 2.0, 1.0)`: a title word counts twice an abstract word.
    static let titleWeight: UInt16 = 2, abstractWeight: UInt16 = 1

    /// Words and, for each, the positions of the papers that contain it and
    /// their weighted frequencies: the whole index's, or one batch's.
    struct Postings {
        private(set) var terms: [String] = []
        private(set) var documents: [[UInt32]] = [], frequencies: [[UInt16]] = []
        private var termIDs: [String: Int] = [:]

        func id(of token: String) -> Int? { termIDs[token] }

        /// The id of `token`, added with no postings if it is new.
        mutating func id(adding token: String) -> Int {
            if let known = termIDs[token] { return known }
            termIDs[token] = terms.count
            terms.append(token)
            documents.append([])
            frequencies.append([])
            return terms.count - 1
        }

        mutating func append(_ token: String, position: UInt32, frequency: UInt16) {
            let term = id(adding: token)
            documents[term].append(position)
            frequencies[term].append(frequency)
        }

        /// Appends another `Postings`' lists, its positions shifted by `offset`.
        mutating func append(_ other: Postings, offset: UInt32) {
            for (local, token) in other.terms.enumerated() {
                let term = id(adding: token)
                documents[term].append(contentsOf: other.documents[local].lazy.map { $0 + offset })
                frequencies[term].append(contentsOf: other.frequencies[local])
            }
        }

        var bytes: Int { documents.reduce(0) { $0 + $1.capacity * 4 } + frequencies.reduce(0) { $0 + $1.capacity * 2 } }
    }

    /// Papers tokenized and inverted on their own, outside the lock (and on
    /// several threads while loading): merging a batch into the index then
    /// costs one lookup per distinct word rather than one per posting.
    /// Frequencies are weighted: `titleWeight` per title occurrence,
    /// `abstractWeight` per abstract one.
    struct Batch {
        var seqs: [Int] = [], ids: [String] = [], lengths: [Int32] = []
        /// By position in this batch.
        var postings = Postings()

        /// Adds one paper; a batch holds each paper at most once.
        mutating func add(_ paper: PaperText) {
            let (seq, id, title, abstract) = (paper.seq, paper.id, paper.title, paper.abstract)
            var frequencies: [String: UInt16] = [:], length = 0
            for (text, weight) in [(title, BM25Index.titleWeight), (abstract, BM25Index.abstractWeight)] {
                KeywordTokenizer.forEachToken(text) { token in
                    let term = String(decoding: token, as: UTF8.self), count = frequencies[term, default: 0]
                    frequencies[term] = count &+ weight < count ? .max : count &+ weight
                    length += 1
                }
            }
            let position = UInt32(seqs.count)
            seqs.append(seq)
            ids.append(id)
            lengths.append(Int32(clamping: length))
            for (token, frequency) in frequencies { postings.append(token, position: position, frequency: frequency) }
        }
    }

    /// One word of a query: a single token looked up here, or a phrase of
    /// several tokens ("GPT-4", "1,000") whose per-paper frequencies were
    /// counted on the papers' text, since this index keeps no positions.
    enum QueryTerm {
        case token(String)
        case phrase(frequencies: [(seq: Int, frequency: Double)])
    }

    private let lock = NSLock()
    private var postings = Postings()
    private var seqs: [Int] = []
    private var ids: [String] = []
    private var lengths: [Int32] = []
    private var live: [Bool] = []
    private var documentBySeq: [Int: Int] = [:]
    private var liveCount = 0, totalTokens = 0
    /// The newest change of the store's `PaperTextFeed` applied.
    private var appliedChange = 0

    var lastChange: Int { lock.withLock { appliedChange } }
    var count: Int { lock.withLock { liveCount } }
    /// Papers ever added, dead ones included.
    var positions: Int { lock.withLock { seqs.count } }
    /// Bytes held by the postings (the largest part).
    var postingBytes: Int {
        lock.withLock { postings.bytes }
    }

    /// Adds the papers of `batch` (replacing earlier versions of them), removes
    /// the papers in `removed` (by seq), and records `change` as applied, all at
    /// once for concurrent searches. With `after`, does nothing unless the index
    /// stands exactly there: two searches catching up at once read the same
    /// changes, and one applies them.
    func apply(_ batch: Batch, removed: [Int] = [], after previous: Int? = nil, through change: Int) {
        lock.withLock {
            if let previous, previous != appliedChange { return }
            assert(Set(batch.seqs).count == batch.seqs.count, "a paper twice in one batch")
            for seq in removed + batch.seqs { remove(seq) }
            let base = seqs.count
            for (i, seq) in batch.seqs.enumerated() { documentBySeq[seq] = base + i }
            seqs += batch.seqs
            ids += batch.ids
            lengths += batch.lengths
            live += repeatElement(true, count: batch.seqs.count)
            liveCount += batch.seqs.count
            totalTokens += batch.lengths.reduce(0) { $0 + Int($1) }
            postings.append(batch.postings, offset: UInt32(base))
            appliedChange = max(appliedChange, change)
        }
    }

    private func remove(_ seq: Int) {
        guard let position = documentBySeq.removeValue(forKey: seq) else { return }
        live[position] = false
        liveCount -= 1
        totalTokens -= Int(lengths[position])
    }

    /// The best `limit` papers containing any of `terms` (or none given) and
    /// every one of `required`, by BM25 of all of them, best first (equal
    /// scores: in the order they were indexed), as FTS5 ranks
    /// `(a OR b) AND "c d"`. A repeated term counts twice, as FTS5 counts a
    /// repeated phrase.
    func search(_ terms: [QueryTerm], required: [QueryTerm] = [], limit: Int) -> [KeywordHit] {
        lock.withLock {
            guard liveCount > 0, limit > 0 else { return [] }
            let rows = liveCount, averageLength = Double(totalTokens) / Double(liveCount)
            let allLive = liveCount == seqs.count // nothing replaced or removed yet: no liveness checks
            // A matched paper's score is positive (every IDF is at least 1e-6), so 0 means "not matched yet".
            var scores = [Double](repeating: 0, count: seqs.count)
            var matched: [Int] = []
            // Only with required terms: how many of them, and whether any of `terms`, each paper holds.
            var requiredHits = required.isEmpty ? [] : [UInt8](repeating: 0, count: seqs.count)
            var anyTerm = required.isEmpty || terms.isEmpty ? [] : [Bool](repeating: false, count: seqs.count)
            var countingRequired = false
            let k1 = Self.k1, b = Self.b
            scores.withUnsafeMutableBufferPointer { scores in
                func add(_ position: Int, _ frequency: Double, _ idf: Double) {
                    if scores[position] == 0 { matched.append(position) }
                    if countingRequired { requiredHits[position] &+= 1 } else if !anyTerm.isEmpty { anyTerm[position] = true }
                    let length = Double(lengths[position])
                    // Written as fts5_aux.c writes it, so the sums are the same doubles.
                    scores[position] += idf * ((frequency * (k1 + 1.0)) / (frequency + k1 * (1 - b + b * length / averageLength)))
                }
                for (index, term) in (terms + required).enumerated() {
                    countingRequired = index >= terms.count
                    switch term {
                    case .token(let token):
                        guard let id = postings.id(of: token) else { continue }
                        let documents = postings.documents[id], frequencies = postings.frequencies[id]
                        let hits = allLive ? documents.count : documents.reduce(0) { $0 + (live[Int($1)] ? 1 : 0) }
                        let idf = Self.idf(hits: hits, rows: rows)
                        for i in documents.indices where allLive || live[Int(documents[i])] {
                            add(Int(documents[i]), Double(frequencies[i]), idf)
                        }
                    case .phrase(let frequencies):
                        let known = frequencies.compactMap { entry in documentBySeq[entry.seq].map { ($0, entry.frequency) } }
                        let idf = Self.idf(hits: known.count, rows: rows)
                        for (position, frequency) in known { add(position, frequency, idf) }
                    }
                }
            }
            if !required.isEmpty {
                matched.removeAll { requiredHits[$0] != UInt8(clamping: required.count) || (!anyTerm.isEmpty && !anyTerm[$0]) }
            }
            var best = TopK<Double>(k: limit)
            for position in matched where best.wouldAccept(scores[position]) {
                best.insert(position, scores[position])
            }
            return best.sortedDescending().map { KeywordHit(id: ids[$0.index], score: $0.score) }
        }
    }

    /// The live papers holding every one of `tokens` (none given: none).
    func papers(containingAll tokens: [String]) -> [(seq: Int, id: String)] {
        lock.withLock {
            var lists: [[UInt32]] = []
            for token in Set(tokens) {
                guard let id = postings.id(of: token) else { return [] }
                lists.append(postings.documents[id])
            }
            lists.sort { $0.count < $1.count }
            guard let shortest = lists.first else { return [] }
            var candidates = Set(shortest.lazy.filter { self.live[Int($0)] })
            for list in lists.dropFirst() where !candidates.isEmpty { candidates.formIntersection(list) }
            return candidates.sorted().map { (seqs[Int($0)], ids[Int($0)]) }
        }
    }

    /// FTS5's IDF: never below 1e-6, so a word in most papers still counts a little.
    static func idf(hits: Int, rows: Int) -> Double {
        let idf = log((Double(rows - hits) + 0.5) / (Double(hits) + 0.5))
        return idf <= 0 ? 1e-6 : idf
    }
}

/// A reader's words, for "For you" (`Recommender`): the words that weigh
/// most in the papers they liked, each weighted by its BM25 weight summed
/// over those papers, and every paper scored by the BM25 of those words,
/// each counted by its weight (Lucene's "more like this", weighted).
///
/// Why from the postings: the index keeps no paper's words (a forward index
/// would double its memory), and the recommender trains synchronously on the
/// model threads, where the store's text cannot be read. One pass over the
/// postings finds the liked papers' words: ~10 million entries at 100,000
/// papers, a few milliseconds, paid when a reader's signals change.
extension BM25Index {
    /// The `limit` words of the live papers `ids` with the highest BM25 weight summed over them, highest first.
    func readerTerms(of ids: Set<String>, limit: Int) -> [WeightedTerm] {
        lock.withLock {
            guard liveCount > 0, limit > 0, !ids.isEmpty else { return [] }
            var liked = [Bool](repeating: false, count: seqs.count)
            var anyLiked = false
            for (position, id) in self.ids.enumerated() where live[position] && ids.contains(id) { liked[position] = true; anyLiked = true }
            guard anyLiked else { return [] }
            let rows = liveCount, averageLength = Double(totalTokens) / Double(liveCount)
            let allLive = liveCount == seqs.count
            var weights: [(term: Int, weight: Double)] = []
            for term in postings.documents.indices {
                let documents = postings.documents[term]
                var weight = 0.0, idf: Double?
                for i in documents.indices where liked[Int(documents[i])] {
                    let resolved = idf ?? Self.idf(hits: allLive ? documents.count : documents.reduce(0) { $0 + (live[Int($1)] ? 1 : 0) }, rows: rows)
                    idf = resolved
                    weight += Self.weight(frequency: Double(postings.frequencies[term][i]), length: Double(lengths[Int(documents[i])]),
                                          averageLength: averageLength, idf: resolved)
                }
                if weight > 0 { weights.append((term, weight)) }
            }
            return weights.sorted { ($0.weight, $1.term) > ($1.weight, $0.term) }.prefix(limit)
                .map { WeightedTerm(term: postings.terms[$0.term], weight: $0.weight) }
        }
    }

    /// Every live paper holding any of `terms`, with the sum of each term's
    /// BM25 times its weight; in no particular order.
    func scores(of terms: [WeightedTerm]) -> [KeywordHit] {
        lock.withLock {
            guard liveCount > 0 else { return [] }
            let rows = liveCount, averageLength = Double(totalTokens) / Double(liveCount)
            let allLive = liveCount == seqs.count
            var scores = [Double](repeating: 0, count: seqs.count), matched: [Int] = []
            for term in terms {
                guard let id = postings.id(of: term.term) else { continue }
                let documents = postings.documents[id], frequencies = postings.frequencies[id]
                let idf = Self.idf(hits: allLive ? documents.count : documents.reduce(0) { $0 + (live[Int($1)] ? 1 : 0) }, rows: rows)
                for i in documents.indices where allLive || live[Int(documents[i])] {
                    let position = Int(documents[i])
                    if scores[position] == 0 { matched.append(position) }
                    scores[position] += term.weight * Self.weight(frequency: Double(frequencies[i]), length: Double(lengths[position]),
                                                                  averageLength: averageLength, idf: idf)
                }
            }
            return matched.map { KeywordHit(id: ids[$0], score: scores[$0]) }
        }
    }

    /// One word's BM25 in one paper, as `search` adds it.
    static func weight(frequency: Double, length: Double, averageLength: Double, idf: Double) -> Double {
        idf * ((frequency * (k1 + 1.0)) / (frequency + k1 * (1 - b + b * length / averageLength)))
    }
}
