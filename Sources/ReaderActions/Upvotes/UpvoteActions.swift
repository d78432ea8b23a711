import Foundation
import Storage

/// Readers' upvotes: one per reader and paper, on or off. Pages and the API
/// both come here. Repeating a click, or two clicks at once, must leave the
/// count exact: the store's write decides that, by adding or removing the
/// reader's one row.
public struct UpvoteActions: Sendable {
    let store: any SignalStore
    let now: @Sendable () -> Date

    public init(store: any SignalStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store; self.now = now
    }

    /// Sets (`on`) or clears the reader's upvote of a paper Quire holds
    /// (`.notFound` otherwise); returns the paper's count as readers see it.
    @discardableResult
    public func set(_ paperID: String, on: Bool, by user: User) async throws -> Int {
        try await store.setUpvote(userID: user.id, paperID: paperID, on: on, now: now())
    }
}
