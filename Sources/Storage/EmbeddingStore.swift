import Foundation
import QuireCore

/// Where papers' vectors are kept: one per paper and model, for semantic
/// search and "similar papers". Apart from `PaperStore` so that the semantic
/// index (and a test fake of it) needs only these three operations.
public protocol EmbeddingStore: Sendable {
    /// Stores vectors by paper id (replacing older ones), all in one transaction.
    func saveEmbeddings(_ vectors: [(id: String, vector: [Float])], model: String) async throws
    /// Papers that have no vector from `model` yet, oldest first.
    func papersWithoutEmbedding(model: String, limit: Int) async throws -> [Paper]
    /// Vectors in storage order, after the given position: how the in-memory
    /// index loads at start and picks up new papers later.
    func embeddings(model: String, afterSeq: Int, limit: Int) async throws -> [StoredEmbedding]
}

public struct StoredEmbedding: Sendable {
    /// Position in storage; increases as papers are added.
    public var seq: Int
    public var id: String
    public var vector: [Float]
    public init(seq: Int, id: String, vector: [Float]) { self.seq = seq; self.id = id; self.vector = vector }
}
