import Foundation

/// One of a reader's collections made an interest of its own: the feed
/// trains a model on its papers alone (as arxiv-sanity does per tag).
public struct CollectionInterest: Sendable, Equatable {
    public var collectionID: Int
    public var name: String
    /// The collection's papers, oldest saved first.
    public var paperIDs: [String]
    public init(collectionID: Int, name: String, paperIDs: [String]) {
        self.collectionID = collectionID; self.name = name; self.paperIDs = paperIDs
    }
}

/// Which of a reader's collections are interests. The rules (whose
/// collection, how many) are `InterestActions`'; the store persists, checking
/// the cap in the same transaction as the write. Deleting a collection ends
/// its interest.
public protocol InterestStore: Sendable {
    /// Makes collection `id` an interest (`on`) or not. Making one is refused
    /// (`.capReached`) once its owner has `cap` interests or more; one already
    /// on, or turning off, always goes through. `.notFound` for a missing collection.
    func setCollectionInterest(id: Int, on: Bool, now: Date, ifFewerThan cap: Int) async throws -> FeedSignalWrite
    /// The reader's collections that are interests, by name.
    func collectionInterests(userID: Int) async throws -> [CollectionInterest]
}
