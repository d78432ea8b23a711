import Foundation
import Logging
import ServiceLifecycle
import Search

/// Loads every paper's words into search's in-memory keyword index when
/// `quire serve` starts. Tokenizing runs on Dispatch's threads, never on
/// Swift's cooperative pool (`KeywordSearch.load`), so requests are answered
/// meanwhile (by the store's own search until the index is ready); a
/// shutdown does not wait for it. Once loaded, the index follows the change
/// feed every `followInterval`: searches catch up themselves anyway, but
/// then the first search after a large import elsewhere would tokenize it
/// all, and the index's lag (`/metrics`) would grow while nobody searches.
struct KeywordIndexLoader: Service {
    let index: KeywordSearch
    let logger: Logger
    var followInterval: Duration = .seconds(1)

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
        // A service that returns stops the whole group: this one runs until the shutdown.
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            if index.isLoaded {
                do { try await index.catchUp() } catch { logger.warning("keyword index did not catch up: \(error)") }
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: followInterval) }
        }
    }
}
