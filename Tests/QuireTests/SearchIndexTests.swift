import Foundation
import QuireCore
@testable import Search
import Storage
import Testing

/// The structures that make search fast: the 8-bit vector scan, the query
/// vector cache and the budgeted BM25 ranking. Each is checked against the
/// exact computation it stands in for.
@Suite struct SearchIndexTests {
    static func unitVectors(_ count: Int, dimension: Int, seed: UInt64) -> [[Float]] {
        var random = SeededGenerator(state: seed)  // seeded, so a failure can be replayed
        return (0..<count).map { _ in
            let v = (0..<dimension).map { _ in Float.random(in: -1...1, using: &random) }
            let norm = sqrt(v.reduce(0) { $0 + $1 * $1 })
            return v.map { $0 / norm }
        }
    }

    /// An index that always takes the 8-bit path, however small.
    static func quantizedIndex(_ vectors: [[Float]]) -> VectorIndex {
        let index = VectorIndex(dimension: vectors[0].count, approximateScanThreshold: 0)
        for (i, v) in vectors.enumerated() { index.add(id: "p\(i)", vector: v) }
        return index
    }

    @Test func quantizedSearchFindsStoredVectorsFirst() {
        let vectors = Self.unitVectors(3_000, dimension: 100, seed: 1) // 100: not a multiple of 8, so rows are padded
        let index = Self.quantizedIndex(vectors)
        for i in stride(from: 0, to: vectors.count, by: 97) {
            let exactTop = index.nearestExact(to: vectors[i], k: 1).first
            #expect(exactTop?.id == "p\(i)")
            #expect(index.nearest(to: vectors[i], k: 10).first?.id == exactTop?.id)
        }
    }

    @Test func quantizedSearchRecallOnRandomQueries() {
        let index = Self.quantizedIndex(Self.unitVectors(5_000, dimension: 384, seed: 2))
        var found = 0, wanted = 0
        for query in Self.unitVectors(50, dimension: 384, seed: 3) {
            let exact = Set(index.nearestExact(to: query, k: 10).map(\.id))
            let approximate = index.nearest(to: query, k: 10)
            found += approximate.filter { exact.contains($0.id) }.count
            wanted += exact.count
            // Rescored in float32: the scores given are the exact cosines, best first.
            #expect(approximate.map(\.score) == approximate.map(\.score).sorted(by: >))
        }
        #expect(Double(found) / Double(wanted) >= 0.98, "recall@10 \(Double(found) / Double(wanted))")
    }

    @Test func quantizedSearchReplacesAndExcludes() {
        let vectors = Self.unitVectors(500, dimension: 32, seed: 4)
        let index = Self.quantizedIndex(vectors)
        index.add(id: "p0", vector: vectors[1]) // p0 now points where p1 does
        #expect(Set(index.nearest(to: vectors[1], k: 2).map(\.id)) == ["p0", "p1"])
        #expect(index.nearest(to: vectors[0], k: 5).first?.id != "p0")
        #expect(!index.nearest(to: vectors[1], k: 5, exclude: { $0 == "p1" }).contains { $0.id == "p1" })
        #expect(index.count == 500)
    }

    @Test func int8ScoresApproximateTheDotProducts() {
        // 100 dimensions leave a tail past the kernel's 16 lanes; 384 is the model's.
        for dimension in [100, 384] {
            let vectors = Self.unitVectors(300, dimension: dimension, seed: 6)
            var codes = Int8Vectors(dimension: dimension)
            for v in vectors { codes.append(v) }
            let query = Self.unitVectors(1, dimension: dimension, seed: 7)[0]
            let scores = codes.scores(for: query)
            let worst = zip(scores, vectors).map { abs($0 - zip($1, query).reduce(0) { $0 + $1.0 * $1.1 }) }.max()!
            #expect(worst < 0.01, "8-bit scores within 0.01 of the float dot product (worst \(worst), AVX2: \(Int8Vectors.usesAVX2))")
        }
    }

    @Test func int8CodesReconstructTheVector() {
        let vector = Self.unitVectors(1, dimension: 384, seed: 5)[0]
        let codes = Int8Vectors(dimension: 384)
        let (row, scale) = codes.quantize(vector)
        let worst = zip(row, vector).map { abs(Float($0) * scale - $1) }.max()!
        #expect(worst <= scale / 2 + 1e-6)
        #expect(row.contains(127) || row.contains(-127))
    }

    @Test func queryVectorCacheReusesAndForgetsTheOldest() {
        let cache = QueryEmbeddingCache(capacity: 2)
        var runs = 0
        func embed(_ text: String) -> [Float] { runs += 1; return [Float(text.count)] }
        _ = cache.vector(for: "a", embed: embed)
        _ = cache.vector(for: "bb", embed: embed)
        #expect(cache.vector(for: "a", embed: embed) == [1])
        #expect(runs == 2, "a second search for the same text does not run the model")
        _ = cache.vector(for: "ccc", embed: embed) // evicts "bb", used least recently
        _ = cache.vector(for: "a", embed: embed)
        #expect(runs == 3)
        _ = cache.vector(for: "bb", embed: embed)
        #expect(runs == 4)
    }

    /// 300 papers: "common" in every one (clamped IDF), "frequent" in a third,
    /// "rare" in a few; one paper has "rare" in its title and "frequent" too.
    static func keywordStore() async throws -> SQLiteStore {
        let store = try TestSupport.temporaryStore()
        var papers: [Paper] = []
        for i in 0..<300 {
            var words = ["common", "filler\(i)"]
            if i % 3 == 0 { words.append("frequent") }
            if i % 50 == 7 { words.append("rare") }
            let title = i == 150 ? "rare frequent results" : "paper \(i)"
            papers.append(Paper(id: "2501.\(String(format: "%05d", i))", title: title, abstract: words.joined(separator: " ")))
        }
        _ = try await store.upsert(papers)
        return store
    }

    @Test func budgetedKeywordRankingMatchesExactWithinBudget() async throws {
        let store = try await Self.keywordStore()
        let words = ["rare", "frequent"]
        let exact = try await store.keywordSearch(words: words, phrases: [], limit: 200)
        let generous = try await store.keywordSearch(words: words, phrases: [], limit: 200, scoringBudget: 10_000)
        #expect(generous == exact, "words that fit the budget are ranked exactly")
        #expect(exact.first?.id == "2501.00150")
    }

    @Test func budgetedKeywordRankingKeepsTheBestAndScoresEveryWord() async throws {
        let store = try await Self.keywordStore()
        let words = ["common", "rare", "frequent"]
        let exact = try await store.keywordSearch(words: words, phrases: [], limit: 5)
        // Budget 10: "rare" (7 papers) anchors, "frequent" still counts in their scores.
        let budgeted = try await store.keywordSearch(words: words, phrases: [], limit: 5, scoringBudget: 10)
        #expect(budgeted.first?.id == "2501.00150")
        // Papers tie on score here, so compare scores rather than the order of equals.
        // "common" is left out (in every paper, its IDF is clamped to 1e-6), so scores agree to about 1e-5.
        #expect(budgeted.count == exact.count)
        #expect(zip(budgeted, exact).allSatisfy { abs($0.score - $1.score) < 1e-4 }, "the same BM25 scores as the exact ranking")
    }

    @Test func budgetedKeywordRankingOfPhrasesAndSingleWordsIsExact() async throws {
        let store = try await Self.keywordStore()
        for (words, phrases) in [(["frequent"], [String]()), (["rare"], ["frequent results"])] {
            let exact = try await store.keywordSearch(words: words, phrases: phrases, limit: 50)
            #expect(try await store.keywordSearch(words: words, phrases: phrases, limit: 50, scoringBudget: 1) == exact)
        }
    }
}
