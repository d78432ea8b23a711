import ArgumentParser
import Foundation
import Search

struct EmbedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Give every paper without one its vector, then its summary and keyphrases. Resumes where an interrupted run stopped.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var model: ModelOptions
    @Option(help: "Papers embedded and stored per batch.") var batchSize = 256
    @Flag(inversion: .prefixedNo, help: "Also give every paper without one its summary and keyphrases.") var summaries = true

    func run() async throws {
        try await store.withStore { papers in
            let semantic = SemanticIndex(embedder: try model.loadEmbedder(), store: papers)
            let total = try await papers.stats().papers
            let start = Date()
            let done = try await semantic.embedMissing(batchSize: batchSize) { done in
                let rate = Double(done) / max(Date().timeIntervalSince(start), 0.001)
                FileHandle.standardError.write("\rembedded \(done) papers (\(Int(rate))/s) of at most \(total)".data(using: .utf8)!)
            }
            if done > 0 { FileHandle.standardError.write("\n".data(using: .utf8)!) }
            print("embedded \(done) papers in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
            guard summaries else { return }
            let summaryStart = Date()
            // Each paper's own vector is where its summary starts: the stored ones save running the model again.
            try await semantic.refresh()
            let summarized = try await PaperSummaries(semantic: semantic, store: papers).summarizeMissing { done in
                FileHandle.standardError.write(Data("\rsummarised \(done) papers".utf8))
            }
            if summarized > 0 { FileHandle.standardError.write(Data("\n".utf8)) }
            print("summarised \(summarized) papers in \(String(format: "%.1f", Date().timeIntervalSince(summaryStart))) s")
        }
    }
}
