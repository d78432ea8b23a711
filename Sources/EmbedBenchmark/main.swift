import Foundation
import Embedding

// EmbedBenchmark — speed and correctness checks for the Embedding target.
//
//   EmbedBenchmark --corpus corpus.jsonl [--limit N] [--workers N] [--batch-tokens N]
//                  [--vectors-out FILE] [--model-dir DIR]
//       embeds "title text" for each BEIR corpus row and prints docs/s.
//   EmbedBenchmark --fixture Tests/QuireTests/Fixtures/embedding-reference.json [--model-dir DIR]
//       compares token ids and vectors with the Python reference.

func fail(_ msg: String) -> Never {
    FileHandle.standardError.write((msg + "\n").data(using: .utf8)!)
    exit(1)
}

let args = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
    guard let i = args.firstIndex(of: name) else { return nil }
    guard i + 1 < args.count else { fail("\(name) needs a value") }
    return args[i + 1]
}

let embedder: SentenceEmbedder
do {
    let dir = try SentenceEmbedder.locateModel(explicit: option("--model-dir"))
    let t0 = Date()
    embedder = try SentenceEmbedder(modelDirectory: dir)
    print(String(format: "model: %@ (loaded in %.2f s)", dir.path, Date().timeIntervalSince(t0)))
} catch {
    fail("error: \(error)")
}
if let w = option("--workers").flatMap(Int.init) { embedder.workers = w }
if let b = option("--batch-tokens").flatMap(Int.init) { embedder.tokensPerBatch = b }

if let fixture = option("--fixture") {
    guard let data = FileManager.default.contents(atPath: fixture),
          let doc = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
          let cases = doc["cases"] as? [[String: Any]] else { fail("cannot read fixture \(fixture)") }
    let texts = cases.map { $0["text"] as! String }
    let vectors = embedder.embed(texts)
    var idFailures = 0
    var minCos: Float = 1
    for (k, c) in cases.enumerated() {
        let ref = (c["ids"] as! [NSNumber]).map { $0.int32Value }
        let got = embedder.tokenize(texts[k])
        if ref != got {
            idFailures += 1
            print("ids differ for case \(k) \(texts[k].prefix(50).debugDescription):\n  ref \(ref.prefix(40))\n  got \(got.prefix(40))")
        }
        let rv = (c["vector"] as! [NSNumber]).map { $0.floatValue }
        var dot: Float = 0, nr: Float = 0, ng: Float = 0
        for j in 0..<rv.count { dot += rv[j] * vectors[k][j]; nr += rv[j] * rv[j]; ng += vectors[k][j] * vectors[k][j] }
        let cos = dot / (nr.squareRoot() * ng.squareRoot())
        minCos = min(minCos, cos)
        if cos < 0.9999 { print("case \(k): cosine \(cos)") }
    }
    print("fixture: \(cases.count) cases, token-id mismatches: \(idFailures), min cosine: \(minCos)")
    exit(idFailures == 0 && minCos >= 0.9999 ? 0 : 1)
}

// --queries FILE: each query of a BEIR queries.jsonl embedded alone, as a
// search does; prints p50 / p95 milliseconds (and the profile with QUIRE_EMBED_PROFILE).
if let queries = option("--queries") {
    guard let text = try? String(contentsOfFile: queries, encoding: .utf8) else { fail("cannot read \(queries)") }
    let texts = text.split(separator: "\n").compactMap { line in
        (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["text"] as? String
    }.prefix(option("--limit").flatMap(Int.init) ?? 300)
    let tokens = texts.map { embedder.tokenize($0).count }.reduce(0, +) / max(texts.count, 1)
    print("\(texts.count) queries (mean \(tokens) tokens), one at a time, ms:")
    // Alternated query by query, so both see the same machine load.
    var times: [Int: [Double]] = [:]
    let workerCounts = Array(Set([1, embedder.workers])).sorted()
    _ = embedder.embed(texts.first ?? "warm up")
    let profileBefore = SentenceEmbedder.profile
    for query in texts {
        for workers in workerCounts {
            embedder.workers = workers
            let start = DispatchTime.now().uptimeNanoseconds
            _ = embedder.embed(query)
            times[workers, default: []].append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
    }
    for workers in workerCounts {
        let sorted = times[workers]!.sorted()
        print(String(format: "  %-42@ p50 %6.2f  p95 %6.2f", (workers == 1 ? "one thread (baseline)" : "products split between \(workers) threads") as NSString,
                     sorted[sorted.count / 2], sorted[Int(Double(sorted.count) * 0.95)]))
    }
    for (k, v) in SentenceEmbedder.profile.sorted(by: { $0.value > $1.value }) where v > (profileBefore[k] ?? 0) {
        print(String(format: "  %-12@ %.1f ms per query (thread CPU, both runs)", k as NSString, (v - (profileBefore[k] ?? 0)) * 1000 / Double(texts.count)))
    }
    exit(0)
}

guard let corpus = option("--corpus") else {
    fail("usage: EmbedBenchmark (--corpus FILE [--limit N] [--workers N] [--batch-tokens N] [--vectors-out FILE] | --fixture FILE) [--model-dir DIR]")
}
let limit = option("--limit").flatMap(Int.init) ?? 0
guard let raw = FileManager.default.contents(atPath: corpus),
      let content = String(data: raw, encoding: .utf8) else { fail("cannot read \(corpus)") }
var texts: [String] = []
for line in content.split(separator: "\n", omittingEmptySubsequences: true) {
    guard let row = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
    let title = row["title"] as? String ?? ""
    let text = row["text"] as? String ?? ""
    texts.append(title.isEmpty ? text : title + " " + text)
    if limit > 0 && texts.count >= limit { break }
}

_ = embedder.embed(Array(texts.prefix(16)))   // warm-up
let tTok0 = Date()
var tokens = 0
for t in texts { tokens += embedder.tokenize(t).count }
let tokSeconds = Date().timeIntervalSince(tTok0)
func processCPU() -> Double {
    var ru = rusage()
    getrusage(RUSAGE_SELF.rawValue, &ru)
    return Double(ru.ru_utime.tv_sec) + Double(ru.ru_utime.tv_usec) * 1e-6
        + Double(ru.ru_stime.tv_sec) + Double(ru.ru_stime.tv_usec) * 1e-6
}
let profileBefore = SentenceEmbedder.profile
let t0 = Date()
let cpu0 = processCPU()
let flat = embedder.embedFlat(texts)
let seconds = Date().timeIntervalSince(t0)
let cpuSeconds = processCPU() - cpu0
print(String(format: "engine: Quire Swift (workers %d, batch %d tokens)", embedder.workers, embedder.tokensPerBatch))
print(String(format: "tokens: %d (%.1f per doc; tokenising alone %.2f s single-threaded)",
             tokens, Double(tokens) / Double(max(texts.count, 1)), tokSeconds))
print(String(format: "docs: %d  seconds: %.2f  docs/s: %.2f  cpu-seconds: %.2f  docs/cpu-s: %.3f",
             texts.count, seconds, Double(texts.count) / seconds, cpuSeconds, Double(texts.count) / cpuSeconds))
let prof = SentenceEmbedder.profile
if !prof.isEmpty {
    let total = prof.values.reduce(0, +) - profileBefore.values.reduce(0, +)
    for (k, v) in prof.sorted(by: { $0.value > $1.value }) {
        let d = v - (profileBefore[k] ?? 0)
        print(String(format: "  %-12@ %7.2f cpu-s  %5.1f%%", k as NSString, d, 100 * d / total))
    }
}
if let out = option("--vectors-out") {
    let d = flat.withUnsafeBufferPointer { Data(buffer: $0) }
    _ = FileManager.default.createFile(atPath: out, contents: d)
}
