import Foundation
import QuireCore
import Storage

/// Making a collection an interest of its own, and back: only its owner
/// may, and a reader has at most `maxCollections` such interests (each one
/// is a model trained and a ranking of every paper when the feed is built).
public struct InterestActions: Sendable {
    public static let maxCollections = 10

    let store: any InterestStore & SignalStore
    let now: @Sendable () -> Date

    public init(store: any InterestStore & SignalStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store; self.now = now
    }

    /// The reader's collection `id` becomes an interest (`on`) or stops being one.
    /// Someone else's collection is `.notFound`, as a missing one.
    public func set(_ id: Int, on: Bool, by user: User) async throws {
        guard let collection = try await store.collection(id: id), collection.owner == user.username else {
            throw Refusal.notFound("you have no collection \(id)")
        }
        if case .capReached(let kept) = try await store.setCollectionInterest(id: id, on: on, now: now(), ifFewerThan: Self.maxCollections) {
            throw Refusal.ruleBroken("you have \(kept) collections as interests, the most a reader can have: turn one off first")
        }
    }

    /// Each of the reader's collections (by name), and whether it is an interest.
    public func collections(of user: User) async throws -> [(collection: PaperCollection, isInterest: Bool)] {
        let interests = try await collectionIDs(of: user)
        return try await store.collections(userID: user.id).map { ($0, interests.contains($0.id)) }
    }

    /// The ids of the reader's collections that are interests.
    public func collectionIDs(of user: User) async throws -> Set<Int> {
        Set(try await store.collectionInterests(userID: user.id).map(\.collectionID))
    }
}
