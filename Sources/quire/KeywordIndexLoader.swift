import Foundation
import Logging
import ServiceLifecycle
import Storage

/// Loads every paper's words into the store's in-memory keyword index when
/// `quire serve` starts (about 7 s per 100,000 papers on two cores). The load
/// runs on a thread of its own, never on Swift's cooperative pool, so requests
/// are answered meanwhile (by FTS5 until the index is ready); a shutdown does
/// not wait for it.
struct KeywordIndexLoader: Service {
    let store: SQLiteStore
    let logger: Logger

    func run() async throws {
        let (store, logger) = (self.store, self.logger)
        let thread = Thread {
            let start = Date()
            do {
                try store.loadKeywordIndex()
                logger.info("keyword index loaded in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
            } catch {
                logger.warning("keyword index not loaded, searching FTS5 alone: \(error)")
            }
        }
        thread.name = "keyword index load"
        thread.start()
        // A service that returns stops the whole group: this one waits for the shutdown.
        try? await gracefulShutdown()
    }
}
