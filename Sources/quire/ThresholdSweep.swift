import Foundation
import QuireCore
import Search
import Storage

/// `quire eval --sweep-thresholds`: for each cosine-similarity threshold,
/// how well "similar enough in meaning" agrees with a benchmark's judgements
/// (micro-averaged precision and recall over every query: of the papers at
/// or above the threshold, how many are judged relevant; of the relevant
/// ones, how many are at or above it), how many papers it lets match per
/// query, and the hybrid nDCG@10 of searches that use it as their
/// definition of a match. `SearchService.defaultSemanticThreshold` is chosen
/// from this table.
struct ThresholdSweep {
    let store: any PaperStore & SearchIndexStore
    let keywordIndex: KeywordSearch
    let semantic: SemanticIndex
    let fusion: FusionWeights
    let keywordFloor: Double
    let queries: [(id: String, text: String)]
    let qrels: [String: [String: Int]]

    func run(_ thresholds: [Float]) async throws {
        let lowest = thresholds.min() ?? 0
        // Each query's similar-enough papers at the lowest threshold hold those of every other.
        var similarities: [String: [Float]] = [:], relevantSimilarities: [String: [Float]] = [:]
        for (id, text) in queries {
            let relevant = qrels[id, default: [:]].filter { $0.value > 0 }
            let found = try await semantic.matches(to: text, minScore: lowest)
            similarities[id] = found.map(\.score)
            relevantSimilarities[id] = found.filter { relevant[$0.id] != nil }.map(\.score)
        }
        let relevantTotal = queries.reduce(0) { $0 + qrels[$1.id, default: [:]].values.filter { $0 > 0 }.count }
        print("threshold  precision  recall   F1      matches/query  hybrid nDCG@10  Recall@100")
        for threshold in thresholds.sorted() {
            let retrieved = queries.reduce(0) { $0 + (similarities[$1.id] ?? []).filter { $0 >= threshold }.count }
            let hits = queries.reduce(0) { $0 + (relevantSimilarities[$1.id] ?? []).filter { $0 >= threshold }.count }
            let precision = retrieved > 0 ? Double(hits) / Double(retrieved) : 0
            let recall = relevantTotal > 0 ? Double(hits) / Double(relevantTotal) : 0
            let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
            let service = SearchService(store: store, keywordIndex: keywordIndex, semantic: semantic, fusion: fusion, semanticThreshold: threshold,
                                        keywordScoreFloor: keywordFloor)
            var ndcg = 0.0, recallAt100 = 0.0
            for (id, text) in queries {
                let ranked = try await service.search(SearchQuery.plainText(text), limit: 100).hits.map(\.paper.id)
                ndcg += EvalCommand.ndcg(ranked, relevant: qrels[id, default: [:]], at: 10)
                recallAt100 += EvalCommand.recall(ranked, relevant: qrels[id, default: [:]], at: 100)
            }
            let n = Double(max(queries.count, 1))
            print(String(format: "%.3f      %.4f     %.4f   %.4f  %8.1f       %.4f          %.4f", threshold, precision, recall, f1,
                         Double(retrieved) / n, ndcg / n, recallAt100 / n))
        }
    }
}
