import Foundation

/// The text feed from `textChanges`: the actor runs each call alone, so
/// changes are numbered in the order they happen.
extension InMemoryStore: PaperTextFeed {
    public func latestTextChange() async throws -> Int { textChanges.count }

    public func paperTexts(afterSeq: Int, limit: Int) async throws -> [PaperText] {
        papers.values.filter { $0.seq > afterSeq }.sorted { $0.seq < $1.seq }.prefix(max(0, limit)).map(text)
    }

    public func paperTexts(seqs: [Int]) async throws -> [PaperText] {
        let wanted = Set(seqs)
        return papers.values.filter { wanted.contains($0.seq) }.map(text)
    }

    public func paperTextChanges(after change: Int, limit: Int) async throws -> PaperTextChanges {
        let start = min(max(change, 0), textChanges.count), end = min(start + max(limit, 0), textChanges.count)
        let touched = Set(textChanges[start..<end])
        let changed = papers.values.filter { touched.contains($0.seq) }.sorted { $0.seq < $1.seq }.map(text)
        return PaperTextChanges(through: max(change, end), changed: changed, removed: [])
    }

    private func text(_ stored: StoredPaper) -> PaperText {
        PaperText(seq: stored.seq, id: stored.paper.id, title: stored.paper.title, abstract: stored.paper.abstract)
    }
}
