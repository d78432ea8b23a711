import Foundation
import QuireCore
import Storage

/// Reads Hugging Face's daily papers (`/api/daily_papers?date=YYYY-MM-DD`):
/// the papers put on that day's list, with upvotes, who submitted them, the
/// organization and the GitHub repository, each entry read by
/// `HFDailyPaperDecoder` (shared with `quire import`). Running again later
/// refreshes the upvotes (merging keeps the highest count).
public struct HFDailyHarvester: Sendable {
    public struct Options: Sendable {
        public var baseURL: URL
        public var date: Day
        public var limit: Int
        public var pageRetries: Int
        public var pageRetryDelay: TimeInterval

        public init(baseURL: URL = HarvestEndpoints.huggingFace, date: Day, limit: Int = 100,
                    pageRetries: Int = 1, pageRetryDelay: TimeInterval = 5) {
            self.baseURL = baseURL; self.date = date; self.limit = limit
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

    public var checkpointKey: String { "hf-daily:\(options.date)" }

    var url: URL {
        Query.url(Query.appending(Query.appending(options.baseURL, path: "api"), path: "daily_papers"),
                  [("date", options.date.description), ("limit", String(options.limit))])
    }

    public func run() async throws -> HarvestSummary {
        var summary = HarvestSummary(source: "hf-daily \(options.date)")
        let run = await HarvestRun(store: store, http: http, log: log)
        let url = self.url
        let items: [[String: Any]]
        do {
            items = try await fetchPage(url, http: http, retries: options.pageRetries, delay: options.pageRetryDelay, log: log) {
                try Self.parseList($0.body, url: url)
            }
        } catch let error as HarvestError {
            summary.skip(error, url: url)
            log("skipped: \(error)")
            await run.finish(&summary)
            return summary
        }
        var papers: [Paper] = []
        for (n, item) in items.enumerated() {
            summary.fetched += 1
            do { papers.append(try HFDailyPaperDecoder.paper(from: item, listDay: options.date)) } catch {
                summary.skipped.append(HarvestSkip(url: url.absoluteString, reason: "entry \(n): \(error)"))
            }
        }
        if items.isEmpty {
            summary.empty.append("\(options.date): no papers on the daily list")
        }
        let value = "fp=\(fingerprint(papers.map(\.id))) n=\(papers.count)"
        try await run.store(papers, checkpoint: Checkpoint(key: checkpointKey, value: value), into: &summary)
        log("hf-daily \(options.date): \(papers.count) papers (\(summary.inserted) new, \(summary.updated) updated)")
        summary.complete = true
        await run.finish(&summary)
        return summary
    }

    static func parseList(_ data: Data, url: URL) throws -> [[String: Any]] {
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: data) } catch {
            throw HarvestError.malformed(url: url, reason: "JSON: \((error as NSError).localizedDescription) (\(data.count) bytes)")
        }
        if let list = json as? [[String: Any]] { return list }
        if let object = json as? [String: Any], let error = object["error"] {
            throw HarvestError.malformed(url: url, reason: "error object: \(error)")
        }
        throw HarvestError.malformed(url: url, reason: "expected a JSON array of daily papers")
    }
}
