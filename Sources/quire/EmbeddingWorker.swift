import Foundation
import Logging
import Search
import ServiceLifecycle
import Storage
import Telemetry

/// Runs beside `quire serve`: embeds papers that arrived without a vector
/// (from an import or a harvester in another process) and loads vectors other
/// processes stored, so new papers become searchable by meaning within seconds;
/// then gives papers without one their summary and keyphrases.
struct EmbeddingWorker: Service {
    let semantic: SemanticIndex
    let summaries: PaperSummaries
    let interval: Duration
    let logger: Logger
    /// Read for the backlog figure (papers less vectors) when metrics are on.
    var store: (any PaperStore)?
    var metrics: QuireMetrics = .disabled
    /// On a database several processes embed for (PostgreSQL): claim batches
    /// from the shared backlog, so this server and `quire embed --workers`
    /// never embed the same paper. Nil: embed whatever has no vector.
    var shared: SharedEmbeddingBacklog?

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await semantic.refresh()
                // A shutdown stops it between batches; small ones (about 3 s of work) keep that wait short.
                let embedded = try await cancelWhenGracefulShutdown {
                    if let shared {
                        let stored = try await shared.run(batchSize: 64) { metrics.embeddedPapers.increment(by: $0) }
                        try await semantic.refresh()
                        return stored
                    }
                    var backlog = try await measureBacklog()
                    // Each batch is timed from the end of the one before.
                    var batchStart = ContinuousClock.now
                    var before = 0
                    return try await semantic.embedMissing(batchSize: 64) { done in
                        metrics.embeddingBatch.record(duration: ContinuousClock.now - batchStart)
                        metrics.embeddedPapers.increment(by: done - before)
                        if let known = backlog {
                            backlog = max(0, known - (done - before))
                            metrics.embeddingBacklog.record(backlog ?? 0)
                        }
                        before = done
                        batchStart = ContinuousClock.now
                    }
                }
                if embedded > 0 { logger.info("embedded \(embedded) new papers; \(semantic.index.count) searchable by meaning") }
                // Summaries wait for the vectors: a paper's own vector is where they start.
                let summarized = try await cancelWhenGracefulShutdown { try await summaries.summarizeMissing(batchSize: 32) }
                if summarized > 0 { logger.info("summarised \(summarized) papers") }
            } catch {
                logger.error("embedding new papers failed: \(error)")
            }
            // A graceful shutdown (SIGTERM) is not a cancellation: end the wait on it too.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// Papers without a vector: every paper less those in the index (which
    /// `refresh` has just brought up to date). Nil when metrics are off.
    private func measureBacklog() async throws -> Int? {
        guard let store else { return nil }
        let backlog = max(0, try await store.stats().papers - semantic.index.count)
        metrics.embeddingBacklog.record(backlog)
        return backlog
    }
}
