import Foundation
import PostgresNIO
import QuireCore
import Storage

/// The shared embedding backlog (`EmbeddingClaims`) as rows of
/// `embedding_claims`: picked with `FOR NO KEY UPDATE SKIP LOCKED`, so workers
/// claiming at once each get other papers without waiting for each other.
extension PostgresStore: EmbeddingClaims {
    public func claimPapersWithoutEmbedding(model: String, limit: Int, worker: String, now: Date, leaseUntil: Date) async throws -> EmbeddingClaim {
        let limit = max(0, limit)
        // Claims are bookkeeping no page shows: no change announced.
        let claimed: [Int] = try await write(visibleToReaders: false) { db in
            // A conflict with an existing claim takes it over only when its
            // lease has run out: a worker whose statement saw the paper as
            // free a moment before another claimed it gets nothing for it.
            let taken = try await db.run("""
                WITH picked AS (
                    SELECT p.seq FROM papers p
                    WHERE NOT EXISTS (SELECT 1 FROM paper_embeddings e WHERE e.paper_seq = p.seq AND e.model = \(model))
                      AND NOT EXISTS (SELECT 1 FROM embedding_claims c WHERE c.paper_seq = p.seq AND c.model = \(model) AND c.expires_at > \(now))
                    ORDER BY p.seq LIMIT \(limit)
                    FOR NO KEY UPDATE OF p SKIP LOCKED
                )
                INSERT INTO embedding_claims AS c (paper_seq, model, worker, expires_at)
                SELECT seq, \(model), \(worker), \(leaseUntil) FROM picked
                ON CONFLICT (paper_seq, model) DO UPDATE SET worker = excluded.worker, expires_at = excluded.expires_at
                WHERE c.expires_at <= \(now)
                RETURNING c.paper_seq
                """, logger).all(Int.self).map { $0 }
            guard !taken.isEmpty else { return [] }
            // A second statement sees what committed since the first began:
            // a paper another worker stored meanwhile is given back, not embedded twice.
            let stored = try await db.run("""
                DELETE FROM embedding_claims c WHERE c.worker = \(worker) AND c.model = \(model) AND c.paper_seq = ANY(\(taken))
                  AND EXISTS (SELECT 1 FROM paper_embeddings e WHERE e.paper_seq = c.paper_seq AND e.model = \(model))
                RETURNING c.paper_seq
                """, logger).all(Int.self).map { $0 }
            return Array(Set(taken).subtracting(stored))
        }
        if claimed.isEmpty {
            let held = try await execute("""
                SELECT EXISTS (SELECT 1 FROM embedding_claims c WHERE c.model = \(model)
                    AND NOT EXISTS (SELECT 1 FROM paper_embeddings e WHERE e.paper_seq = c.paper_seq AND e.model = \(model)))
                """).value(Bool.self)
            return EmbeddingClaim(papers: [], heldElsewhere: held == true)
        }
        let papers = try await withConnection { db in
            try await Self.loadPapers(db, logger, where: "p.seq = ANY(\(claimed))", order: "p.seq").map(\.paper)
        }
        return EmbeddingClaim(papers: papers, heldElsewhere: false)
    }

    public func saveClaimedEmbeddings(_ vectors: [(id: String, vector: [Float])], model: String, worker: String) async throws -> Int {
        var latest: [String: [Float]] = [:]
        for (id, vector) in vectors { latest[id] = vector }
        guard !latest.isEmpty else { return 0 }
        let ids = Array(latest.keys)
        let blobs = ids.map { VectorBytes.encode(latest[$0] ?? []) }
        // The claim is deleted and the vector stored in one statement: a
        // takeover that committed first changed the claim's worker, so the
        // delete finds nothing and nothing is stored.
        return try await write { db in
            try await db.run("""
                WITH mine AS (
                    DELETE FROM embedding_claims c USING papers p
                    WHERE c.worker = \(worker) AND c.model = \(model) AND c.paper_seq = p.seq AND p.id = ANY(\(ids))
                    RETURNING c.paper_seq, p.id
                )
                INSERT INTO paper_embeddings (paper_seq, model, vector)
                SELECT mine.paper_seq, \(model), v.vector FROM unnest(\(ids)::text[], \(blobs)::bytea[]) AS v(id, vector) JOIN mine ON mine.id = v.id
                ON CONFLICT (paper_seq) DO UPDATE SET model = excluded.model, vector = excluded.vector
                RETURNING paper_seq
                """, logger).all(Int.self).count
        }
    }

    public func releaseEmbeddingClaims(worker: String) async throws {
        try await write(visibleToReaders: false, "DELETE FROM embedding_claims WHERE worker = \(worker)")
    }
}
