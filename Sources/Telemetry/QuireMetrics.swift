@_exported import Metrics  // Timer, Counter, `measure`: whoever records a metric needs them

/// Every metric Quire records, made from one factory that the caller hands
/// in (never the process-wide `MetricsSystem`): `quire serve` passes the
/// factory of its Prometheus registry, tests build one registry per app, and
/// `.disabled` records nothing. A process-wide bootstrap could be done only
/// once, and the Swift tests build many apps in one process.
///
/// Names follow Prometheus's conventions (`_total` counters, `_seconds`
/// histograms); every label takes values from a short fixed list or the
/// route table, so the number of series stays bounded whatever is requested.
public struct QuireMetrics: Sendable {
    /// Requests by route pattern, method and status class.
    public let http: HTTPMetrics
    let factory: any MetricsFactory

    /// How long a search took, by mode (hybrid, keyword, semantic).
    public func searchTimer(mode: String) -> Timer {
        Timer(label: "quire_search_duration_seconds", dimensions: [("mode", mode)], factory: factory)
    }

    /// One batch of papers run through the embedding model and stored.
    public let embeddingBatch: Timer
    /// Papers given a vector by this process.
    public let embeddedPapers: Counter
    /// Papers with no vector yet (what the embedding worker still has to do).
    public let embeddingBacklog: Gauge

    /// A harvest round of one source (`arxiv`, `huggingface`) ending `ok` or `failed`.
    public func harvestRuns(source: String, outcome: String) -> Counter {
        Counter(label: "quire_harvest_runs_total", dimensions: [("source", source), ("outcome", outcome)], factory: factory)
    }
    /// Papers a harvest of one source stored, by `change`: `inserted` or `updated`.
    public func harvestedPapers(source: String, change: String) -> Counter {
        Counter(label: "quire_harvested_papers_total", dimensions: [("source", source), ("change", change)], factory: factory)
    }

    /// Email digests by outcome: `sent`, `failed` (refused by the mail
    /// server, not retried) or `deferred` (to be retried).
    public func digests(outcome: String) -> Counter {
        Counter(label: "quire_digests_total", dimensions: [("outcome", outcome)], factory: factory)
    }

    /// Webhook posts of digests by outcome: `posted`, `failed` (to be
    /// retried) or `disabled` (failed once too often; the webhook is off).
    public func webhookPosts(outcome: String) -> Counter {
        Counter(label: "quire_webhook_posts_total", dimensions: [("outcome", outcome)], factory: factory)
    }

    /// SQLite's connections, read when `/metrics` is scraped: reads running,
    /// reads waiting for one of the reader threads, reader connections open,
    /// writes waiting for the one writer or running.
    /// Made at the first scrape, not before, so a PostgreSQL server shows
    /// no SQLite figures (and the other way round).
    public var databaseReadsRunning: Gauge { Gauge(label: "quire_db_reads_running", factory: factory) }
    public var databaseReadsQueued: Gauge { Gauge(label: "quire_db_reads_queued", factory: factory) }
    public var databaseReaderConnections: Gauge { Gauge(label: "quire_db_reader_connections", factory: factory) }
    public var databaseWritesQueued: Gauge { Gauge(label: "quire_db_writes_queued", factory: factory) }

    /// PostgreSQL's connection pool, read when `/metrics` is scraped: this
    /// process's connections as the server sees them, by `state` (`busy`:
    /// running a statement or inside a transaction; `idle`), the pool's
    /// maximum, and the operations asked of the pool and not finished (past
    /// the maximum, the rest wait).
    public func databasePoolConnections(state: String) -> Gauge {
        Gauge(label: "quire_db_pool_connections", dimensions: [("state", state)], factory: factory)
    }
    public var databasePoolMaxConnections: Gauge { Gauge(label: "quire_db_pool_max_connections", factory: factory) }
    public var databaseOperationsInFlight: Gauge { Gauge(label: "quire_db_operations_in_flight", factory: factory) }
    /// How long a transaction or a read of several statements waited for a
    /// pooled connection (PostgreSQL).
    public var databasePoolWait: Timer { Timer(label: "quire_db_pool_wait_seconds", factory: factory) }

    /// How far this server's in-memory keyword index is behind the
    /// database's change feed (`PaperTextFeed`), read when `/metrics` is
    /// scraped: in changes, and in seconds since it last held every change.
    public let keywordIndexLagChanges: Gauge
    public let keywordIndexLagSeconds: Gauge

    public init(factory: any MetricsFactory) {
        self.factory = factory
        http = HTTPMetrics(factory: factory)
        embeddingBatch = Timer(label: "quire_embedding_batch_duration_seconds", factory: factory)
        embeddedPapers = Counter(label: "quire_embedded_papers_total", factory: factory)
        embeddingBacklog = Gauge(label: "quire_embedding_backlog_papers", factory: factory)
        keywordIndexLagChanges = Gauge(label: "quire_keyword_index_lag_changes", factory: factory)
        keywordIndexLagSeconds = Gauge(label: "quire_keyword_index_lag_seconds", factory: factory)
    }

    /// Records nothing: for commands and tests that do not expose metrics.
    public static let disabled = QuireMetrics(factory: NOOPMetricsHandler.instance)
}
