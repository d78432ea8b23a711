import Foundation
import QuireCore
import Storage

/// What the signed-in reader has done to the papers on a page: which they
/// upvoted and which they saved. Empty for anonymous readers.
struct ReaderMarks: Sendable {
    var upvoted: Set<String> = []
    var saved: Set<String> = []

    static func load(for papers: [Paper], store: any SignalStore) async throws -> ReaderMarks {
        guard let user = Viewer.current.user, !papers.isEmpty else { return ReaderMarks() }
        let ids = papers.map(\.id)
        return ReaderMarks(upvoted: try await store.upvotedPaperIDs(userID: user.id, among: ids),
                           saved: try await store.savedPaperIDs(userID: user.id, among: ids))
    }
}
