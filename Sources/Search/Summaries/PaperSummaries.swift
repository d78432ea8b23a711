import Foundation
import QuireCore
import Storage

/// Gives every paper its summary and keyphrases (`PaperSummarizer`), where
/// embedding happens: `quire embed` and the embedding worker of `quire
/// serve`, right after the papers' vectors are made, so the paper's vector
/// comes from the semantic index instead of the model.
public final class PaperSummaries: Sendable {
    /// Stored with each summary: a change to how summaries are made gets a
    /// new name here, and every paper is summarised again.
    public static let modelName = SemanticIndex.modelName + "+mmr-1"

    let semantic: SemanticIndex
    let store: any SummaryStore
    let summarizer: PaperSummarizer

    public init(semantic: SemanticIndex, store: any SummaryStore) {
        self.semantic = semantic
        self.store = store
        let embedder = semantic.embedder
        self.summarizer = PaperSummarizer(embed: { embedder.embed($0) })
    }

    /// Summarises every paper that has no summary yet, in batches, storing
    /// each before the next: an interrupted run resumes where it stopped.
    @discardableResult
    public func summarizeMissing(batchSize: Int = 64, progress: ((Int) -> Void)? = nil) async throws -> Int {
        var done = 0
        while !Task.isCancelled {
            let papers = try await store.papersWithoutSummary(model: Self.modelName, limit: batchSize)
            if papers.isEmpty { break }
            let inputs = papers.map { PaperSummarizer.Input(title: $0.title, abstract: $0.abstract, vector: semantic.index.vector(for: $0.id)) }
            let summaries = try await ModelThreads.pool.runIfActive { self.summarizer.summarize(inputs) }
            try await store.saveSummaries(zip(papers, summaries).map { ($0.id, $1) }, model: Self.modelName)
            done += papers.count
            progress?(done)
        }
        return done
    }
}
