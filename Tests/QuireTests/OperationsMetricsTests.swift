@testable import Digest
import Foundation
import Logging
import PostgresNIO
@testable import PostgresStorage
import QuireCore
import ReaderActions
@testable import Search
@testable import Storage
import Telemetry
import Testing

/// The figures operators watch beside the request counts: webhook posts by
/// outcome (a real scheduler run), SQLite reads waiting for a thread, the
/// keyword index's lag behind the change feed, and PostgreSQL's pool (a
/// real server), each read back from the registry's text as Prometheus would.
@Suite(.postgresSchemas) struct OperationsMetricsTests {
    static func value(_ prometheus: PrometheusMetrics, _ name: String, _ labels: [String: String] = [:]) async -> Double? {
        MetricsTests.value(MetricsTests.parse(String(decoding: await prometheus.exposition(), as: UTF8.self)), name, labels)
    }

    @Test func webhookPostsAreCountedByOutcome() async throws {
        // The first webhook's post fails (to be retried), the second's succeeds.
        let transport = RecordingTransport(statuses: [500, 200])
        let (sender, store, ada, _, _) = try await WebhookSenderTests.setUp(transport)
        let actions = WebhookActions(store: store, addressCheck: WebhookAddressCheck())
        _ = try await actions.add(url: "https://8.8.8.8/a", format: "slack", by: ada)
        _ = try await actions.add(url: "https://8.8.8.8/b", format: "slack", by: ada)
        let prometheus = PrometheusMetrics()
        let scheduler = WebhookScheduler(sender: sender, interval: .seconds(3600), logger: Logger(label: "test"),
                                         metrics: prometheus.metrics, now: { WebhookSenderTests.slot })
        await scheduler.round()
        #expect(await Self.value(prometheus, "quire_webhook_posts_total", ["outcome": "posted"]) == 1)
        #expect(await Self.value(prometheus, "quire_webhook_posts_total", ["outcome": "failed"]) == 1)
        #expect(await Self.value(prometheus, "quire_webhook_posts_total", ["outcome": "disabled"]) == 0)
    }

    /// Every read is counted waiting, then running, then neither: after many
    /// at once, nothing is left counted. (Holding the reader threads to see
    /// reads wait would stall every other test's reads: the threads are the process's.)
    @Test func sqliteReadsAreCountedWhileTheyRunAndNotAfter() async throws {
        let store = try TestSupport.temporaryStore()
        let seen = try await withThrowingTaskGroup(of: SQLiteStore.ConnectionUse.self) { group in
            for _ in 0..<40 { group.addTask { try await store.read { _ in store.connectionUse } } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        // Each read saw itself running.
        #expect(seen.allSatisfy { $0.readsRunning >= 1 && $0.readsQueued >= 0 })
        let after = store.connectionUse
        #expect(after.readsRunning == 0 && after.readsQueued == 0 && after.writesQueued == 0)
    }

    @Test func keywordIndexLagIsTheChangesNotAppliedAndTheirAge() async throws {
        let store = try await SearchIndexTests.keywordStore()
        let index = KeywordSearch(feed: store)
        try await index.load()
        #expect(try await index.lag() == KeywordSearch.Lag(changes: 0, seconds: 0))
        let other = try SQLiteStore(path: store.path) // another process
        _ = try await other.upsert([Paper(id: "2506.00001", title: "Lagging", abstract: "one"), Paper(id: "2506.00002", title: "Behind", abstract: "two")])
        try await other.write { try $0.run("DELETE FROM papers WHERE id = '2501.00001'") }
        let later = try await index.lag(now: .now + .seconds(30))
        #expect(later.changes == 3)
        #expect(later.seconds >= 30 && later.seconds < 60)
        try await index.catchUp()
        #expect(try await index.lag(now: .now + .seconds(30)) == KeywordSearch.Lag(changes: 0, seconds: 0))
    }

    /// The pool as PostgreSQL sees it: a held transaction is a busy
    /// connection and an operation in flight; with the pool full, the next
    /// transaction waits, and the wait is reported.
    @Test(.enabled(if: PostgresTestSchemas.address != nil, "needs QUIRE_TEST_POSTGRES_URL"))
    func postgresPoolUseAndWaits() async throws {
        let store = try await PostgresTestSchemas.makeStore(maximumConnections: 2)
        let waits = Waits()
        store.pool.reportWaits { waits.add($0) }
        _ = try await store.stats()
        let idle = try await store.connectionUse()
        #expect(idle.busy == 0 && idle.idle >= 1 && idle.maximum == 2 && idle.operationsInFlight == 0)

        // Two transactions hold both connections until told to finish.
        let release = Gate()
        let holders = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        _ = try await store.write { db in
                            _ = try await db.query("SELECT 1", logger: Logger(label: "test"))
                            try await release.wait()
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        let deadline = ContinuousClock.now + .seconds(120)
        while store.pool.operationsInFlight < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        let third = Task { try await store.write { db in _ = try await db.query("SELECT 1", logger: Logger(label: "test")) } }
        while store.pool.operationsInFlight < 3, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(200))
        #expect(store.pool.operationsInFlight == 3, "two running, one waiting for a connection")
        release.open()
        try await holders.value
        try await third.value
        #expect(waits.longest >= .milliseconds(150), "the third transaction waited for a connection: \(waits.longest)")
        let after = try await store.connectionUse()
        #expect(after.busy == 0 && after.operationsInFlight == 0)
        #expect(after.idle >= 1 && after.idle <= 2)
    }

    /// While a transaction runs on another store's pool, this pool's figures leave it out.
    @Test(.enabled(if: PostgresTestSchemas.address != nil, "needs QUIRE_TEST_POSTGRES_URL"))
    func postgresBusyConnectionsAreThisPoolsOnly() async throws {
        let store = try await PostgresTestSchemas.makeStore()
        let other = try await PostgresTestSchemas.makeStore(schema: store.schema)
        let release = Gate()
        let held = Task { _ = try await other.write { _ in try await release.wait() } }
        let deadline = ContinuousClock.now + .seconds(120)
        while other.pool.operationsInFlight < 1, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        var busy = try await other.connectionUse().busy
        while busy < 1, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)); busy = try await other.connectionUse().busy }
        #expect(busy == 1)
        #expect(try await store.connectionUse().busy == 0)
        release.open()
        try await held.value
    }
}

/// Waits a pool reported, kept for the test to read.
private final class Waits: @unchecked Sendable { // lock: all
    private let lock = NSLock()
    private var all: [Duration] = []
    func add(_ wait: Duration) { lock.withLock { all.append(wait) } }
    var longest: Duration { lock.withLock { all.max() ?? .zero } }
}

/// Holds whoever waits on it until opened.
private final class Gate: @unchecked Sendable { // lock: isOpen
    private let lock = NSLock()
    private var isOpen = false
    func open() { lock.withLock { isOpen = true } }
    func wait() async throws {
        while !lock.withLock({ isOpen }) { try await Task.sleep(for: .milliseconds(5)) }
    }
}
