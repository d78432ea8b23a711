import Foundation
import Logging
import Search
import ServiceLifecycle

/// Runs beside `quire serve`: embeds papers that arrived without a vector
/// (from an import or a harvester in another process) and loads vectors other
/// processes stored, so new papers become searchable by meaning within seconds.
struct EmbeddingWorker: Service {
    let semantic: SemanticIndex
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await semantic.refresh()
                // A shutdown stops it between batches; small ones (about 3 s of work) keep that wait short.
                let embedded = try await cancelWhenGracefulShutdown { try await semantic.embedMissing(batchSize: 64) }
                if embedded > 0 { logger.info("embedded \(embedded) new papers; \(semantic.index.count) searchable by meaning") }
            } catch {
                logger.error("embedding new papers failed: \(error)")
            }
            // A graceful shutdown (SIGTERM) is not a cancellation: end the wait on it too.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
