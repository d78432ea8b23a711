import Foundation
import PostgresNIO
import QuireCore
import Storage

/// Papers' vectors in PostgreSQL, as `bytea` holding little-endian Float32s:
/// the bytes SQLite's blob holds, so a copy between the two moves them as
/// they are. Why not `real[]`: on disk both are ~1.5 KB for 384 dimensions
/// (an array adds a 24-byte header), but on the wire the binary array format
/// puts a 4-byte length before every element, twice the bytes, and the
/// client decodes it element by element; a bytea is one copy.
extension PostgresStore: EmbeddingStore {
    public func saveEmbeddings(_ vectors: [(id: String, vector: [Float])], model: String) async throws {
        // One row per paper (the last vector given wins): one INSERT may not change a row twice.
        var latest: [String: [Float]] = [:]
        for (id, vector) in vectors { latest[id] = vector }
        guard !latest.isEmpty else { return }
        let ids = Array(latest.keys)
        let blobs = ids.map { VectorBytes.encode(latest[$0] ?? []) }
        try await write("""
            INSERT INTO paper_embeddings (paper_seq, model, vector)
            SELECT p.seq, \(model), v.vector FROM unnest(\(ids)::text[], \(blobs)::bytea[]) AS v(id, vector) JOIN papers p ON p.id = v.id
            ON CONFLICT (paper_seq) DO UPDATE SET model = excluded.model, vector = excluded.vector
            """)
    }

    public func papersWithoutEmbedding(model: String, limit: Int) async throws -> [Paper] {
        try await withConnection { db in
            try await Self.loadPapers(db, logger, where: "NOT EXISTS (SELECT 1 FROM paper_embeddings e WHERE e.paper_seq = p.seq AND e.model = \(model))",
                                      order: "p.seq", limit: max(0, limit)).map(\.paper)
        }
    }

    public func embeddings(model: String, afterSeq: Int, limit: Int) async throws -> [StoredEmbedding] {
        var stored: [StoredEmbedding] = []
        for try await (seq, id, bytes) in try await execute("""
            SELECT e.paper_seq, p.id, e.vector FROM paper_embeddings e JOIN papers p ON p.seq = e.paper_seq
            WHERE e.model = \(model) AND e.paper_seq > \(afterSeq) ORDER BY e.paper_seq LIMIT \(max(0, limit))
            """).decode((Int, String, ByteBuffer).self) {
            guard let vector = VectorBytes.decode(bytes) else {
                // Skipped, not fatal: the rest of the index still loads.
                logger.error("the stored vector of a paper is not a whole number of Float32s", metadata: ["paper": "\(id)", "bytes": "\(bytes.readableBytes)"])
                continue
            }
            stored.append(StoredEmbedding(seq: seq, id: id, vector: vector))
        }
        return stored
    }
}

/// A vector as bytes: each Float32 in little-endian order, as SQLite stores it.
enum VectorBytes {
    static func encode(_ vector: [Float]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(vector.count * 4)
        for value in vector { buffer.writeInteger(value.bitPattern, endianness: .little) }
        return buffer
    }

    /// Nil when the bytes are not a whole number of Float32s.
    static func decode(_ buffer: ByteBuffer) -> [Float]? {
        guard buffer.readableBytes % 4 == 0 else { return nil }
        return buffer.withUnsafeReadableBytes { raw in
            (0..<raw.count / 4).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }
}
