import Foundation
import Logging
import ServiceLifecycle
import Search

/// Loads every paper's words into search's in-memory keyword index when
/// `quire serve` starts. Tokenizing runs on Dispatch's threads, never on
/// Swift's cooperative pool (`KeywordSearch.load`), so requests are answered
/// meanwhile (by the store's own search until the index is ready); a
/// shutdown does not wait for it.
struct KeywordIndexLoader: Service {
    let index: KeywordSearch
    let logger: Logger

    func run() async throws {
        let (index, logger) = (self.index, self.logger)
        Task.detached {
            let start = Date()
            do {
                try await index.load()
                logger.info("keyword index loaded in \(String(format: "%.1f", Date().timeIntervalSince(start))) s: \(index.count) papers")
            } catch {
                logger.warning("keyword index not loaded, searching with the store's own keyword search: \(error)")
            }
        }
        // A service that returns stops the whole group: this one waits for the shutdown.
        try? await gracefulShutdown()
    }
}
