import PostgresStorage
import Storage
import Telemetry

/// The database's connection figures in `/metrics`, read at each scrape:
/// SQLite's reader threads and one writer, or PostgreSQL's pool.
enum DatabaseMetrics {
    static func report(_ store: any StoreOptions.CommandStore, to prometheus: PrometheusMetrics) {
        if let sqlite = store as? SQLiteStore {
            prometheus.readBeforeEachScrape { metrics in
                let use = sqlite.connectionUse
                metrics.databaseReadsRunning.record(use.readsRunning)
                metrics.databaseReadsQueued.record(use.readsQueued)
                metrics.databaseReaderConnections.record(use.readerConnections)
                metrics.databaseWritesQueued.record(use.writesQueued)
            }
        }
        if let postgres = store as? PostgresStore {
            let waits = prometheus.metrics.databasePoolWait
            postgres.pool.reportWaits { waits.record(duration: $0) }
            prometheus.readBeforeEachScrape { metrics in
                // A scrape while the server is unreachable leaves the last figures.
                guard let use = try? await postgres.connectionUse() else { return }
                metrics.databasePoolConnections(state: "busy").record(use.busy)
                metrics.databasePoolConnections(state: "idle").record(use.idle)
                metrics.databasePoolMaxConnections.record(use.maximum)
                metrics.databaseOperationsInFlight.record(use.operationsInFlight)
            }
        }
    }
}
