import Embedding
import Foundation
import QuireCore
import Storage
import Telemetry

public enum SearchSort: String, Sendable, CaseIterable {
    case relevance, date, upvotes
}

/// One search result: the paper, its fused score and the matched words marked.
public struct SearchHit: Sendable {
    public var paper: Paper
    public var score: Double
    public var highlightedTitle: [HighlightSpan]
    public var highlightedSummary: [HighlightSpan]
}

public struct SearchResults: Sendable {
    public var hits: [SearchHit]
    /// How many papers matched in all (before paging).
    public var total: Int
}

/// How keyword and semantic rankings are fused: reciprocal-rank fusion,
/// score = Σ weight / (k + rank). Chosen by measurement on SciFact train
/// (`quire eval`): nDCG@10 0.716 with equal weights, 0.722 with the semantic
/// ranking weighted 0.8 (the keyword ranking is the stronger one there).
public struct FusionWeights: Sendable {
    public var keyword: Double = 1.0
    public var semantic: Double = 0.8
    public var k: Double = 60
    public init(keyword: Double = 1.0, semantic: Double = 0.8, k: Double = 60) { self.keyword = keyword; self.semantic = semantic; self.k = k }
}

/// Answers searches: an arXiv id or link finds that paper; words find the
/// papers that hold them, that are close enough in meaning (MiniLM vectors)
/// or that their author wrote (`rankedMatches`), ranked by fusing BM25 and
/// meaning; filters, phrases and exclusions then apply to every match.
public final class SearchService: Sendable {
    public enum Mode: String, Sendable, CaseIterable { case hybrid, keyword, semantic }

    let store: any PaperStore & SearchIndexStore
    /// BM25 from memory, the same on every store; until it is loaded
    /// (`KeywordSearch.load`), and for a phrase of very common words
    /// (`KeywordSearch.answersCheaply`), the store's own keyword search
    /// answers when it has one (`ownKeywordSearch`, FTS5). Without one
    /// (PostgreSQL) every keyword search is the index's, the first ones
    /// waiting for its load: the same ranking on every store, never a
    /// second tokenizer in SQL that would rank differently.
    public let keywordIndex: KeywordSearch?
    let ownKeywordSearch: (any StoreKeywordSearch)?
    public let semantic: SemanticIndex?
    public let fusion: FusionWeights
    /// At most about this many papers are scored by FTS5's BM25 per search
    /// (see `SearchIndexStore.keywordSearch`) before `keywordIndex` is
    /// loaded. nil scores every
    /// match. Measured at 100k papers: 2,000 keeps 98.8% of the exact top 100
    /// and every top-10 hit, with p95 45 ms against 297 ms exact.
    public let keywordScoringBudget: Int?

    public static let maxQueryLength = 250
    /// Results are served down to the 1,000th: each deeper page ranks and
    /// loads more candidates (ten times more with filters), and nobody reads
    /// that far. `page` and `limit` beyond it are refused.
    public static let maxDepth = 1_000
    /// How deep the BM25 ranking is read for fusion, whatever the page: a
    /// fixed depth keeps a paper's score, and so the order, the same on every
    /// page. Keyword matches ranked deeper still count and are listed after,
    /// by meaning and then id. 200 covers the first eight pages of the site;
    /// deeper, the budgeted FTS5 ranking costs more for little.
    static let keywordRankingDepth = 200

    /// The cosine similarity from which a paper matches a query in meaning:
    /// below it, a paper is a result only if it holds the query's words.
    public let semanticThreshold: Float
    /// Calibrated on SciFact train (809 claims, 5,183 abstracts;
    /// `quire eval --sweep-thresholds`, keyword floor 0.5). Criterion: the
    /// highest threshold, so the fewest papers matching by meaning alone, at
    /// which hybrid nDCG@10 stays at 0.72 or above (main: 0.7218).
    ///   threshold  precision  recall  matches/query  nDCG@10
    ///   0.30       0.0042     0.952   260            0.7245
    ///   0.35       0.0095     0.916   109            0.7262
    ///   0.40       0.0224     0.862    44            0.7221   <- chosen
    ///   0.45       0.0491     0.778    18            0.7191
    /// (Precision and recall of "similarity ≥ threshold" against the judged
    /// relevant abstracts, micro-averaged; SciFact judges about one abstract
    /// a claim, so precision is low at any useful recall.)
    public static let defaultSemanticThreshold: Float = 0.40

    /// The share of the best paper's BM25 from which a paper that lacks some
    /// of the words still matches by keyword (see `rankedMatches`).
    public let keywordScoreFloor: Double
    public static let defaultKeywordScoreFloor = 0.5

    /// How long searches take, one timer per mode (made once: this runs on every search).
    private let timers: [Mode: Metrics.Timer]

    /// `keywordIndex` defaults to a new one over the store's `PaperTextFeed`
    /// (not loaded yet); services over one store may share one.
    public init(store: any PaperStore & SearchIndexStore, keywordIndex: KeywordSearch? = nil, semantic: SemanticIndex? = nil,
                fusion: FusionWeights = FusionWeights(), keywordScoringBudget: Int? = 2_000,
                semanticThreshold: Float = SearchService.defaultSemanticThreshold,
                keywordScoreFloor: Double = SearchService.defaultKeywordScoreFloor, metrics: QuireMetrics = .disabled) {
        self.keywordScoreFloor = keywordScoreFloor
        self.timers = Dictionary(uniqueKeysWithValues: Mode.allCases.map { ($0, metrics.searchTimer(mode: $0.rawValue)) })
        self.store = store
        self.keywordIndex = keywordIndex ?? (store as? any PaperTextFeed).map(KeywordSearch.init)
        self.ownKeywordSearch = store as? any StoreKeywordSearch
        self.semantic = semantic
        self.fusion = fusion
        self.keywordScoringBudget = keywordScoringBudget
        self.semanticThreshold = semanticThreshold
    }

    /// Parses and runs a query typed by a reader (throws `SearchQueryError`).
    public func search(_ text: String, limit: Int) async throws -> [SearchHit] {
        try await search(SearchQuery.parse(text), sort: .relevance, page: 0, limit: limit).hits
    }

    public func search(_ query: SearchQuery, sort: SearchSort = .relevance, page: Int = 0, limit: Int = 50,
                       mode: Mode = .hybrid) async throws -> SearchResults {
        guard let timer = timers[mode] else { return try await run(query, sort: sort, page: page, limit: limit, mode: mode) }
        return try await timer.measure { try await run(query, sort: sort, page: page, limit: limit, mode: mode) }
    }

    private func run(_ query: SearchQuery, sort: SearchSort, page: Int, limit: Int, mode: Mode) async throws -> SearchResults {
        guard page >= 0, limit >= 1, limit <= Self.maxDepth, page <= Self.maxDepth / limit - 1 else {
            throw SearchQueryError(message: "results are served down to the \(Self.maxDepth)th at most: page \(page) of \(limit) goes beyond")
        }
        if let arxiv = query.arxivID {
            guard let paper = try await store.paper(id: arxiv.base) else { return SearchResults(hits: [], total: 0) }
            return SearchResults(hits: [hit(paper, score: 1, query: query)], total: 1)
        }
        var ranked: [(id: String, score: Double)]
        if query.hasTerms {
            ranked = try await rankedMatches(query, mode: mode)
        } else if !query.filters.isEmpty {
            let f = query.filters
            let ids = try await store.filteredPaperIDs(author: f.author, category: f.category, categories: f.categories, organization: f.organization,
                                                       after: f.after, before: f.before, limit: 10_000)
            ranked = ids.map { ($0, 0) }
        } else {
            return SearchResults(hits: [], total: 0)
        }

        // Ranked by relevance with nothing to check on the papers themselves, every
        // match is a result: only the page shown needs loading.
        if sort == .relevance && query.filters.isEmpty && query.phrases.isEmpty && query.excluded.isEmpty {
            let page = Array(ranked.dropFirst(page * limit).prefix(limit))
            let byID = Dictionary(try await store.papers(ids: page.map(\.id)).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            let hits = page.compactMap { entry in byID[entry.id].map { hit($0, score: entry.score, query: query) } }
            return SearchResults(hits: hits, total: ranked.count)
        }
        // Every match is checked, whatever the page: the total is then exact and
        // the same on every page, and sorting by date or votes sorts matches only.
        let papers = try await store.papers(ids: ranked.map(\.id))
        let byID = Dictionary(papers.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var matches: [(paper: Paper, score: Double)] = ranked.compactMap { entry in
            guard let paper = byID[entry.id], accepts(paper, query) else { return nil }
            return (paper, entry.score)
        }
        // Ties fall back to the id: a total order, so pages never overlap or skip.
        switch sort {
        case .relevance: break
        case .date: matches.sort { ($0.paper.listDay ?? .distantPast, $0.score, $1.paper.id) > ($1.paper.listDay ?? .distantPast, $1.score, $0.paper.id) }
        case .upvotes: matches.sort { ($0.paper.upvotes, $0.score, $1.paper.id) > ($1.paper.upvotes, $1.score, $0.paper.id) }
        }
        let pageItems = matches.dropFirst(page * limit).prefix(limit)
        return SearchResults(hits: pageItems.map { hit($0.paper, score: $0.score, query: query) }, total: matches.count)
    }

    /// Every match of the query's words, best first. What a match is, for
    /// every caller (pages, API, feeds, saved-search alerts):
    /// - a keyword match: the paper holds every word and phrase
    ///   (`SearchIndexStore.keywordMatches`), or its BM25 is at least
    ///   `keywordScoreFloor` of the best paper's;
    /// - a match in meaning: its cosine similarity to the query is at least
    ///   `semanticThreshold`;
    /// - a paper by the author the words name ("Zesen Cheng"): these come first.
    /// The order is the reciprocal-rank fusion of the BM25 ranking (of any of
    /// the words, `keywordRankingDepth` deep) and the semantic ranking (every
    /// match), then the id: the same list whatever the page asked. Filters,
    /// phrases and exclusions are checked by the caller, on every match.
    func rankedMatches(_ query: SearchQuery, mode: Mode) async throws -> [(id: String, score: Double)] {
        let store = self.store, semantic = self.semantic, threshold = semanticThreshold
        let byWords = mode != .semantic
        // The three lookups are independent: run at once, each on its own core.
        async let keywordRanking: [KeywordHit] = byWords ? rankByWords(query) : []
        async let keywordMatches: [String] = byWords ? matchingWords(query) : []
        async let meaning: [(id: String, score: Float)] = mode == .keyword ? [] : (semantic?.matches(to: query.text, minScore: threshold) ?? [])
        // A name is a few words; the lookup is one index probe.
        let names = byWords && query.phrases.isEmpty && query.words.count <= 8
        async let authored: [String] = names ? store.paperIDs(authorNamed: query.words.joined(separator: " "), limit: Self.maxDepth) : []

        var scores: [String: Double] = [:]
        for id in try await keywordMatches { scores[id] = 0 }
        // A long query (a claim, a sentence) is rarely held word for word: a paper
        // with at least `keywordScoreFloor` of the best paper's BM25 holds most of
        // its weight (its rare words) and matches too. One word of two ("loss" of
        // "contrastive loss") weighs less than that, since the rarer word weighs more.
        let ranking = try await keywordRanking
        if let best = ranking.first?.score, best > 0 {
            for hit in ranking where hit.score >= keywordScoreFloor * best { scores[hit.id] = 0 }
        }
        let meaningIDs = try await meaning.map(\.id)
        for id in meaningIDs { scores[id] = 0 }
        let authors = Set(try await authored)
        for id in authors { scores[id] = 0 }
        // Ranks are those of the full rankings, so a paper's score does not
        // depend on which other papers matched.
        func add(_ ids: [String], weight: Double) {
            for (rank, id) in ids.enumerated() where scores[id] != nil {
                scores[id, default: 0] += weight / (fusion.k + Double(rank + 1))
            }
        }
        add(ranking.map(\.id), weight: fusion.keyword)
        add(meaningIDs, weight: fusion.semantic)
        return scores.map { (id: $0.key, score: $0.value) }.sorted { a, b in
            let (aByAuthor, bByAuthor) = (authors.contains(a.id), authors.contains(b.id))
            if aByAuthor != bByAuthor { return aByAuthor }
            return a.score != b.score ? a.score > b.score : a.id < b.id
        }
    }

    /// BM25 of any of the words (and every phrase), `keywordRankingDepth` deep.
    private func rankByWords(_ query: SearchQuery) async throws -> [KeywordHit] {
        if let index = try await memoryIndex(for: query) {
            return try await index.search(words: query.words, phrases: query.phrases, limit: Self.keywordRankingDepth)
        }
        return try await ownKeywordSearch?.keywordSearch(words: query.words, phrases: query.phrases, limit: Self.keywordRankingDepth,
                                                         scoringBudget: keywordScoringBudget) ?? []
    }

    /// Papers holding every word and phrase.
    private func matchingWords(_ query: SearchQuery) async throws -> [String] {
        if let index = try await memoryIndex(for: query) {
            return try await index.matches(words: query.words, phrases: query.phrases)
        }
        return try await ownKeywordSearch?.keywordMatches(words: query.words, phrases: query.phrases) ?? []
    }

    /// The in-memory index when it answers this query: once loaded, unless
    /// the store's own search answers a phrase of very common words faster.
    /// With no search of the store's own, always, once loaded (waiting for
    /// the load: a search that finds nothing while the server starts would
    /// look like a wrong answer). nil with neither: no keyword search.
    private func memoryIndex(for query: SearchQuery) async throws -> KeywordSearch? {
        guard let keywordIndex else { return nil }
        guard ownKeywordSearch != nil else {
            try await keywordIndex.load()
            return keywordIndex
        }
        return keywordIndex.isLoaded && keywordIndex.answersCheaply(words: query.words, phrases: query.phrases) ? keywordIndex : nil
    }

    private func accepts(_ paper: Paper, _ query: SearchQuery) -> Bool {
        guard query.filters.accepts(paper) else { return false }
        if query.phrases.isEmpty && query.excluded.isEmpty { return true }
        let text = SearchFilters.fold(paper.title + " " + paper.abstract)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        if query.phrases.contains(where: { !text.contains(SearchFilters.fold($0)) }) { return false }
        if query.excluded.contains(where: { text.contains(SearchFilters.fold($0)) }) { return false }
        return true
    }

    private func hit(_ paper: Paper, score: Double, query: SearchQuery) -> SearchHit {
        let terms = query.words + query.phrases
        return SearchHit(paper: paper, score: score,
                         highlightedTitle: Highlighter.spans(paper.title, terms: terms),
                         highlightedSummary: Highlighter.spans(paper.abstract, terms: terms))
    }

    /// Papers closest in meaning to one paper: "Similar papers" on its page.
    public func similar(to paper: Paper, limit: Int) async throws -> [Paper] {
        guard let semantic else { return [] }
        return try await store.papers(ids: semantic.nearest(toPaper: paper.id, k: limit).map(\.id))
    }
}

extension Day {
    static let distantPast = Day(year: 1, month: 1, day: 1)!
}
