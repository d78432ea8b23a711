import Foundation
import QuireCore
import Storage

/// Reads Hugging Face's daily papers (`/api/daily_papers?date=YYYY-MM-DD`):
/// the papers put on that day's list, with upvotes, who submitted them, the
/// organization and the GitHub repository. Running again later refreshes the
/// upvotes (merging keeps the highest count).
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
            do { papers.append(try Self.paper(item, day: options.date)) } catch {
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

    struct EntryError: Error, CustomStringConvertible {
        var description: String
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

    static func string(_ value: Any?) -> String? {
        guard let s = value as? String else { return nil }
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty ? nil : t
    }

    /// A count as Hugging Face gives it (a number, or a number in a string).
    /// Any size is taken without trapping; `Paper` clamps it (`ClampedCount`).
    static func int(_ value: Any?) -> Int? {
        if let n = value as? Int { return n }
        if let n = value as? Double { return ClampedCount.clamp(n) }
        if let n = value as? NSNumber { return ClampedCount.clamp(n.doubleValue) }
        if let s = value as? String { return Int(s) ?? Double(s).flatMap { ClampedCount.clamp($0) } }
        return nil
    }

    /// An organization given as an object ({"name", "fullname"}) or a string.
    static func organization(_ value: Any?) -> String? {
        if let o = value as? [String: Any] { return string(o["fullname"]) ?? string(o["name"]) }
        return string(value)
    }

    /// One element of the daily list: `{"paper": {...}, "publishedAt", "submittedBy", ...}`.
    static func paper(_ item: [String: Any], day: Day) throws -> Paper {
        guard let p = item["paper"] as? [String: Any] else { throw EntryError(description: "no \"paper\" object") }
        guard let rawID = string(p["id"]) else { throw EntryError(description: "no paper id") }
        let arxiv = ArxivID.parse(rawID)
        let title = HarvestText.title(string(p["title"]) ?? string(item["title"]) ?? "")
        guard !title.isEmpty else { throw EntryError(description: "paper \(rawID): no title") }
        let authors: [String] = (p["authors"] as? [[String: Any]] ?? []).compactMap { a in
            string(a["name"]).map(HarvestText.name)
        }
        let submitter = item["submittedBy"] as? [String: Any] ?? p["submittedOnDailyBy"] as? [String: Any]
        return Paper(
            id: arxiv?.base ?? Paper.derivedID(title: title),
            version: arxiv?.version,
            submittedAt: string(p["publishedAt"]).flatMap(Timestamp.parse),
            title: title,
            abstract: HarvestText.abstract(string(p["summary"]) ?? string(item["summary"]) ?? ""),
            authors: authors,
            githubRepo: string(p["githubRepo"]) ?? string(item["githubRepo"]),
            githubStars: int(p["githubStars"]) ?? int(item["githubStars"]),
            projectPage: string(p["projectPage"]) ?? string(item["projectPage"]),
            organization: organization(item["organization"]) ?? organization(p["organization"]),
            upvotes: int(p["upvotes"]) ?? int(item["upvotes"]) ?? 0,
            dailyDate: day,
            submittedBy: submitter.flatMap { string($0["name"]) ?? string($0["user"]) })
    }
}
