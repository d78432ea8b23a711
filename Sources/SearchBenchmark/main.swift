// Search latency benchmark (not a test). Prints p50 / p95 in milliseconds of
//
// 1. the vector search at 10,000, 100,000 and 1,000,000 papers: the exact scan
//    (float32 sgemv, the baseline) and `VectorIndex.nearest` (8-bit scan and
//    float32 rescoring from 50,000 papers on), with recall@10 and @100 of the
//    latter against the former, and the memory used;
// 2. for each database given, the whole hybrid search and its parts: query
//    embedding, keyword ranking (FTS5's exact BM25 = baseline, FTS5 with the
//    scoring budget, the in-memory BM25 index), vector search, and the whole
//    `SearchService.search` before (FTS5, exact vectors) and after (in-memory
//    BM25, 8-bit scan), with the overlap of the fast top 100 / top 10 with exact ones.
//
//   swift run -c release --scratch-path .build-search SearchBenchmark \
//       [--sizes 10000,100000,1000000] [--queries 200] [--db PATH]... [--budget 2000] [--load-only]
//
// Vectors are synthetic (random unit vectors, seeded): embedding a million
// papers would take hours. Random vectors are the hard case for the 8-bit scan
// (true neighbours are barely closer than the rest), so recall on real
// embeddings is at least as good. Databases of synthetic papers come from
// bench/gen_snapshot.py (see bench/search_bench.sh).
import Embedding
import Foundation
import QuireCore
import Search
import Storage

func argument(_ name: String) -> String? {
    guard let i = CommandLine.arguments.firstIndex(of: name), i + 1 < CommandLine.arguments.count else { return nil }
    return CommandLine.arguments[i + 1]
}

func arguments(_ name: String) -> [String] {
    CommandLine.arguments.indices.filter { CommandLine.arguments[$0] == name && $0 + 1 < CommandLine.arguments.count }
        .map { CommandLine.arguments[$0 + 1] }
}

let sizes = (argument("--sizes") ?? "10000,100000,1000000").split(separator: ",").compactMap { Int($0) }
let queryCount = Int(argument("--queries") ?? "200") ?? 200
let budget = Int(argument("--budget") ?? "2000") ?? 2000
let dimension = 384

var generator = SeededGenerator(state: 42)

@MainActor func randomUnitVector() -> [Float] {
    var v = (0..<dimension).map { _ in Float.random(in: -1...1, using: &generator) }
    let norm = sqrt(v.reduce(0) { $0 + $1 * $1 })
    for i in v.indices { v[i] /= norm }
    return v
}

func percentiles(_ samples: [Double]) -> (p50: Double, p95: Double) {
    let sorted = samples.sorted()
    return (sorted[sorted.count / 2], sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.95))])
}

func residentMiB() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
    return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
}

/// CPU time of the whole process: with other builds competing for the two
/// cores, wall time includes waiting for a core and CPU time does not.
func processCPUMilliseconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) * 1e3 + Double(spec.tv_nsec) / 1e6
}

/// Wall and CPU milliseconds of repeated calls to one thing.
struct Samples {
    var wall: [Double] = []
    var cpu: [Double] = []

    mutating func measure<T>(_ body: () throws -> T) rethrows -> T {
        let (start, cpuStart) = (DispatchTime.now().uptimeNanoseconds, processCPUMilliseconds())
        let result = try body()
        record(start, cpuStart)
        return result
    }

    mutating func measure<T>(_ body: () async throws -> T) async rethrows -> T {
        let (start, cpuStart) = (DispatchTime.now().uptimeNanoseconds, processCPUMilliseconds())
        let result = try await body()
        record(start, cpuStart)
        return result
    }

    private mutating func record(_ start: UInt64, _ cpuStart: Double) {
        wall.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        cpu.append(processCPUMilliseconds() - cpuStart)
    }
}

/// The share of `exact`'s ids that `approximate` also has.
func overlap(_ approximate: [String], _ exact: [String]) -> Double {
    guard !exact.isEmpty else { return 1 }
    return Double(Set(approximate).intersection(exact).count) / Double(exact.count)
}

func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }

let header = "                                      wall p50 wall p95  cpu p50  cpu p95"

func row(_ label: String, _ samples: Samples, _ extra: String = "") -> String {
    let (p50, p95) = percentiles(samples.wall), (cpu50, cpu95) = percentiles(samples.cpu)
    return String(format: "  %-36@ %8.2f %8.2f %8.2f %8.2f   %@", label as NSString, p50, p95, cpu50, cpu95, extra as NSString)
}

print("Quire search benchmark, \(ProcessInfo.processInfo.activeProcessorCount) cores, \(queryCount) queries per figure, load average at start \((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8).prefix(14)) ?? "?")")
print("== 1. vector search, synthetic random unit vectors of \(dimension) dimensions, top 100")
for size in sizes {
    let index = VectorIndex(dimension: dimension)
    index.reserve(size)
    for i in 0..<size { index.add(id: String(i), vector: randomUnitVector()) }
    let queries = (0..<queryCount).map { _ in randomUnitVector() }
    _ = index.nearest(to: queries[0], k: 100); _ = index.nearestExact(to: queries[0], k: 100) // warm up
    var exactSamples = Samples(), fastSamples = Samples()
    var recall10: [Double] = [], recall100: [Double] = []
    for query in queries {
        let exact = exactSamples.measure { index.nearestExact(to: query, k: 100).map(\.id) }
        let fast = fastSamples.measure { index.nearest(to: query, k: 100).map(\.id) }
        recall10.append(overlap(Array(fast.prefix(10)), Array(exact.prefix(10))))
        recall100.append(overlap(fast, exact))
    }
    let method = size >= index.approximateScanThreshold ? "8-bit scan + rescoring" : "exact (below threshold)"
    print("\(size) papers: index \(index.memoryBytes / 1_048_576) MiB (float32 + 8-bit copy), process RSS \(residentMiB()) MiB")
    print(header)
    print(row("baseline: exact float32 sgemv", exactSamples))
    print(row("nearest: \(method)", fastSamples,
              String(format: "recall@10 %.4f, recall@100 %.4f, p50 speed-up %.1fx", mean(recall10), mean(recall100),
                     percentiles(exactSamples.wall).p50 / percentiles(fastSamples.wall).p50)))
}

// Research-style queries: common words ("for", "with", "model") on purpose,
// since they are what makes an OR query over BM25 slow.
let phrases = [
    "graph neural networks for molecules", "protein folding with deep learning", "quantum error correction codes",
    "dark matter halo simulations", "large language model reasoning", "reinforcement learning robot control",
    "image segmentation transformer", "climate model uncertainty", "black hole thermodynamics", "sparse attention long context",
    "gene expression in cancer cells", "vaccine efficacy against influenza", "diffusion models for image generation",
    "contrastive learning of visual representations", "insulin resistance and obesity", "speech recognition with transformers",
    "the effect of exercise on blood pressure", "stochastic gradient descent convergence", "mitochondrial dysfunction in neurons",
    "antibiotic resistance in bacteria", "federated learning privacy", "mutation rate of the virus",
    "retrieval augmented generation", "knowledge distillation for small models", "risk of heart failure in patients with diabetes",
]

for path in arguments("--db") {
    let store = try SQLiteStore(path: path)
    if CommandLine.arguments.contains("--load-only") { // how long `quire serve` takes to load the keyword index
        let start = Date()
        let keywordIndex = KeywordSearch(feed: store)
        try await keywordIndex.load()
        print(String(format: "%@: keyword index loaded in %.1f s, postings %d MiB, process RSS %d MiB", path, Date().timeIntervalSince(start),
                     keywordIndex.postingBytes / 1_048_576, residentMiB()))
        continue
    }
    let ids = try await store.read { db in try db.query("SELECT id FROM papers ORDER BY seq") { $0.string(0) } }
    print("== 2. hybrid search on \(path): \(ids.count) papers (synthetic vectors, real model for the queries), scoring budget \(budget)")
    let embedder = try SentenceEmbedder(modelDirectory: SentenceEmbedder.locateModel(explicit: nil))
    // No query cache: every search below runs the model, as a new query would.
    let semantic = SemanticIndex(embedder: embedder, store: store, cachedQueries: 0)
    semantic.index.reserve(ids.count)
    for id in ids { semantic.index.add(id: id, vector: randomUnitVector()) }
    let keywordIndex = KeywordSearch(feed: store)
    let fast = SearchService(store: store, keywordIndex: keywordIndex, semantic: semantic, keywordScoringBudget: budget)
    let exact = SearchService(store: store, semantic: semantic, keywordScoringBudget: nil)

    var embed = Samples(), keywordExact = Samples(), keywordBudget = Samples(), keywordMemory = Samples(), vectorExact = Samples()
    var vectorFast = Samples(), hybridExact = Samples(), hybridFast = Samples()
    var budgetOverlap: [Double] = [], memoryOverlap: [Double] = [], hybridOverlap: [Double] = []
    _ = try await fast.search(SearchQuery.plainText(phrases[0]), limit: 20) // warm up: model, connections, page cache
    // Before the in-memory keyword index is loaded, keyword search is FTS5's:
    // the baselines, and the exact answers the fast paths are compared with.
    var exactKeywordIDs: [[String]] = [], exactHybridIDs: [[String]] = []
    for i in 0..<queryCount {
        let text = phrases[i % phrases.count]
        let query = SearchQuery.plainText(text)
        let vector = embed.measure { embedder.embed(text) }
        let exactKeywords = try await keywordExact.measure { try await store.keywordSearch(words: query.words, phrases: [], limit: 100, scoringBudget: nil) }
        let budgetKeywords = try await keywordBudget.measure { try await store.keywordSearch(words: query.words, phrases: [], limit: 100, scoringBudget: budget) }
        exactKeywordIDs.append(exactKeywords.map(\.id))
        budgetOverlap.append(overlap(budgetKeywords.map(\.id), exactKeywords.map(\.id)))
        _ = vectorExact.measure { semantic.index.nearestExact(to: vector, k: 100) }
        _ = vectorFast.measure { semantic.index.nearest(to: vector, k: 100) }
        semantic.index.approximateScanThreshold = .max
        exactHybridIDs.append(try await hybridExact.measure { try await exact.search(query, limit: 20) }.hits.prefix(10).map(\.paper.id))
        semantic.index.approximateScanThreshold = 50_000
    }
    let loadStart = Date()
    try await keywordIndex.load()
    let loadSeconds = Date().timeIntervalSince(loadStart)
    for i in 0..<queryCount {
        let query = SearchQuery.plainText(phrases[i % phrases.count])
        let memoryKeywords = try await keywordMemory.measure { try await keywordIndex.search(words: query.words, phrases: [], limit: 100) }
        memoryOverlap.append(overlap(memoryKeywords.map(\.id), exactKeywordIDs[i]))
        let fastHits = try await hybridFast.measure { try await fast.search(query, limit: 20) }
        hybridOverlap.append(overlap(fastHits.hits.prefix(10).map(\.paper.id), exactHybridIDs[i]))
    }
    print(header)
    print(row("query embedding (model, uncached)", embed))
    print(row("keyword, FTS5 exact BM25 (baseline)", keywordExact))
    print(row("keyword, FTS5 budget \(budget)", keywordBudget, String(format: "has %.1f%% of the exact top 100", 100 * mean(budgetOverlap))))
    print(row("keyword, in-memory BM25", keywordMemory, String(format: "has %.1f%% of the exact top 100, p50 speed-up %.0fx", 100 * mean(memoryOverlap),
                                                              percentiles(keywordExact.wall).p50 / percentiles(keywordMemory.wall).p50)))
    print(row("vector, exact sgemv (baseline)", vectorExact))
    print(row("vector, nearest (8-bit above 50k)", vectorFast))
    print(row("HYBRID baseline (FTS5 + exact vectors)", hybridExact))
    print(row("HYBRID new (in-memory BM25 + 8-bit)", hybridFast, String(format: "top 10 has %.1f%% of the baseline's top 10", 100 * mean(hybridOverlap))))
    print(String(format: "  keyword index: loaded in %.1f s, postings %d MiB", loadSeconds, keywordIndex.postingBytes / 1_048_576))
    // Phrases: FTS5 reads positions; the in-memory index intersects postings
    // and checks adjacency on the candidates' text, read from the store.
    print("  quoted phrase alone (top 100), FTS5 (baseline) / in-memory, and papers holding every token")
    for phrase in ["neural networks", "language model", "error correction", "of the"] {
        var fts5 = Samples(), memory = Samples()
        var same = true
        for _ in 0..<max(1, queryCount / 20) {
            let exact = try await fts5.measure { try await store.keywordSearch(words: [], phrases: [phrase], limit: 100, scoringBudget: nil) }
            let mine = try await memory.measure { try await keywordIndex.search(words: [], phrases: [phrase], limit: 100) }
            same = same && overlap(mine.map(\.id), exact.map(\.id)) == 1
        }
        let candidates = keywordIndex.candidates(forPhrase: phrase)
        print(row("  \"\(phrase)\" FTS5", fts5))
        print(row("  \"\(phrase)\" in-memory", memory, "\(candidates) candidates, same top 100: \(same)"))
    }
    print("  index \(semantic.index.memoryBytes / 1_048_576) MiB, process RSS \(residentMiB()) MiB")
}
