import Foundation
import Metrics
import Prometheus

/// One Prometheus registry and the metrics Quire records into it, read out
/// in Prometheus's text format by `GET /metrics`. `quire serve` makes one;
/// each test makes its own, so apps in one process never share counts.
public final class PrometheusMetrics: @unchecked Sendable { // lock: readers
    public let registry: PrometheusCollectorRegistry
    public let metrics: QuireMetrics
    /// Run before each read-out, for figures that are read rather than
    /// counted (how busy the database connections are right now, how far
    /// the keyword index is behind). Async: some ask the database.
    private var readers: [@Sendable (QuireMetrics) async -> Void] = []
    private let lock = NSLock()

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Finer than the library's default (from 5 ms): a cached page or an
        // API answer takes well under a millisecond.
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2_500),
            .seconds(5), .seconds(10),
        ]
        // A batch of 64 papers takes seconds on two cores.
        factory.durationHistogramBuckets["quire_embedding_batch_duration_seconds"] = [
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(20), .seconds(60),
        ]
        // Waiting for a pooled connection takes nothing while the pool has
        // room, and up to a query's length when it has none.
        factory.durationHistogramBuckets["quire_db_pool_wait_seconds"] = [
            .microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100),
            .milliseconds(500), .seconds(2), .seconds(10),
        ]
        metrics = QuireMetrics(factory: factory)
    }

    /// The text exposition format (version 0.0.4), every metric recorded so far.
    public func exposition() async -> [UInt8] {
        for read in lock.withLock({ readers }) { await read(metrics) }
        return registry.emitToBuffer()
    }

    /// Adds a figure read at each scrape (see `readers`).
    public func readBeforeEachScrape(_ read: @escaping @Sendable (QuireMetrics) async -> Void) {
        lock.withLock { readers.append(read) }
    }

    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}
