// Search latency benchmark (not a test): p50 / p95 of the vector scan at
// 10,000, 100,000 and 1,000,000 papers, and of the whole hybrid search
// (keyword index + query embedding + vector scan + fusion + loading papers)
// on a real database when one is given.
//
//   swift run -c release SearchBenchmark [--db PATH] [--sizes 10000,100000,1000000] [--queries 200]
//
// Vectors are synthetic (random unit vectors): embedding a million papers
// would take hours, and a scan costs the same whatever the numbers are.
import Embedding
import Foundation
import Search
import QuireCore
import Storage

func argument(_ name: String) -> String? {
    guard let i = CommandLine.arguments.firstIndex(of: name), i + 1 < CommandLine.arguments.count else { return nil }
    return CommandLine.arguments[i + 1]
}

let sizes = (argument("--sizes") ?? "10000,100000,1000000").split(separator: ",").compactMap { Int($0) }
let queryCount = Int(argument("--queries") ?? "200") ?? 200
let dimension = 384
var generator = SystemRandomNumberGenerator()

func randomUnitVector() -> [Float] {
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

func time(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
}

print("== vector scan (exact, sgemv + top-100 heap), \(queryCount) queries each")
print("papers      p50 ms   p95 ms   index MiB   process RSS MiB")
for size in sizes {
    let index = VectorIndex(dimension: dimension)
    index.reserve(size)
    for i in 0..<size { index.add(id: String(i), vector: randomUnitVector()) }
    let queries = (0..<queryCount).map { _ in randomUnitVector() }
    _ = index.nearest(to: queries[0], k: 100) // warm up
    let samples = queries.map { q in time { _ = index.nearest(to: q, k: 100) } }
    let (p50, p95) = percentiles(samples)
    print(String(format: "%-10d %7.2f  %7.2f   %9d   %15d", size, p50, p95, index.memoryBytes / 1_048_576, residentMiB()))
}

if let path = argument("--db") {
    print("== whole hybrid search on \(path) (synthetic vectors for its papers, real model for the query)")
    let store = try SQLiteStore(path: path)
    let embedder = try SentenceEmbedder(modelDirectory: SentenceEmbedder.locateModel(explicit: nil))
    let semantic = SemanticIndex(embedder: embedder, store: store)
    let total = try await store.stats().papers
    var seq = 0
    while true {
        let ids = try await store.papers(from: Day(year: 1, month: 1, day: 1)!, to: Day(year: 9999, month: 1, day: 1)!, submitter: nil,
                                         sort: .publishedAt, offset: seq, limit: 5000).items.map(\.id)
        if ids.isEmpty { break }
        for id in ids { semantic.index.add(id: id, vector: randomUnitVector()) }
        seq += ids.count
    }
    let service = SearchService(store: store, semantic: semantic)
    let phrases = ["graph neural networks for molecules", "protein folding with deep learning", "quantum error correction codes",
                   "dark matter halo simulations", "large language model reasoning", "reinforcement learning robot control",
                   "image segmentation transformer", "climate model uncertainty", "black hole thermodynamics", "sparse attention long context"]
    var samples: [Double] = []
    for i in 0..<queryCount {
        let query = SearchQuery.plainText(phrases[i % phrases.count])
        let start = DispatchTime.now().uptimeNanoseconds
        _ = try await service.search(query, limit: 20)
        samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    let (p50, p95) = percentiles(samples)
    print(String(format: "%d papers: hybrid p50 %.1f ms, p95 %.1f ms (process RSS %d MiB)", total, p50, p95, residentMiB()))
}
