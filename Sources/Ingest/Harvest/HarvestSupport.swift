import Foundation
import QuireCore
import Storage

/// Default public endpoints.
public enum HarvestEndpoints {
    public static let arxivAPI = URL(string: "https://export.arxiv.org/api/query")!
    public static let arxivOAI = URL(string: "https://oaipmh.arxiv.org/oai")!
    public static let arxivFeed = URL(string: "https://rss.arxiv.org/atom")!
    public static let huggingFace = URL(string: "https://huggingface.co")!
    public static let gitHubAPI = URL(string: "https://api.github.com")!
}

enum Query {
    /// RFC 3986 unreserved characters plus ":" (kept readable in arXiv queries).
    static let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:")

    static func encode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// `base` with `items` appended as a query string, in the given order.
    static func url(_ base: URL, _ items: [(String, String)]) -> URL {
        let query = items.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
        let text = base.absoluteString
        return URL(string: text + (text.contains("?") ? "&" : "?") + query)!
    }

    /// `base` with `path` appended as one more path component.
    static func appending(_ base: URL, path: String) -> URL {
        var text = base.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        return URL(string: text + "/" + (path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path))!
    }
}

/// The parts every harvester needs.
struct HarvestRun {
    let store: any PaperStore
    let http: any HTTPFetching
    let log: HarvestLog
    let started = ContinuousClock.now
    let startCounters: (requests: Int, retries: Int)

    init(store: any PaperStore, http: any HTTPFetching, log: @escaping HarvestLog) async {
        self.store = store; self.http = http; self.log = log
        self.startCounters = await http.counters()
    }

    func finish(_ summary: inout HarvestSummary) async {
        let now = await http.counters()
        summary.requests = now.requests - startCounters.requests
        summary.retries = now.retries - startCounters.retries
        let elapsed = ContinuousClock.now - started
        summary.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Stores a batch with its checkpoint in one transaction and counts outcomes.
    func store(_ papers: [Paper], checkpoint: Checkpoint?, into summary: inout HarvestSummary) async throws {
        let outcomes = try await store.upsert(mergeDuplicates(papers), checkpoint: checkpoint)
        summary.count(outcomes)
        summary.pages += 1
    }
}

/// Parses one page until it is usable, retrying a page that came back empty
/// or malformed (both are sometimes transient at arXiv), `retries` times.
func fetchPage<T>(_ url: URL, http: any HTTPFetching, retries: Int, delay: TimeInterval, log: HarvestLog,
                  parse: (HTTPResponse) throws -> T) async throws -> T {
    var attempt = 0
    while true {
        do {
            let response = try await http.get(url)
            return try parse(response)
        } catch let error as HarvestError {
            switch error {
            case .malformed, .emptyPage:
                guard attempt < retries else { throw error }
                attempt += 1
                log("page retry \(attempt)/\(retries) in \(String(format: "%.1f", delay)) s: \(error)")
                if delay > 0 { try await Task.sleep(for: .milliseconds(Int64(delay * 1000))) }
            default:
                throw error
            }
        }
    }
}
