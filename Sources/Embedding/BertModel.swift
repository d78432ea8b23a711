import Foundation
import QuireCore
import CBLAS

/// The BERT encoder of all-MiniLM-L6-v2 (6 layers, hidden 384, 12 heads,
/// intermediate 1536, exact-erf GELU, LayerNorm eps 1e-12) followed by mean
/// pooling and L2 normalisation.
///
/// Batches are *packed*: the token rows of all sequences of a batch are laid
/// one after the other with no padding, every dense layer is one
/// `cblas_sgemm` over all rows, and attention is computed per sequence and
/// head over that sequence's own rows only. This is exactly equivalent to a
/// padded batch with an attention mask (masked keys get weight 0 and padded
/// rows are excluded from pooling), while wasting no work on padding.
final class BertModel: @unchecked Sendable { // weights are set in init and only read after
    struct Config {
        var hidden = 384
        var heads = 12
        var intermediate = 1536
        var layers = 6
        var maxPositions = 512
        var vocab = 30522
        var eps: Float = 1e-12
        var headDim: Int { hidden / heads }
    }

    struct Layer {
        var wqkv: [Float]     // [3H, H] (query rows, then key rows, then value rows)
        var bqkv: [Float]     // [3H]
        var wo: [Float]       // [H, H]
        var bo: [Float]
        var ln1g: [Float], ln1b: [Float]
        var wi: [Float]       // [I, H]
        var bi: [Float]
        var wo2: [Float]      // [H, I]
        var bo2: [Float]
        var ln2g: [Float], ln2b: [Float]
    }

    let config: Config

    /// Per-stage thread-CPU seconds, collected when QUIRE_EMBED_PROFILE is set
    /// (used by EmbedBenchmark to see where time goes).
    static let profiling = ProcessInfo.processInfo.environment["QUIRE_EMBED_PROFILE"] != nil
    nonisolated(unsafe) static var profile: [String: Double] = [:]
    static let profileLock = NSLock()
    @inline(__always) static func cpuNow() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
    private struct Stopwatch {
        var last = BertModel.profiling ? BertModel.cpuNow() : 0
        var acc: [String: Double] = [:]
        @inline(__always) mutating func lap(_ name: String) {
            guard BertModel.profiling else { return }
            let now = BertModel.cpuNow()
            acc[name, default: 0] += now - last
            last = now
        }
        func flush() {
            guard BertModel.profiling else { return }
            BertModel.profileLock.lock()
            for (k, v) in acc { BertModel.profile[k, default: 0] += v }
            BertModel.profileLock.unlock()
        }
    }
    let wordEmbeddings: [Float]      // [V, H]
    let positionPlusType: [Float]    // [P, H]: position embedding + token-type-0 embedding
    let embLNg: [Float], embLNb: [Float]
    let layers: [Layer]

    init(safetensors st: SafeTensors, configJSON: [String: Any]?) throws {
        var c = Config()
        if let j = configJSON {
            if let v = j["hidden_size"] as? Int { c.hidden = v }
            if let v = j["num_attention_heads"] as? Int { c.heads = v }
            if let v = j["intermediate_size"] as? Int { c.intermediate = v }
            if let v = j["num_hidden_layers"] as? Int { c.layers = v }
            if let v = j["max_position_embeddings"] as? Int { c.maxPositions = v }
            if let v = j["vocab_size"] as? Int { c.vocab = v }
            if let v = j["layer_norm_eps"] as? Double { c.eps = Float(v) }
            if let act = j["hidden_act"] as? String, act != "gelu" {
                throw EmbeddingError.unsupportedModel("hidden_act \(act); only exact \"gelu\" is implemented")
            }
        }
        guard c.hidden % c.heads == 0, c.hidden % 8 == 0, c.intermediate % 8 == 0 else {
            throw EmbeddingError.unsupportedModel("hidden \(c.hidden) / heads \(c.heads) / intermediate \(c.intermediate)")
        }
        config = c
        let H = c.hidden, I = c.intermediate
        // Some exports prefix every tensor with "bert." — accept both.
        let prefix = st.tensors["embeddings.word_embeddings.weight"] != nil ? "" : "bert."
        func t(_ name: String, _ shape: [Int]) throws -> [Float] { try st.floats(prefix + name, shape: shape) }

        wordEmbeddings = try t("embeddings.word_embeddings.weight", [c.vocab, H])
        let pos = try t("embeddings.position_embeddings.weight", [c.maxPositions, H])
        let typ = try t("embeddings.token_type_embeddings.weight", [st.tensors[prefix + "embeddings.token_type_embeddings.weight"]?.shape.first ?? 2, H])
        var pt = pos
        for p in 0..<c.maxPositions { for j in 0..<H { pt[p * H + j] += typ[j] } }
        positionPlusType = pt
        embLNg = try t("embeddings.LayerNorm.weight", [H])
        embLNb = try t("embeddings.LayerNorm.bias", [H])

        var ls: [Layer] = []
        for l in 0..<c.layers {
            let p = "encoder.layer.\(l)."
            let wq = try t(p + "attention.self.query.weight", [H, H])
            let wk = try t(p + "attention.self.key.weight", [H, H])
            let wv = try t(p + "attention.self.value.weight", [H, H])
            let bq = try t(p + "attention.self.query.bias", [H])
            let bk = try t(p + "attention.self.key.bias", [H])
            let bv = try t(p + "attention.self.value.bias", [H])
            ls.append(Layer(
                wqkv: wq + wk + wv, bqkv: bq + bk + bv,
                wo: try t(p + "attention.output.dense.weight", [H, H]),
                bo: try t(p + "attention.output.dense.bias", [H]),
                ln1g: try t(p + "attention.output.LayerNorm.weight", [H]),
                ln1b: try t(p + "attention.output.LayerNorm.bias", [H]),
                wi: try t(p + "intermediate.dense.weight", [I, H]),
                bi: try t(p + "intermediate.dense.bias", [I]),
                wo2: try t(p + "output.dense.weight", [H, I]),
                bo2: try t(p + "output.dense.bias", [H]),
                ln2g: try t(p + "output.LayerNorm.weight", [H]),
                ln2b: try t(p + "output.LayerNorm.bias", [H])))
        }
        layers = ls
    }

    /// Scratch memory for one packed batch of up to `maxTokens` rows; one per
    /// concurrently running worker.
    final class Workspace {
        let maxTokens: Int
        let maxSeq: Int
        let x: UnsafeMutablePointer<Float>       // [T, H] hidden state
        let qkv: UnsafeMutablePointer<Float>     // [T, 3H]
        let ctx: UnsafeMutablePointer<Float>     // [T, H]
        let tmp: UnsafeMutablePointer<Float>     // [T, H]
        let inter: UnsafeMutablePointer<Float>   // [T, I]
        let scores: UnsafeMutablePointer<Float>  // [maxSeq, maxSeq]
        init(config c: Config, maxTokens: Int, maxSeq: Int) {
            self.maxTokens = maxTokens
            self.maxSeq = maxSeq
            x = .allocate(capacity: maxTokens * c.hidden)
            qkv = .allocate(capacity: maxTokens * 3 * c.hidden)
            ctx = .allocate(capacity: maxTokens * c.hidden)
            tmp = .allocate(capacity: maxTokens * c.hidden)
            inter = .allocate(capacity: maxTokens * c.intermediate)
            scores = .allocate(capacity: maxSeq * maxSeq)
        }
        deinit {
            x.deallocate(); qkv.deallocate(); ctx.deallocate()
            tmp.deallocate(); inter.deallocate(); scores.deallocate()
        }
    }

    /// out[T, N] = a[T, K] · w[N, K]ᵀ + beta · out
    /// (beta 1 accumulates into a pre-filled `out` — a bias or the residual —
    /// and spares OpenBLAS its separate pass that zeroes C for beta 0).
    /// With `parts` > 1 the output columns are split between that many threads,
    /// so that a search query (one short sequence) uses both cores.
    @inline(__always)
    private func linear(_ a: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                        rows: Int, n: Int, k: Int, beta: Float, parts: Int) {
        guard parts > 1 else {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(n), Int32(k),
                        1, a, Int32(k), w, Int32(k), beta, out, Int32(n))
            return
        }
        let chunk = (n / parts + 15) / 16 * 16
        let (a, w, out) = (UncheckedSendable(a), UncheckedSendable(w), UncheckedSendable(out))
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let start = min(part * chunk, n), width = min(chunk, n - start)
            guard width > 0 else { return }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(width), Int32(k),
                        1, a.value, Int32(k), w.value + start * k, Int32(k), beta, out.value + start, Int32(n))
        }
    }

    /// Embeds a packed batch: `sequences[i]` are token ids (with [CLS]/[SEP]);
    /// writes one L2-normalised vector of `hidden` floats per sequence into `out`.
    /// `parts`: threads to split each weight product between (see `linear`).
    func forward(_ sequences: [[Int32]], workspace ws: Workspace, out: UnsafeMutablePointer<Float>, parts: Int = 1) {
        let c = config
        let H = c.hidden, I = c.intermediate, H3 = 3 * H, D = c.headDim
        var offsets: [Int] = []
        offsets.reserveCapacity(sequences.count + 1)
        var T = 0
        for s in sequences { offsets.append(T); T += s.count }
        offsets.append(T)
        precondition(T <= ws.maxTokens)
        var sw = Stopwatch()
        defer { sw.flush() }

        // Embeddings + LayerNorm.
        wordEmbeddings.withUnsafeBufferPointer { we in
            positionPlusType.withUnsafeBufferPointer { pt in
                for (si, s) in sequences.enumerated() {
                    precondition(s.count <= ws.maxSeq && s.count <= c.maxPositions)
                    for (p, id) in s.enumerated() {
                        let row = ws.tmp + (offsets[si] + p) * H
                        let w = we.baseAddress! + Int(id) * H
                        let q = pt.baseAddress! + p * H
                        var j = 0
                        while j < H { store8(load8(w + j) + load8(q + j), row + j); j += 8 }
                    }
                }
            }
        }
        Kernels.addBiasResidualLayerNorm(ws.tmp, bias: nil, residual: nil, out: ws.x, rows: T, n: H,
                                         gamma: embLNg, beta: embLNb, eps: c.eps)
        sw.lap("embeddings")

        let scale = 1 / Float(D).squareRoot()
        for layer in layers {
            // Q, K, V in one product.
            Kernels.fillRows(ws.qkv, rows: T, n: H3, with: layer.bqkv)
            sw.lap("elementwise")
            layer.wqkv.withUnsafeBufferPointer { linear(ws.x, $0.baseAddress!, ws.qkv, rows: T, n: H3, k: H, beta: 1, parts: parts) }
            sw.lap("gemm qkv")

            // Self-attention per sequence and head, straight from the strided QKV rows.
            for si in 0..<sequences.count {
                let o = offsets[si], n = offsets[si + 1] - o
                let base = ws.qkv + o * H3
                for h in 0..<c.heads {
                    let q = base + h * D, k = base + H + h * D, v = base + 2 * H + h * D
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(n), Int32(D),
                                scale, q, Int32(H3), k, Int32(H3), 0, ws.scores, Int32(n))
                    sw.lap("gemm attn")
                    Kernels.softmaxRows(ws.scores, rows: n, n: n, ld: n)
                    sw.lap("softmax")
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(D), Int32(n),
                                1, ws.scores, Int32(n), v, Int32(H3), 0, ws.ctx + o * H + h * D, Int32(H))
                    sw.lap("gemm attn")
                }
            }

            // Output projection, residual, LayerNorm.
            // x += ctx · Woᵀ (the residual is the gemm's C), then LayerNorm(x + bo).
            layer.wo.withUnsafeBufferPointer { linear(ws.ctx, $0.baseAddress!, ws.x, rows: T, n: H, k: H, beta: 1, parts: parts) }
            sw.lap("gemm out")
            Kernels.addBiasResidualLayerNorm(ws.x, bias: layer.bo, residual: nil, out: ws.x, rows: T, n: H,
                                             gamma: layer.ln1g, beta: layer.ln1b, eps: c.eps)
            sw.lap("elementwise")
            // Feed-forward.
            layer.wi.withUnsafeBufferPointer { linear(ws.x, $0.baseAddress!, ws.inter, rows: T, n: I, k: H, beta: 0, parts: parts) }
            sw.lap("gemm ffn")
            Kernels.biasGELU(ws.inter, rows: T, n: I, bias: layer.bi)
            sw.lap("gelu")
            layer.wo2.withUnsafeBufferPointer { linear(ws.inter, $0.baseAddress!, ws.x, rows: T, n: H, k: I, beta: 1, parts: parts) }
            sw.lap("gemm ffn")
            Kernels.addBiasResidualLayerNorm(ws.x, bias: layer.bo2, residual: nil, out: ws.x, rows: T, n: H,
                                             gamma: layer.ln2g, beta: layer.ln2b, eps: c.eps)
            sw.lap("elementwise")
        }

        // Mean pooling over each sequence's tokens, then L2 normalisation.
        for si in 0..<sequences.count {
            let o = offsets[si], n = offsets[si + 1] - o
            let dst = out + si * H
            var j = 0
            while j < H {
                var acc = F8(repeating: 0)
                for r in 0..<n { acc += load8(ws.x + (o + r) * H + j) }
                store8(acc / F8(repeating: Float(max(n, 1))), dst + j)
                j += 8
            }
            var ss: Float = 0
            for j in 0..<H { ss += dst[j] * dst[j] }
            let inv = 1 / max(ss.squareRoot(), 1e-12)
            for j in 0..<H { dst[j] *= inv }
        }
        sw.lap("pooling")
    }
}
