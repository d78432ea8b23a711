import Foundation
import Metrics

/// Requests counted and timed by route pattern (`/papers/{id}`, never the
/// raw path, which strangers choose), method and status class (`2xx`…`5xx`).
/// The instruments of each combination are made once and kept: making one
/// asks the registry under its lock, and this runs on every request.
public final class HTTPMetrics: @unchecked Sendable {
    struct Key: Hashable {
        let route: String
        let method: String
        let status: String
    }
    struct Instruments {
        let requests: Counter
        let duration: Metrics.Timer
    }

    private let factory: any MetricsFactory
    // Guards `instruments`; held only to look up or add an entry.
    private let lock = NSLock()
    private var instruments: [Key: Instruments] = [:]

    init(factory: any MetricsFactory) { self.factory = factory }

    /// Counts one answered request and records how long it took.
    public func record(route: String, method: String, status: Int, nanoseconds: Int64) {
        let key = Key(route: route, method: Self.methodLabel(method), status: Self.statusClass(status))
        let found = lock.withLock { () -> Instruments in
            if let known = instruments[key] { return known }
            let dimensions = [("route", key.route), ("method", key.method), ("status", key.status)]
            let made = Instruments(requests: Counter(label: "quire_http_requests_total", dimensions: dimensions, factory: factory),
                                   duration: Metrics.Timer(label: "quire_http_request_duration_seconds", dimensions: dimensions, factory: factory))
            instruments[key] = made
            return made
        }
        found.requests.increment()
        found.duration.recordNanoseconds(nanoseconds)
    }

    /// The methods HTTP defines keep their name; any other token a client
    /// invents is `other`, so it cannot add series.
    static func methodLabel(_ method: String) -> String {
        knownMethods.contains(method) ? method : "other"
    }
    private static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"]

    static func statusClass(_ code: Int) -> String {
        (100..<600).contains(code) ? "\(code / 100)xx" : "other"
    }
}
