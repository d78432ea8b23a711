import Foundation
import QuireCore

/// Where papers' summaries and keyphrases are kept (`Paper.summary`), one per
/// paper, deleted with the paper or when its title or abstract changes, so
/// they are made again. Papers read from a store carry theirs.
public protocol SummaryStore: Sendable {
    /// Stores summaries by paper id, replacing older ones, in one transaction.
    /// An id no paper has is skipped.
    func saveSummaries(_ summaries: [(id: String, summary: PaperSummary)], model: String) async throws
    /// Papers that have no summary from `model` yet, oldest first.
    func papersWithoutSummary(model: String, limit: Int) async throws -> [Paper]
}
