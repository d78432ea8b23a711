import Foundation
import QuireCore
import Storage

/// What the signed-in reader has done to the papers on a page: which they
/// upvoted, saved, and told their feed about ("Not interested ✓",
/// "Read ✓"), each read in one query for the whole page. Empty for
/// anonymous readers.
struct ReaderMarks: Sendable {
    var upvoted: Set<String> = []
    var saved: Set<String> = []
    /// The feed signals on, by paper id.
    var signals: [String: Set<FeedSignalKind>] = [:]

    func has(_ kind: FeedSignalKind, _ paperID: String) -> Bool { signals[paperID]?.contains(kind) ?? false }

    static func load(for papers: [Paper], store: any SignalStore & FeedSignalStore) async throws -> ReaderMarks {
        guard let user = Viewer.current.user, !papers.isEmpty else { return ReaderMarks() }
        let ids = papers.map(\.id)
        var signals: [String: Set<FeedSignalKind>] = [:]
        for signal in try await store.feedSignals(userID: user.id, among: ids) { signals[signal.paperID, default: []].insert(signal.kind) }
        return ReaderMarks(upvoted: try await store.upvotedPaperIDs(userID: user.id, among: ids),
                           saved: try await store.savedPaperIDs(userID: user.id, among: ids), signals: signals)
    }
}
