import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import QuireCore

/// How a harvester talks to a remote host: who it says it is, how long it
/// waits between requests, and how hard it tries again.
public struct HTTPPolicy: Sendable {
    /// Sent as `User-Agent`; arXiv asks for a contact address in it.
    public var userAgent: String
    /// Minimum seconds between the end of one request to a host and the start
    /// of the next (arXiv asks for 3).
    public var minInterval: TimeInterval
    /// Per-host overrides of `minInterval`, keyed by host name.
    public var hostIntervals: [String: TimeInterval]
    /// Attempts after the first one for 429, 5xx and transport errors.
    public var maxRetries: Int
    /// First back-off delay in seconds when the server gives no `Retry-After`;
    /// doubled on each retry, capped at `maxBackoff`.
    public var backoffBase: TimeInterval
    public var maxBackoff: TimeInterval
    /// A `Retry-After` longer than this is cut to it.
    public var maxRetryAfter: TimeInterval
    public var timeout: TimeInterval

    public init(userAgent: String = HTTPPolicy.userAgent(contact: nil), minInterval: TimeInterval = 3,
                hostIntervals: [String: TimeInterval] = [:], maxRetries: Int = 4,
                backoffBase: TimeInterval = 5, maxBackoff: TimeInterval = 120,
                maxRetryAfter: TimeInterval = 300, timeout: TimeInterval = 60) {
        self.userAgent = userAgent; self.minInterval = minInterval; self.hostIntervals = hostIntervals
        self.maxRetries = maxRetries; self.backoffBase = backoffBase; self.maxBackoff = maxBackoff
        self.maxRetryAfter = maxRetryAfter; self.timeout = timeout
    }

    /// "Quire/0.1 (+https://github.com/quire; mailto:you@example.org)".
    public static func userAgent(contact: String?) -> String {
        let contact = contact?.trimmingCharacters(in: .whitespaces) ?? ""
        if contact.isEmpty { return "Quire/0.1 (self-hosted paper discovery)" }
        let address = contact.contains("@") && !contact.hasPrefix("mailto:") ? "mailto:\(contact)" : contact
        return "Quire/0.1 (self-hosted paper discovery; \(address))"
    }

    func interval(for host: String) -> TimeInterval { hostIntervals[host] ?? minInterval }

    func backoff(attempt: Int) -> TimeInterval {
        min(maxBackoff, backoffBase * pow(2, Double(max(0, attempt - 1))))
    }
}

public struct HTTPResponse: Sendable {
    public var url: URL
    public var status: Int
    public var headers: [String: String]
    public var body: Data
    /// Requests made for this response (1 when the first attempt succeeded).
    public var attempts: Int
}

/// Something that fetches a URL politely; tests and the web layer may swap it.
public protocol HTTPFetching: Sendable {
    /// `headers` are added to the request (`If-None-Match`, `Authorization`).
    /// A 304 answers like a 2xx: only a conditional request gets one.
    func get(_ url: URL, headers: [String: String]) async throws -> HTTPResponse
    /// Requests sent (including retries) and retries, since creation.
    func counters() async -> (requests: Int, retries: Int)
}

extension HTTPFetching {
    public func get(_ url: URL) async throws -> HTTPResponse { try await get(url, headers: [:]) }
}

/// An HTTP client that keeps at most one request in flight per host, waits a
/// minimum interval between requests to the same host, and retries 429, 5xx
/// and transport failures with exponential back-off, honouring `Retry-After`.
/// Share one instance across harvesters so the limits hold process-wide.
public actor PoliteHTTPClient: HTTPFetching {
    public nonisolated let policy: HTTPPolicy
    private let session: URLSession
    private let log: @Sendable (String) -> Void

    private var busy: Set<String> = []
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]
    private var lastFinished: [String: ContinuousClock.Instant] = [:]
    private var requestCount = 0
    private var retryCount = 0

    public init(policy: HTTPPolicy, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.policy = policy
        self.log = log
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = policy.timeout
        configuration.timeoutIntervalForResource = policy.timeout * 4
        configuration.httpMaximumConnectionsPerHost = 1
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        self.session = URLSession(configuration: configuration)
    }

    public func counters() -> (requests: Int, retries: Int) { (requestCount, retryCount) }

    private func acquire(_ host: String) async {
        if busy.contains(host) {
            await withCheckedContinuation { waiters[host, default: []].append($0) }
            // The releasing request handed its slot straight to us.
        } else {
            busy.insert(host)
        }
    }

    private func release(_ host: String) {
        lastFinished[host] = ContinuousClock.now
        if var queue = waiters[host], !queue.isEmpty {
            let next = queue.removeFirst()
            waiters[host] = queue
            next.resume()
        } else {
            busy.remove(host)
        }
    }

    private func waitForInterval(_ host: String) async throws {
        let interval = policy.interval(for: host)
        guard interval > 0, let last = lastFinished[host] else { return }
        let due = last.advanced(by: .milliseconds(Int64(interval * 1000)))
        let now = ContinuousClock.now
        if due > now { try await Task.sleep(until: due, clock: .continuous) }
    }

    public func get(_ url: URL, headers: [String: String]) async throws -> HTTPResponse {
        let host = url.host ?? ""
        await acquire(host)
        do {
            let response = try await getHoldingSlot(url, host: host, headers: headers)
            release(host)
            return response
        } catch {
            release(host)
            throw error
        }
    }

    private func getHoldingSlot(_ url: URL, host: String, headers extraHeaders: [String: String]) async throws -> HTTPResponse {
        var attempt = 0
        while true {
            attempt += 1
            try await waitForInterval(host)
            try Task.checkCancellation()
            var request = URLRequest(url: url)
            request.setValue(policy.userAgent, forHTTPHeaderField: "User-Agent")
            request.setValue("gzip", forHTTPHeaderField: "Accept-Encoding")
            for (name, value) in extraHeaders { request.setValue(value, forHTTPHeaderField: name) }
            requestCount += 1
            let delay: TimeInterval
            let failure: HarvestError
            do {
                let (data, response) = try await session.data(for: request)
                lastFinished[host] = ContinuousClock.now
                guard let http = response as? HTTPURLResponse else {
                    throw HarvestError.transport(url: url, attempts: attempt, message: "not an HTTP response")
                }
                var headers: [String: String] = [:]
                for (key, value) in http.allHeaderFields {
                    if let k = key as? String, let v = value as? String { headers[k.lowercased()] = v }
                }
                let status = http.statusCode
                if (200..<300).contains(status) || status == 304 {
                    return HTTPResponse(url: url, status: status, headers: headers, body: data, attempts: attempt)
                }
                let snippet = HarvestError.snippet(data)
                guard status == 429 || (500...599).contains(status) else {
                    throw HarvestError.http(url: url, status: status, attempts: attempt, detail: snippet, body: data)
                }
                failure = .http(url: url, status: status, attempts: attempt, detail: snippet, body: data)
                if let retryAfter = headers["retry-after"].flatMap(Self.parseRetryAfter) {
                    delay = min(policy.maxRetryAfter, max(0, retryAfter))
                } else {
                    delay = policy.backoff(attempt: attempt)
                }
            } catch let error as HarvestError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                lastFinished[host] = ContinuousClock.now
                failure = .transport(url: url, attempts: attempt, message: error.localizedDescription)
                delay = policy.backoff(attempt: attempt)
            }
            guard attempt <= policy.maxRetries else { throw failure }
            retryCount += 1
            log("retry \(attempt)/\(policy.maxRetries) in \(String(format: "%.1f", delay)) s: \(failure)")
            if delay > 0 { try await Task.sleep(for: .milliseconds(Int64(delay * 1000))) }
        }
    }

    /// `Retry-After` as seconds ("120") or an HTTP date.
    static func parseRetryAfter(_ value: String) -> TimeInterval? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed) { return seconds }
        if let date = Timestamp.parseRFC2822(trimmed) { return date.timeIntervalSinceNow }
        return nil
    }
}
