import Foundation
import QuireCore
import Storage

/// Reads arXiv's announcement feed (`<feed-url>/<category>`, Atom with
/// `arxiv:announce_type` new / cross / replace / replace-cross) for each
/// category. A cross-list is the same paper as its primary listing and merges
/// into it; a replacement updates the version. The ids of each category's
/// batch are fingerprinted in a checkpoint stored with the batch, and a feed
/// serving the very same batch again is reported stale instead of passing for
/// a day without news.
public struct FeedHarvester: Sendable {
    public struct Options: Sendable {
        public var baseURL: URL
        public var categories: [String]
        /// Announce types to keep (all four by default).
        public var announceTypes: Set<String>
        public var pageRetries: Int
        public var pageRetryDelay: TimeInterval

        public init(baseURL: URL = HarvestEndpoints.arxivFeed, categories: [String],
                    announceTypes: Set<String> = ["new", "cross", "replace", "replace-cross"],
                    pageRetries: Int = 1, pageRetryDelay: TimeInterval = 5) {
            self.baseURL = baseURL; self.categories = categories; self.announceTypes = announceTypes
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

    public static func checkpointKey(category: String) -> String { "arxiv-feed:\(category)" }

    /// Checkpoint value: "fp=<fingerprint> n=<entries> updated=<feed updated>".
    static func storedFingerprint(_ value: String?) -> String? {
        guard let value, value.hasPrefix("fp=") else { return nil }
        return value.dropFirst(3).split(separator: " ").first.map(String.init)
    }

    public func run() async throws -> HarvestSummary {
        guard !options.categories.isEmpty else { throw HarvestError.invalidArgument("no categories given") }
        var summary = HarvestSummary(source: "arxiv-feed \(options.categories.joined(separator: ","))")
        let run = await HarvestRun(store: store, http: http, log: log)
        var everyCategoryRead = true
        for category in options.categories {
            try Task.checkCancellation()
            let url = Query.appending(options.baseURL, path: category)
            let feed: AtomFeed
            do {
                feed = try await fetchPage(url, http: http, retries: options.pageRetries, delay: options.pageRetryDelay, log: log) {
                    try AtomFeed($0.body, url: url)
                }
            } catch let error as HarvestError {
                summary.skip(error, url: url)
                log("\(category): skipped: \(error)")
                everyCategoryRead = false
                continue
            }
            let key = Self.checkpointKey(category: category)
            let rawIDs = feed.entries.compactMap { $0.value("id") }
            if feed.entries.isEmpty {
                summary.empty.append("\(category): no announcements (feed updated \(feed.updated ?? "?"))")
                log("\(category): no announcements")
                continue
            }
            let print = fingerprint(rawIDs)
            if Self.storedFingerprint(try await store.checkpoint(key)) == print {
                summary.fetched += feed.entries.count
                summary.stale.append("\(category): the feed repeats the last stored batch (\(rawIDs.count) entries, feed updated \(feed.updated ?? "?"))")
                log("\(category): stale, same \(rawIDs.count) entries as the last stored run")
                continue
            }
            var papers: [Paper] = []
            var types: [String: Int] = [:]
            for entry in feed.entries {
                summary.fetched += 1
                do {
                    let (paper, type) = try Paper.fromArxivFeed(entry)
                    let t = type ?? "new"
                    guard options.announceTypes.contains(t) else { continue }
                    types[t, default: 0] += 1
                    papers.append(paper)
                } catch {
                    summary.skipped.append(HarvestSkip(url: url.absoluteString, reason: "\(error)"))
                }
            }
            let value = "fp=\(print) n=\(rawIDs.count) updated=\(feed.updated ?? "")"
            try await run.store(papers, checkpoint: Checkpoint(key: key, value: value), into: &summary)
            let breakdown = types.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            log("\(category): \(papers.count) entries (\(breakdown))")
        }
        summary.complete = everyCategoryRead
        await run.finish(&summary)
        return summary
    }
}
