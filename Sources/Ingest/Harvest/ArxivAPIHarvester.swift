import Foundation
import QuireCore
import Storage

/// Harvests the arXiv API (`/api/query`, Atom) for categories and a range of
/// submission days, oldest first, page by page. Each page is stored together
/// with the offset of the next one, so a run killed at any moment resumes
/// where it stopped; a finished range is fetched again from the start.
public struct ArxivAPIHarvester: Sendable {
    public struct Options: Sendable {
        public var baseURL: URL
        public var categories: [String]
        public var from: Day
        public var until: Day
        /// Results per request (arXiv allows up to 2000; 100-500 is kind).
        public var pageSize: Int
        /// Stop after this many results (nil: all of them).
        public var maxResults: Int?
        /// Extra attempts for a page that comes back empty or malformed.
        public var pageRetries: Int
        public var pageRetryDelay: TimeInterval

        public init(baseURL: URL = HarvestEndpoints.arxivAPI, categories: [String], from: Day, until: Day,
                    pageSize: Int = 100, maxResults: Int? = nil, pageRetries: Int = 2, pageRetryDelay: TimeInterval = 5) {
            self.baseURL = baseURL; self.categories = categories; self.from = from; self.until = until
            self.pageSize = pageSize; self.maxResults = maxResults
            self.pageRetries = pageRetries; self.pageRetryDelay = pageRetryDelay
        }
    }

    public let options: Options
    let store: any PaperStore
    let http: any HTTPFetching
    let log: HarvestLog

    public init(options: Options, store: any PaperStore, http: any HTTPFetching, log: @escaping HarvestLog = { _ in }) {
        self.options = options; self.store = store; self.http = http; self.log = log
    }

    /// `(cat:cs.CL OR cat:cs.LG) AND submittedDate:[202501010000 TO 202501312359]`.
    public static func searchQuery(categories: [String], from: Day, until: Day) -> String {
        let cats = categories.map { "cat:\($0)" }
        let catQuery = cats.count == 1 ? cats[0] : "(" + cats.joined(separator: " OR ") + ")"
        func stamp(_ d: Day) -> String { String(format: "%04d%02d%02d", d.year, d.month, d.day) }
        return "\(catQuery) AND submittedDate:[\(stamp(from))0000 TO \(stamp(until))2359]"
    }

    public var checkpointKey: String {
        "arxiv-api:\(options.categories.sorted().joined(separator: ",")):\(options.from):\(options.until)"
    }

    func pageURL(start: Int) -> URL {
        Query.url(options.baseURL, [
            ("search_query", Self.searchQuery(categories: options.categories, from: options.from, until: options.until)),
            ("sortBy", "submittedDate"), ("sortOrder", "ascending"),
            ("start", String(start)), ("max_results", String(options.pageSize)),
        ])
    }

    public func run() async throws -> HarvestSummary {
        guard !options.categories.isEmpty else { throw HarvestError.invalidArgument("no categories given") }
        guard options.from <= options.until else { throw HarvestError.invalidArgument("--from \(options.from) is after --until \(options.until)") }
        guard options.pageSize > 0 else { throw HarvestError.invalidArgument("page size must be positive") }
        var summary = HarvestSummary(source: "arxiv-api \(options.categories.joined(separator: ",")) \(options.from)..\(options.until)")
        let run = await HarvestRun(store: store, http: http, log: log)
        let key = checkpointKey
        var start = 0
        if let saved = try await store.checkpoint(key), let s = Self.parseStart(saved) {
            start = s
            summary.resumedFrom = saved
            log("resuming \(key) at start=\(s)")
        }
        while true {
            try Task.checkCancellation()
            if let max = options.maxResults, start >= max { summary.complete = true; break }
            let url = pageURL(start: start)
            let feed: AtomFeed
            do {
                feed = try await fetchPage(url, http: http, retries: options.pageRetries, delay: options.pageRetryDelay, log: log) { response in
                    let feed = try AtomFeed(response.body, url: url)
                    if feed.entries.isEmpty, let total = feed.totalResults, start < total {
                        throw HarvestError.emptyPage(url: url, start: start, total: total)
                    }
                    return feed
                }
            } catch let error as HarvestError {
                summary.skip(Self.explain(error), url: url)
                log("stopping at start=\(start): \(Self.explain(error))")
                break
            }
            var papers: [Paper] = []
            for entry in feed.entries {
                summary.fetched += 1
                do { papers.append(try Paper.fromArxivAPI(entry)) } catch {
                    summary.skipped.append(HarvestSkip(url: url.absoluteString, reason: "\(error)"))
                }
            }
            let total = feed.totalResults ?? 0
            let next = start + feed.entries.count
            let done = feed.entries.isEmpty || next >= total || (options.maxResults.map { next >= $0 } ?? false)
            let checkpoint = Checkpoint(key: key, value: done ? "done total=\(total)" : "start=\(next) total=\(total)")
            try await run.store(papers, checkpoint: checkpoint, into: &summary)
            log("arxiv-api: \(min(next, total))/\(total) (\(summary.inserted) new, \(summary.updated) updated)")
            start = next
            if done { summary.complete = true; break }
        }
        await run.finish(&summary)
        return summary
    }

    static func parseStart(_ checkpoint: String) -> Int? {
        guard checkpoint.hasPrefix("start=") else { return nil }
        return Int(checkpoint.dropFirst(6).prefix { $0.isNumber })
    }

    /// A 400 from the API carries its reason in an Atom error entry.
    static func explain(_ error: HarvestError) -> HarvestError {
        if case .http(let url, 400, _, _, let body) = error, let message = AtomFeed.errorMessage(body) {
            return .apiError(url: url, message: message)
        }
        return error
    }
}

/// Looks papers up by arXiv id through the API: what the web layer calls when
/// a reader submits an id Quire does not hold yet.
public struct ArxivLookup: Sendable {
    public let baseURL: URL
    let http: any HTTPFetching

    public init(baseURL: URL = HarvestEndpoints.arxivAPI, http: any HTTPFetching) {
        self.baseURL = baseURL; self.http = http
    }

    /// The papers arXiv has for these ids (unknown ids are simply absent).
    /// Throws `HarvestError.apiError` for an id arXiv rejects as malformed.
    public func papers(ids: [ArxivID]) async throws -> [Paper] {
        guard !ids.isEmpty else { return [] }
        let url = Query.url(baseURL, [("id_list", ids.map(\.description).joined(separator: ",")),
                                      ("start", "0"), ("max_results", String(max(ids.count, 1)))])
        let response: HTTPResponse
        do { response = try await http.get(url) } catch let error as HarvestError { throw ArxivAPIHarvester.explain(error) }
        let feed = try AtomFeed(response.body, url: url)
        return try feed.entries.map { try Paper.fromArxivAPI($0) }
    }

    /// Fetches one id ("2410.17243", "arXiv:2410.17243v2", an abs URL) and
    /// stores it; nil when arXiv has no such paper.
    public func fetchAndStore(_ raw: String, into store: any PaperStore) async throws -> (Paper, UpsertOutcome)? {
        guard let id = ArxivID.parse(raw) else { throw HarvestError.invalidArgument("not an arXiv id: \(raw)") }
        guard let paper = try await papers(ids: [id]).first(where: { $0.id == id.base }) else { return nil }
        let outcome = try await store.upsert([paper], checkpoint: nil).first ?? .unchanged
        return (try await store.paper(id: paper.id) ?? paper, outcome)
    }
}
