import Foundation
import Storage

/// Why a harvest request or document could not be used.
public enum HarvestError: Error, CustomStringConvertible, Sendable {
    /// A non-success HTTP status (after retries for 429 and 5xx).
    case http(url: URL, status: Int, attempts: Int, detail: String, body: Data)
    /// The request never got an HTTP answer (connection refused, timeout...).
    case transport(url: URL, attempts: Int, message: String)
    /// The body could not be parsed (truncated or malformed XML or JSON).
    case malformed(url: URL, reason: String)
    /// The arXiv API answered with its error entry ("incorrect id format").
    case apiError(url: URL, message: String)
    /// An OAI-PMH `<error code="...">` element.
    case oaiError(url: URL, code: String, message: String)
    /// A page with no entries although the total says more are left.
    case emptyPage(url: URL, start: Int, total: Int)
    case invalidArgument(String)

    public var url: URL? {
        switch self {
        case .http(let url, _, _, _, _), .transport(let url, _, _), .malformed(let url, _),
             .apiError(let url, _), .oaiError(let url, _, _), .emptyPage(let url, _, _): return url
        case .invalidArgument: return nil
        }
    }

    /// The reason alone, without the URL.
    public var reason: String {
        switch self {
        case .http(_, let status, let attempts, let detail, _):
            let tries = attempts > 1 ? " after \(attempts) attempts" : ""
            return "HTTP \(status)\(tries)" + (detail.isEmpty ? "" : ": \(detail)")
        case .transport(_, let attempts, let message):
            return "no response after \(attempts) attempt\(attempts == 1 ? "" : "s"): \(message)"
        case .malformed(_, let reason): return "malformed response: \(reason)"
        case .apiError(_, let message): return "arXiv API error: \(message)"
        case .oaiError(_, let code, let message): return "OAI-PMH error \(code)" + (message.isEmpty ? "" : ": \(message)")
        case .emptyPage(_, let start, let total): return "empty page at start=\(start) although totalResults=\(total)"
        case .invalidArgument(let message): return message
        }
    }

    public var description: String {
        if let url { return "\(reason) [\(url.absoluteString)]" }
        return reason
    }

    /// The first characters of a body, on one line, for error messages.
    static func snippet(_ data: Data, limit: Int = 200) -> String {
        let text = String(decoding: data.prefix(limit * 4), as: UTF8.self)
        let folded = Whitespace.fold(text)
        return folded.count > limit ? String(folded.prefix(limit)) + "…" : folded
    }
}

/// One thing a run could not use, with where it came from.
public struct HarvestSkip: Sendable, Codable, Equatable, CustomStringConvertible {
    public var url: String
    public var reason: String
    public init(url: String, reason: String) { self.url = url; self.reason = reason }
    public var description: String { "\(reason) [\(url)]" }
}

/// What one harvester run did.
public struct HarvestSummary: Sendable, Codable, Equatable, CustomStringConvertible {
    public var source: String
    /// Entries read from responses (before merging duplicates).
    public var fetched = 0
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    /// Pages (documents) stored, and the HTTP requests and retries it took.
    public var pages = 0
    public var requests = 0
    public var retries = 0
    /// Pages, documents or entries that could not be used.
    public var skipped: [HarvestSkip] = []
    /// Sources that served the same batch as the last stored run.
    public var stale: [String] = []
    /// Sources that served no entries at all (a quiet day).
    public var empty: [String] = []
    /// The checkpoint the run started from, if it resumed one.
    public var resumedFrom: String?
    /// Whether every page up to the end was stored.
    public var complete = false
    public var seconds = 0.0

    public init(source: String) { self.source = source }

    public var stored: Int { inserted + updated + unchanged }

    mutating func count(_ outcomes: [UpsertOutcome]) {
        for outcome in outcomes {
            switch outcome {
            case .inserted: inserted += 1
            case .updated: updated += 1
            case .unchanged: unchanged += 1
            }
        }
    }

    mutating func skip(_ error: Error, url: URL?) {
        if let h = error as? HarvestError {
            skipped.append(HarvestSkip(url: (h.url ?? url)?.absoluteString ?? "", reason: h.reason))
        } else {
            skipped.append(HarvestSkip(url: url?.absoluteString ?? "", reason: "\(error)"))
        }
    }

    public var description: String {
        var lines = ["\(source): fetched \(fetched), inserted \(inserted), updated \(updated), unchanged \(unchanged), skipped \(skipped.count)"
                     + " (\(pages) page\(pages == 1 ? "" : "s"), \(requests) request\(requests == 1 ? "" : "s"), \(retries) retr\(retries == 1 ? "y" : "ies"), "
                     + String(format: "%.1f s", seconds) + (complete ? ")" : ", INCOMPLETE)")]
        if let resumedFrom { lines.append("  resumed from checkpoint \(resumedFrom)") }
        for s in stale { lines.append("  stale: \(s)") }
        for e in empty { lines.append("  empty: \(e)") }
        for s in skipped { lines.append("  skipped: \(s)") }
        return lines.joined(separator: "\n")
    }
}

/// Progress and log lines from a run (the command line prints them on stderr).
public typealias HarvestLog = @Sendable (String) -> Void
