import Foundation
import QuireCore

/// A backlog of papers without vectors shared by embedding workers on any
/// number of machines (`quire embed --workers N`): each worker claims a batch
/// for a while (its lease), so no two workers embed the same paper, and a
/// claim whose lease ran out (its worker died) is taken over.
public protocol EmbeddingClaims: Sendable {
    /// Claims up to `limit` papers that have no vector from `model` and no
    /// claim of another worker still within its lease, for `worker` until
    /// `leaseUntil`, oldest first.
    func claimPapersWithoutEmbedding(model: String, limit: Int, worker: String, now: Date, leaseUntil: Date) async throws -> EmbeddingClaim
    /// Stores the vectors of the papers `worker` still holds a claim on and
    /// ends those claims, in one transaction; a vector of a paper whose claim
    /// was taken over is dropped (the other worker stores its own). Returns
    /// how many were stored.
    func saveClaimedEmbeddings(_ vectors: [(id: String, vector: [Float])], model: String, worker: String) async throws -> Int
    /// Ends every claim `worker` holds, so others take its papers at once (a worker that stops early).
    func releaseEmbeddingClaims(worker: String) async throws
}

/// What one claim got.
public struct EmbeddingClaim: Sendable {
    /// The papers claimed, to embed and save before the lease ends.
    public var papers: [Paper]
    /// Papers without a vector that other workers hold: none claimed now,
    /// but one may be given back (or its lease run out) later.
    public var heldElsewhere: Bool
    public init(papers: [Paper], heldElsewhere: Bool) { self.papers = papers; self.heldElsewhere = heldElsewhere }
}
