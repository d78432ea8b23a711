import CBLAS
import Foundation
import QuireCore

/// Every paper's vector in one contiguous block of memory. Vectors are
/// L2-normalised, so the dot product is the cosine similarity.
///
/// Small indexes are searched by brute force: one matrix-vector product
/// (OpenBLAS `sgemv`) scores all papers, then a heap keeps the best k. That
/// reads 1.5 KB per paper, about 150 ms at a million papers. From
/// `approximateScanThreshold` papers on, an 8-bit copy of the vectors is
/// scanned instead (a quarter of the bytes) to pick `rescoredCandidates(k)`
/// papers, which are then scored exactly in float32: `SearchBenchmark`
/// prints the recall of this against the exact scan.
public final class VectorIndex: @unchecked Sendable { // `lock` guards every `var`
    public let dimension: Int
    private var threshold: Int
    private var vectors: [Float] = []
    private var quantized: Int8Vectors
    private var ids: [String] = []
    private var positions: [String: Int] = [:]
    /// The storage position of the newest vector loaded, so a refresh reads only what is new.
    public private(set) var lastSeq = 0
    private let lock = NSLock()

    public init(dimension: Int, approximateScanThreshold: Int = 50_000) {
        self.dimension = dimension
        threshold = approximateScanThreshold
        quantized = Int8Vectors(dimension: dimension)
    }

    public var count: Int { lock.withLock { ids.count } }
    /// From this many vectors on, `nearest` scans the 8-bit copy; `Int.max` makes it always exact.
    public var approximateScanThreshold: Int {
        get { lock.withLock { threshold } }
        set { lock.withLock { threshold = newValue } }
    }
    /// Bytes held by the float32 vectors and their 8-bit copy.
    public var memoryBytes: Int { lock.withLock { vectors.capacity * MemoryLayout<Float>.size + quantized.memoryBytes } }

    /// How many 8-bit candidates are scored again exactly: enough that the
    /// small error of the 8-bit scores almost never reorders the top k.
    public static func rescoredCandidates(_ k: Int) -> Int { max(4 * k, 400) }

    /// Adds or replaces the vector of a paper.
    public func add(id: String, vector: [Float], seq: Int? = nil) {
        precondition(vector.count == dimension, "vector has \(vector.count) dimensions, the index \(dimension)")
        lock.withLock {
            if let position = positions[id] {
                vectors.replaceSubrange(position * dimension..<(position + 1) * dimension, with: vector)
                quantized.replace(at: position, with: vector)
            } else {
                positions[id] = ids.count
                ids.append(id)
                vectors.append(contentsOf: vector)
                quantized.append(vector)
            }
            if let seq { lastSeq = max(lastSeq, seq) }
        }
    }

    public func reserve(_ count: Int) {
        lock.withLock { vectors.reserveCapacity(count * dimension); quantized.reserve(count); ids.reserveCapacity(count) }
    }

    public func vector(for id: String) -> [Float]? {
        lock.withLock {
            guard let position = positions[id] else { return nil }
            return Array(vectors[position * dimension..<(position + 1) * dimension])
        }
    }

    /// Runs `body` over every paper's id, the row of each id, and the vectors
    /// as one row-major matrix (row i is `ids[i]`), without copying them: how
    /// the recommender scores the whole corpus. Adds wait until `body` returns.
    public func withVectors<R>(_ body: (_ ids: [String], _ rows: [String: Int], _ matrix: UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try lock.withLock { try vectors.withUnsafeBufferPointer { try body(ids, positions, $0) } }
    }

    /// The `k` most similar papers to `query`, best first, skipping ids `exclude` rejects.
    public func nearest(to query: [Float], k: Int, exclude: ((String) -> Bool)? = nil) -> [(id: String, score: Float)] {
        precondition(query.count == dimension)
        return lock.withLock {
            ids.count < threshold ? exactNearest(query, k, exclude) : quantizedNearest(query, k, exclude)
        }
    }

    /// The exact answer whatever the size: the baseline the benchmark and tests compare with.
    public func nearestExact(to query: [Float], k: Int, exclude: ((String) -> Bool)? = nil) -> [(id: String, score: Float)] {
        precondition(query.count == dimension)
        return lock.withLock { exactNearest(query, k, exclude) }
    }

    /// Every paper at least `minScore` similar to `query`, best first (ties
    /// by id, so the order never depends on insertion): the semantic matches
    /// of a search. On the 8-bit path, papers whose approximate score comes
    /// within `quantizationMargin` of the bound are scored again exactly, so
    /// the bound is applied to exact cosines on either path.
    public func matches(to query: [Float], minScore: Float) -> [(id: String, score: Float)] {
        precondition(query.count == dimension)
        return lock.withLock {
            let approximate = ids.count >= threshold
            let rough = approximate ? quantized.scores(for: query) : exactScores(query)
            let floor = approximate ? minScore - Self.quantizationMargin : minScore
            var found: [(id: String, score: Float)] = []
            for i in rough.indices where rough[i] >= floor {
                let score = approximate ? exactScore(i, query) : rough[i]
                if score >= minScore { found.append((ids[i], score)) }
            }
            return found.sorted { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
        }
    }

    /// Each 8-bit component is off by at most half a step (1/254 of the
    /// vector's largest component, about 0.001 for MiniLM's unit vectors), so
    /// the rounding errors of a 384-dimension dot product sum to a few
    /// thousandths; 0.03 would need most of them to point the same way.
    static let quantizationMargin: Float = 0.03

    private func exactNearest(_ query: [Float], _ k: Int, _ exclude: ((String) -> Bool)?) -> [(id: String, score: Float)] {
        guard !ids.isEmpty, k > 0 else { return [] }
        return best(k, of: exactScores(query), exclude).map { (ids[$0.index], $0.score) }
    }

    /// The cosine of `query` with every vector: one matrix-vector product.
    private func exactScores(_ query: [Float]) -> [Float] {
        let n = ids.count
        var scores = [Float](repeating: 0, count: n)
        guard n > 0 else { return scores }
        vectors.withUnsafeBufferPointer { matrix in
            query.withUnsafeBufferPointer { q in
                scores.withUnsafeMutableBufferPointer { out in
                    cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(n), Int32(dimension), 1,
                                matrix.baseAddress, Int32(dimension), q.baseAddress, 1, 0, out.baseAddress, 1)
                }
            }
        }
        return scores
    }

    private func exactScore(_ position: Int, _ query: [Float]) -> Float {
        vectors.withUnsafeBufferPointer { matrix in
            query.withUnsafeBufferPointer { q in
                guard let base = matrix.baseAddress else { return 0 }
                return cblas_sdot(Int32(dimension), base + position * dimension, 1, q.baseAddress, 1)
            }
        }
    }

    private func quantizedNearest(_ query: [Float], _ k: Int, _ exclude: ((String) -> Bool)?) -> [(id: String, score: Float)] {
        guard !ids.isEmpty, k > 0 else { return [] }
        let candidates = best(Self.rescoredCandidates(k), of: quantized.scores(for: query), exclude)
        var heap = TopK<Float>(k: k)
        for candidate in candidates { heap.insert(candidate.index, exactScore(candidate.index, query)) }
        return heap.sortedDescending().map { (ids[$0.index], $0.score) }
    }

    private func best(_ k: Int, of scores: [Float], _ exclude: ((String) -> Bool)?) -> [(index: Int, score: Float)] {
        var heap = TopK<Float>(k: k)
        for i in scores.indices where heap.wouldAccept(scores[i]) {
            if let exclude, exclude(ids[i]) { continue }
            heap.insert(i, scores[i])
        }
        return heap.sortedDescending()
    }
}
