import Foundation
import Storage

/// What a reader tells their "For you" feed about a paper: "Not
/// interested", "More like this", "Mark as read", each on or off. Pages and
/// the API both come here.
public struct FeedSignalActions: Sendable {
    /// Far more than anyone clicks by hand; it bounds what one account can
    /// make every retraining of its model read.
    public static let maxSignalsPerReader = 20_000

    let store: any FeedSignalStore
    let now: @Sendable () -> Date

    public init(store: any FeedSignalStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store; self.now = now
    }

    /// Opening pages is recorded only while the reader keeps fewer signals
    /// than this, so that browsing never uses up the room that the signals
    /// they give on purpose need.
    public static let maxSignalsWithOpenings = maxSignalsPerReader / 2

    /// The opinions exclude each other: saying one takes the others back
    /// ("not interested" in one's own paper unclaims it). Reading or opening
    /// a paper says nothing about liking it, and leaving one out of the
    /// reasons keeps the upvote or save it came from, so those stand alone.
    static func contrary(of kind: FeedSignalKind) -> [FeedSignalKind] {
        switch kind {
        case .notInterested: [.moreLikeThis, .mine]
        case .moreLikeThis, .mine: [.notInterested]
        case .read, .excluded, .opened: []
        }
    }

    /// Sets (`on`) or clears the reader's signal on a paper Quire holds
    /// (`.notFound` otherwise). Repeating is harmless; past the cap, a new
    /// signal is refused (`.ruleBroken`) while taking one back still works.
    public func set(_ kind: FeedSignalKind, on: Bool, paperID: String, by user: User) async throws {
        switch try await store.setFeedSignal(userID: user.id, paperID: paperID, kind: kind, on: on, clearing: Self.contrary(of: kind),
                                             now: now(), ifFewerThan: Self.maxSignalsPerReader) {
        case .saved: return
        case .capReached(let kept):
            throw Refusal.ruleBroken("you keep \(kept) feed signals, the most a reader may: take some back (on /account) first")
        }
    }

    /// Notes that the reader opened a paper's page: a weak positive for their
    /// feed, once per paper (a repeat writes nothing). Past
    /// `maxSignalsWithOpenings` it is quietly not noted: nobody asked for it.
    public func noteOpened(paperID: String, by user: User) async throws {
        _ = try await store.setFeedSignal(userID: user.id, paperID: paperID, kind: .opened, on: true, clearing: [],
                                          now: now(), ifFewerThan: Self.maxSignalsWithOpenings)
    }

    /// The reader's signals on one paper.
    public func kinds(on paperID: String, by user: User) async throws -> Set<FeedSignalKind> {
        Set(try await store.feedSignals(userID: user.id, among: [paperID]).map(\.kind))
    }

    /// The reader's signals, newest first (the reading history is the `.read` ones).
    public func signals(of user: User) async throws -> [FeedSignal] {
        try await store.feedSignals(userID: user.id)
    }
}
