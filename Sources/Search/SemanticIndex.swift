import Embedding
import Foundation
import QuireCore
import Storage

/// The model and the in-memory vectors of every paper: semantic search and
/// "similar papers". Vectors are stored in the database too, so a restart
/// loads them instead of running the model again.
public final class SemanticIndex: Sendable {
    public static let modelName = "all-MiniLM-L6-v2"

    public let embedder: SentenceEmbedder
    public let index: VectorIndex
    let store: any EmbeddingStore
    /// Embedding a short query costs a few milliseconds: a sizeable part of a search.
    let queryVectors: QueryEmbeddingCache

    /// `cachedQueries`: how many query vectors to keep (0 runs the model for every search).
    public init(embedder: SentenceEmbedder, store: any EmbeddingStore, cachedQueries: Int = 512) {
        self.embedder = embedder
        self.store = store
        self.index = VectorIndex(dimension: embedder.dimension)
        self.queryVectors = QueryEmbeddingCache(capacity: cachedQueries)
    }

    /// The text a paper is embedded from.
    public static func text(of paper: Paper) -> String { paper.title + " " + paper.abstract }

    /// The `k` papers closest in meaning to a query text. The model and the
    /// scan run on `ModelThreads`; the caller suspends meanwhile.
    public func nearest(to text: String, k: Int) async throws -> [(id: String, score: Float)] {
        try await ModelThreads.pool.runIfActive { self.index.nearest(to: self.queryVector(text), k: k) }
    }

    /// Every paper at least `minScore` similar in meaning to a query text, best first.
    public func matches(to text: String, minScore: Float) async throws -> [(id: String, score: Float)] {
        try await ModelThreads.pool.runIfActive { self.index.matches(to: self.queryVector(text), minScore: minScore) }
    }

    /// The `k` papers closest in meaning to a stored paper, leaving it out
    /// (empty when it has no vector yet).
    public func nearest(toPaper id: String, k: Int) async throws -> [(id: String, score: Float)] {
        try await ModelThreads.pool.runIfActive {
            guard let vector = self.index.vector(for: id) else { return [] }
            return self.index.nearest(to: vector, k: k, exclude: { $0 == id })
        }
    }

    /// The model's vector of a query text, from the cache when it was searched recently.
    public func queryVector(_ text: String) -> [Float] {
        queryVectors.vector(for: text) { embedder.embed($0) }
    }

    /// Loads the vectors stored since the last load.
    @discardableResult
    public func refresh() async throws -> Int {
        var loaded = 0
        while true {
            let batch = try await store.embeddings(model: Self.modelName, afterSeq: index.lastSeq, limit: 5_000)
            if batch.isEmpty { return loaded }
            for item in batch { index.add(id: item.id, vector: item.vector, seq: item.seq) }
            loaded += batch.count
        }
    }

    /// Embeds every paper that has no vector yet, in batches, storing each
    /// batch before the next: an interrupted run resumes where it stopped.
    /// Cancelling the task stops it after the batch in progress.
    @discardableResult
    public func embedMissing(batchSize: Int = 256, progress: ((Int) -> Void)? = nil) async throws -> Int {
        var done = 0
        while !Task.isCancelled {
            let papers = try await store.papersWithoutEmbedding(model: Self.modelName, limit: batchSize)
            if papers.isEmpty { break }
            let vectors = try await embed(papers)
            try await store.saveEmbeddings(zip(papers, vectors).map { ($0.id, $1) }, model: Self.modelName)
            // Added here rather than by `refresh`, which only reads past the newest position loaded.
            for (paper, vector) in zip(papers, vectors) { index.add(id: paper.id, vector: vector) }
            done += papers.count
            progress?(done)
        }
        return done
    }

    /// The papers' vectors, in order, computed on `ModelThreads`.
    public func embed(_ papers: [Paper]) async throws -> [[Float]] {
        let texts = papers.map(Self.text)
        return try await ModelThreads.pool.runIfActive { self.embedder.embed(texts) }
    }
}
