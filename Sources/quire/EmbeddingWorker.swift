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
                    let progress = BatchProgress(backlog: try await measureBacklog(), metrics: metrics)
                    if let shared {
                        let stored = try await shared.run(batchSize: 64) { progress.stored($0) }
                        try await semantic.refresh()
                        // Other workers embedded too: counted again, not guessed.
                        _ = try await measureBacklog()
                        return stored
                    }
                    var before = 0
                    return try await semantic.embedMissing(batchSize: 64) { done in
                        progress.stored(done - before)
                        before = done
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

/// The metrics of one round of batches: each batch timed from the end of the
/// one before, and the backlog counted down by what it stored (by this
/// process alone: on a shared backlog the round ends with a recount).
private final class BatchProgress: @unchecked Sendable { // lock: batchStart, backlog
    private let lock = NSLock()
    private var batchStart = ContinuousClock.now
    private var backlog: Int?
    let metrics: QuireMetrics

    init(backlog: Int?, metrics: QuireMetrics) { self.backlog = backlog; self.metrics = metrics }

    func stored(_ papers: Int) {
        let now = ContinuousClock.now
        let (took, left) = lock.withLock { () -> (Duration, Int?) in
            defer { batchStart = now }
            backlog = backlog.map { max(0, $0 - papers) }
            return (now - batchStart, backlog)
        }
        metrics.embeddingBatch.record(duration: took)
        metrics.embeddedPapers.increment(by: papers)
        if let left { metrics.embeddingBacklog.record(left) }
    }
}
