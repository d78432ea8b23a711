import Foundation
import QuireCore
import Storage

/// One OAI-PMH ListRecords (or GetRecord) response.
struct OAIPage {
    struct Record {
        var identifier: String
        var datestamp: String?
        var deleted: Bool
        var metadata: XMLTree?
    }
    var records: [Record] = []
    /// The token for the next page; nil or empty on the last one.
    var resumptionToken: String?
    var completeListSize: Int?
    var cursor: Int?

    init(_ data: Data, url: URL) throws {
        let root = try XMLTree.parse(data, url: url)
        guard root.name == "OAI-PMH" else {
            throw HarvestError.malformed(url: url, reason: "expected <OAI-PMH>, got <\(root.qualifiedName)>")
        }
        let errors = root.all("error")
        if let error = errors.first {
            let code = error.attributes["code"] ?? "unknown"
            // "No records match" is the empty answer of a quiet range, not a failure.
            if code == "noRecordsMatch" { return }
            throw HarvestError.oaiError(url: url, code: code, message: Whitespace.fold(error.text))
        }
        guard let list = root.first("ListRecords") ?? root.first("GetRecord") else {
            throw HarvestError.malformed(url: url, reason: "no <ListRecords> or <GetRecord> element")
        }
        for record in list.all("record") {
            guard let header = record.first("header"), let identifier = header.value("identifier") else {
                throw HarvestError.malformed(url: url, reason: "a <record> without a header identifier")
            }
            let arxiv = record.first("metadata")?.first("arXiv")
            records.append(Record(identifier: identifier, datestamp: header.value("datestamp"),
                                  deleted: header.attributes["status"] == "deleted", metadata: arxiv))
        }
        if let token = list.first("resumptionToken") {
            let text = token.text.trimmingCharacters(in: .whitespacesAndNewlines)
            resumptionToken = text.isEmpty ? nil : text
            completeListSize = token.attributes["completeListSize"].flatMap { Int($0) }
            cursor = token.attributes["cursor"].flatMap { Int($0) }
        }
    }
}

/// Back-fills from arXiv's OAI-PMH interface (`ListRecords`,
/// `metadataPrefix=arXiv`), following resumption tokens. Each page is stored
/// with the token of the next one, so a killed run resumes there. Without
/// `from`, a run starts at the latest datestamp the previous finished run saw
/// (incremental harvesting); records arXiv reports deleted mark the stored
/// paper withdrawn and are never removed.
public struct OAIHarvester: Sendable {
    public struct Options: Sendable {
        public var baseURL: URL
        public var set: String?
        public var from: Day?
        public var until: Day?
        public var metadataPrefix: String
        /// Without `from`, continue from the last finished run's latest datestamp.
        public var incremental: Bool
        public var pageRetries: Int
        public var pageRetryDelay: TimeInterval

        public init(baseURL: URL = HarvestEndpoints.arxivOAI, set: String? = nil, from: Day? = nil, until: Day? = nil,
                    metadataPrefix: String = "arXiv", incremental: Bool = true,
                    pageRetries: Int = 2, pageRetryDelay: TimeInterval = 5) {
            self.baseURL = baseURL; self.set = set; self.from = from; self.until = until
            self.metadataPrefix = metadataPrefix; self.incremental = incremental
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

    var latestKey: String { "arxiv-oai:\(options.set ?? "*"):latest" }
    func runKey(from: Day?) -> String {
        "arxiv-oai:\(options.set ?? "*"):\(from.map(\.description) ?? "*"):\(options.until.map(\.description) ?? "*")"
    }

    func firstURL(from: Day?) -> URL {
        var items = [("verb", "ListRecords"), ("metadataPrefix", options.metadataPrefix)]
        if let from { items.append(("from", from.description)) }
        if let until = options.until { items.append(("until", until.description)) }
        if let set = options.set { items.append(("set", set)) }
        return Query.url(options.baseURL, items)
    }

    func resumeURL(token: String) -> URL {
        Query.url(options.baseURL, [("verb", "ListRecords"), ("resumptionToken", token)])
    }

    /// Checkpoint values: "token=<t> max=<datestamp>" or "done max=<datestamp>".
    static func encode(token: String?, max: String?) -> String {
        (token.map { "token=\($0)" } ?? "done") + (max.map { "\t max=\($0)" } ?? "")
    }

    static func decode(_ value: String) -> (token: String?, max: String?) {
        let parts = value.components(separatedBy: "\t max=")
        let max = parts.count > 1 ? parts[1] : nil
        let head = parts[0]
        return (head.hasPrefix("token=") ? String(head.dropFirst(6)) : nil, max)
    }

    public func run() async throws -> HarvestSummary {
        var from = options.from
        if from == nil, options.incremental, let latest = try await store.checkpoint(latestKey) {
            from = Day(latest)
        }
        if let from, let until = options.until, from > until {
            throw HarvestError.invalidArgument("--from \(from) is after --until \(until)")
        }
        var summary = HarvestSummary(source: "arxiv-oai set=\(options.set ?? "*") from=\(from.map(\.description) ?? "*") until=\(options.until.map(\.description) ?? "*")")
        let run = await HarvestRun(store: store, http: http, log: log)
        let key = runKey(from: from)
        var token: String?
        var maxDatestamp: String?
        if let saved = try await store.checkpoint(key) {
            let decoded = Self.decode(saved)
            if let t = decoded.token {
                token = t
                maxDatestamp = decoded.max
                summary.resumedFrom = saved
                log("resuming \(key) with resumptionToken \(t)")
            }
        }
        var restartedOnce = false
        while true {
            try Task.checkCancellation()
            let url = token.map(resumeURL) ?? firstURL(from: from)
            let page: OAIPage
            do {
                page = try await fetchPage(url, http: http, retries: options.pageRetries, delay: options.pageRetryDelay, log: log) {
                    try OAIPage($0.body, url: url)
                }
            } catch let error as HarvestError {
                // A saved token may have expired: start the range again once.
                if case .oaiError(_, "badResumptionToken", _) = error, summary.resumedFrom != nil, !restartedOnce {
                    log("saved resumption token rejected (\(error.reason)); starting the range again")
                    restartedOnce = true
                    token = nil
                    maxDatestamp = nil
                    continue
                }
                summary.skip(error, url: url)
                log("stopping: \(error)")
                break
            }
            var papers: [Paper] = []
            for record in page.records {
                summary.fetched += 1
                if let d = record.datestamp, d > (maxDatestamp ?? "") { maxDatestamp = d }
                if record.deleted {
                    // Never delete: mark what we hold as withdrawn.
                    let raw = record.identifier.replacingOccurrences(of: "oai:arXiv.org:", with: "")
                    if let id = ArxivID.parse(raw), var held = try await store.paper(id: id.base) {
                        held.withdrawn = true
                        papers.append(held)
                    }
                    continue
                }
                guard let metadata = record.metadata else {
                    summary.skipped.append(HarvestSkip(url: url.absoluteString, reason: "record \(record.identifier): no arXiv metadata"))
                    continue
                }
                do { papers.append(try Paper.fromOAI(metadata, identifier: record.identifier)) } catch {
                    summary.skipped.append(HarvestSkip(url: url.absoluteString, reason: "\(error)"))
                }
            }
            let next = page.resumptionToken
            try await run.store(papers, checkpoint: Checkpoint(key: key, value: Self.encode(token: next, max: maxDatestamp)), into: &summary)
            let size = page.completeListSize.map { "/\($0)" } ?? ""
            log("arxiv-oai: \(summary.fetched)\(size) records (\(summary.inserted) new, \(summary.updated) updated)")
            guard let next else {
                summary.complete = true
                if options.incremental, let maxDatestamp, Day(maxDatestamp) != nil {
                    let previous = try await store.checkpoint(latestKey) ?? ""
                    if maxDatestamp > previous {
                        _ = try await store.upsert([], checkpoint: Checkpoint(key: latestKey, value: maxDatestamp))
                    }
                }
                break
            }
            token = next
        }
        await run.finish(&summary)
        return summary
    }
}
