import ArgumentParser
import Foundation
import QuireCore
import Search
import Storage

/// Measures search quality on a BEIR-format data set: imports the corpus into
/// a fresh database, runs the queries that have judgements, and prints
/// nDCG@10 and Recall@100 for keyword-only, semantic-only and hybrid.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eval", abstract: "Measure search quality on a BEIR data set.")

    @Option(help: "BEIR folder with corpus.jsonl, queries.jsonl and qrels/SPLIT.tsv.") var corpus: String
    @Option(help: "Which qrels file to use.") var split = "train"
    @Option(help: "Database to build, a SQLite file or a PostgreSQL address (default: a new temporary file; an existing one is reused).") var db: String?
    @OptionGroup var model: ModelOptions
    @Option(help: "Reciprocal-rank fusion weight of the keyword ranking.") var keywordWeight = FusionWeights().keyword
    @Option(help: "Reciprocal-rank fusion weight of the semantic ranking.") var semanticWeight = FusionWeights().semantic
    @Option(help: "Reciprocal-rank fusion constant k.") var rrfK = FusionWeights().k
    @Option(help: "Modes to measure, comma-separated.") var modes = "semantic,keyword,hybrid"
    @Option(help: "Cosine similarity from which a paper matches in meaning.") var semanticThreshold = SearchService.defaultSemanticThreshold
    @Option(help: "Share of the best BM25 from which a paper without every word matches by keyword.") var keywordFloor = SearchService.defaultKeywordScoreFloor
    @Option(help: "Thresholds to sweep, comma-separated (e.g. 0.2,0.3,0.4): precision and recall of matching in meaning, and hybrid nDCG@10, with each.")
    var sweepThresholds: String?

    func run() async throws {
        let folder = URL(fileURLWithPath: corpus)
        let path = db ?? FileManager.default.temporaryDirectory.appendingPathComponent("quire-eval-\(UUID().uuidString).sqlite").path
        try await StoreOptions.withStore(address: path) { store in try await evaluate(on: store, folder: folder) }
    }

    private func evaluate(on store: any StoreOptions.CommandStore, folder: URL) async throws {
        try await importCorpus(folder.appendingPathComponent("corpus.jsonl"), into: store)
        let keywordIndex = KeywordSearch(feed: store)
        try await keywordIndex.load()
        // Every query's vector stays cached: a sweep searches each query once per threshold.
        let semantic = try await model.loadSemanticIndex(store: store, cachedQueries: 4_096)
        let started = Date()
        let embedded = try await semantic.embedMissing { done in
            FileHandle.standardError.write("\rembedding the corpus: \(done)".data(using: .utf8)!)
        }
        if embedded > 0 { FileHandle.standardError.write("\nembedded \(embedded) documents in \(Int(Date().timeIntervalSince(started))) s\n".data(using: .utf8)!) }

        let qrels = try Self.readQrels(folder.appendingPathComponent("qrels/\(split).tsv"))
        let queries = try Self.readJSONLines(folder.appendingPathComponent("queries.jsonl")).compactMap { row -> (id: String, text: String)? in
            guard let id = row["_id"].map({ "\($0)" }), qrels[id] != nil, let text = row["text"] as? String else { return nil }
            return (id, text)
        }
        let fusion = FusionWeights(keyword: keywordWeight, semantic: semanticWeight, k: rrfK)
        let service = SearchService(store: store, keywordIndex: keywordIndex, semantic: semantic, fusion: fusion, semanticThreshold: semanticThreshold,
                                    keywordScoreFloor: keywordFloor)
        print("\(queries.count) queries with judgements (\(split)), \(try await store.stats().papers) documents")
        if let sweepThresholds {
            let thresholds = sweepThresholds.split(separator: ",").compactMap { Float($0.trimmingCharacters(in: .whitespaces)) }
            guard !thresholds.isEmpty else { throw ValidationError("--sweep-thresholds takes numbers, e.g. 0.2,0.3,0.4") }
            try await ThresholdSweep(store: store, keywordIndex: keywordIndex, semantic: semantic, fusion: fusion, keywordFloor: keywordFloor, queries: queries, qrels: qrels)
                .run(thresholds)
            return
        }
        print("semantic threshold \(semanticThreshold), keyword floor \(keywordFloor)")
        print("mode       nDCG@10  Recall@100  ms/query")
        for mode in modes.split(separator: ",").compactMap({ SearchService.Mode(rawValue: String($0)) }) {
            var ndcg = 0.0, recall = 0.0
            let start = Date()
            for (id, text) in queries {
                let ranked = try await service.search(SearchQuery.plainText(text), limit: 100, mode: mode).hits.map(\.paper.id)
                ndcg += Self.ndcg(ranked, relevant: qrels[id]!, at: 10)
                recall += Self.recall(ranked, relevant: qrels[id]!, at: 100)
            }
            let n = Double(queries.count)
            let ms = Date().timeIntervalSince(start) * 1000 / n
            print(String(format: "%-9@  %.4f   %.4f      %.1f", mode.rawValue as NSString, ndcg / n, recall / n, ms))
        }
    }

    static func ndcg(_ ranked: [String], relevant: [String: Int], at k: Int) -> Double {
        var dcg = 0.0
        for (i, id) in ranked.prefix(k).enumerated() { dcg += Double(relevant[id] ?? 0) / log2(Double(i) + 2) }
        let ideal = relevant.values.sorted(by: >).prefix(k).enumerated().reduce(0.0) { $0 + Double($1.element) / log2(Double($1.offset) + 2) }
        return ideal > 0 ? dcg / ideal : 0
    }

    static func recall(_ ranked: [String], relevant: [String: Int], at k: Int) -> Double {
        let wanted = relevant.filter { $0.value > 0 }.keys
        guard !wanted.isEmpty else { return 0 }
        let top = Set(ranked.prefix(k))
        return Double(wanted.filter(top.contains).count) / Double(wanted.count)
    }

    private func importCorpus(_ url: URL, into store: any PaperStore) async throws {
        var batch: [Paper] = []
        for row in try Self.readJSONLines(url) {
            guard let id = row["_id"].map({ "\($0)" }), let text = row["text"] as? String else { continue }
            batch.append(Paper(id: id, title: row["title"] as? String ?? "", abstract: text))
            if batch.count == 1000 { _ = try await store.upsert(batch); batch.removeAll() }
        }
        _ = try await store.upsert(batch)
    }

    static func readJSONLines(_ url: URL) throws -> [[String: Any]] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw ValidationError("cannot read \(url.path)") }
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// query id → (document id → relevance), from a BEIR qrels TSV (CRLF tolerated).
    static func readQrels(_ url: URL) throws -> [String: [String: Int]] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw ValidationError("cannot read \(url.path)") }
        var qrels: [String: [String: Int]] = [:]
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let fields = line.split(separator: "\t").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count >= 3, let score = Int(fields[2]) else { continue }
            qrels[fields[0], default: [:]][fields[1]] = score
        }
        return qrels
    }
}
