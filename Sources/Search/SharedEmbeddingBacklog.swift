import Foundation
import QuireCore
import Storage

/// One embedding worker over a backlog shared with others (`EmbeddingClaims`):
/// claims a batch, embeds it, stores what it still holds, until no paper is
/// left. While other workers hold the last papers it waits and claims again,
/// so the batch of a worker that dies is taken over when its lease runs out.
public struct SharedEmbeddingBacklog: Sendable {
    public let semantic: SemanticIndex
    public let claims: any EmbeddingClaims
    /// Unique among every worker on every machine (host, process, number).
    public let worker: String
    /// How long a claim holds: longer than a batch takes, short enough that a
    /// dead worker's papers do not wait long.
    public let lease: TimeInterval
    /// How long to wait before claiming again while others hold the rest.
    public let pollInterval: Duration
    public let now: @Sendable () -> Date

    public init(semantic: SemanticIndex, claims: any EmbeddingClaims, worker: String, lease: TimeInterval,
                pollInterval: Duration = .seconds(1), now: @escaping @Sendable () -> Date = { Date() }) {
        self.semantic = semantic; self.claims = claims; self.worker = worker; self.lease = lease
        self.pollInterval = pollInterval; self.now = now
    }

    /// Embeds until the backlog is empty; returns how many papers this worker
    /// stored. `progress` hears how many each batch stored. Cancelling stops
    /// it after the batch in progress and gives its unfinished claims back.
    @discardableResult
    public func run(batchSize: Int, progress: (@Sendable (Int) -> Void)? = nil) async throws -> Int {
        var done = 0
        do {
            try await claimAndEmbed(batchSize: batchSize, done: &done, progress: progress)
        } catch {
            // Given back even when cancelled: in a task of its own, which the cancellation does not reach.
            let claims = claims, worker = worker
            await Task { try? await claims.releaseEmbeddingClaims(worker: worker) }.value
            throw error
        }
        return done
    }

    private func claimAndEmbed(batchSize: Int, done: inout Int, progress: (@Sendable (Int) -> Void)?) async throws {
        while !Task.isCancelled {
            let start = now()
            let claim = try await claims.claimPapersWithoutEmbedding(model: SemanticIndex.modelName, limit: batchSize, worker: worker,
                                                                     now: start, leaseUntil: start.addingTimeInterval(lease))
            if claim.papers.isEmpty {
                guard claim.heldElsewhere else { break }
                try await Task.sleep(for: pollInterval)
                continue
            }
            let vectors = try await semantic.embed(claim.papers)
            let stored = try await claims.saveClaimedEmbeddings(zip(claim.papers, vectors).map { ($0.id, $1) }, model: SemanticIndex.modelName,
                                                                worker: worker)
            done += stored
            progress?(stored)
        }
    }
}
