import Foundation
import QuireCore
import Storage
import Testing

/// What every `InterestStore` keeps true: a collection is an interest or
/// not, once; its papers come back oldest saved first; the cap is checked
/// with the write, even for requests at once; deleting the collection (or
/// the reader) ends the interest; readers' interests stay apart.
@Suite(.postgresSchemas) struct InterestStoreContract {
    /// Papers 2410.00001–4, readers ada and bob: the feed signals' world.
    static func setUp(_ implementation: StoreImplementation) async throws -> (store: any QuireStore, ada: User, bob: User) {
        try await FeedSignalStoreContract.setUp(implementation)
    }

    @Test(arguments: StoreImplementation.allCases)
    func collectionsBecomeInterestsWithTheirPapersOldestFirst(_ implementation: StoreImplementation) async throws {
        let (store, ada, bob) = try await Self.setUp(implementation)
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let robots = try await store.createCollection(userID: ada.id, name: "Robots", description: "", isPublic: false, now: t0)
        let art = try await store.createCollection(userID: ada.id, name: "Art", description: "", isPublic: true, now: t0)
        let other = try await store.createCollection(userID: bob.id, name: "Mine", description: "", isPublic: false, now: t0)
        try await store.saveToCollection(id: robots.id, paperID: "2410.00003", note: "", now: t0.addingTimeInterval(5))
        try await store.saveToCollection(id: robots.id, paperID: "2410.00001", note: "", now: t0.addingTimeInterval(9))
        try await store.saveToCollection(id: robots.id, paperID: "2410.00002", note: "", now: t0.addingTimeInterval(1))
        #expect(try await store.collectionInterests(userID: ada.id).isEmpty)

        #expect(try await store.setCollectionInterest(id: robots.id, on: true, now: t0, ifFewerThan: 5) == .saved)
        #expect(try await store.setCollectionInterest(id: robots.id, on: true, now: t0, ifFewerThan: 5) == .saved) // a repeat
        #expect(try await store.setCollectionInterest(id: art.id, on: true, now: t0, ifFewerThan: 5) == .saved)
        #expect(try await store.setCollectionInterest(id: other.id, on: true, now: t0, ifFewerThan: 5) == .saved)
        // By name; each with its papers, oldest saved first.
        #expect(try await store.collectionInterests(userID: ada.id) == [
            CollectionInterest(collectionID: art.id, name: "Art", paperIDs: []),
            CollectionInterest(collectionID: robots.id, name: "Robots", paperIDs: ["2410.00002", "2410.00003", "2410.00001"]),
        ])
        #expect(try await store.collectionInterests(userID: bob.id).map(\.collectionID) == [other.id])
        // A paper removed, or the collection renamed, shows at once.
        try await store.removeFromCollection(id: robots.id, paperID: "2410.00003")
        _ = try await store.updateCollection(id: robots.id, name: "Arms", description: "", isPublic: false)
        #expect(try await store.collectionInterests(userID: ada.id) == [
            CollectionInterest(collectionID: robots.id, name: "Arms", paperIDs: ["2410.00002", "2410.00001"]),
            CollectionInterest(collectionID: art.id, name: "Art", paperIDs: []),
        ])

        #expect(try await store.setCollectionInterest(id: art.id, on: false, now: t0, ifFewerThan: 5) == .saved)
        #expect(try await store.setCollectionInterest(id: art.id, on: false, now: t0, ifFewerThan: 5) == .saved) // a repeat
        #expect(try await store.collectionInterests(userID: ada.id).map(\.collectionID) == [robots.id])
        // Deleting the collection ends its interest; a missing one is not found.
        try await store.deleteCollection(id: robots.id)
        #expect(try await store.collectionInterests(userID: ada.id).isEmpty)
        await #expect(throws: Refusal.self) {
            try await store.setCollectionInterest(id: robots.id, on: true, now: t0, ifFewerThan: 5)
        }
        // Deleting the account ends them all.
        try await store.deleteUser(id: bob.id)
        #expect(try await store.collectionInterests(userID: bob.id).isEmpty)
    }

    @Test(arguments: StoreImplementation.allCases)
    func theCapStopsNewInterestsButNeverTurningOneOff(_ implementation: StoreImplementation) async throws {
        let (store, ada, bob) = try await Self.setUp(implementation)
        var ids: [Int] = []
        for n in 1...6 {
            ids.append(try await store.createCollection(userID: ada.id, name: "C\(n)", description: "", isPublic: false, now: Date()).id)
        }
        let bobs = try await store.createCollection(userID: bob.id, name: "B", description: "", isPublic: false, now: Date())
        #expect(try await store.setCollectionInterest(id: ids[0], on: true, now: Date(), ifFewerThan: 2) == .saved)
        #expect(try await store.setCollectionInterest(id: ids[1], on: true, now: Date(), ifFewerThan: 2) == .saved)
        #expect(try await store.setCollectionInterest(id: ids[2], on: true, now: Date(), ifFewerThan: 2) == .capReached(2))
        // One already on is not a new one; another reader's count is their own.
        #expect(try await store.setCollectionInterest(id: ids[1], on: true, now: Date(), ifFewerThan: 2) == .saved)
        #expect(try await store.setCollectionInterest(id: bobs.id, on: true, now: Date(), ifFewerThan: 2) == .saved)
        #expect(try await store.setCollectionInterest(id: ids[1], on: false, now: Date(), ifFewerThan: 2) == .saved)
        // Four at once with room for one: exactly one gets in.
        let writes = try await withThrowingTaskGroup(of: FeedSignalWrite.self) { group in
            for id in ids[2...5] {
                group.addTask { try await store.setCollectionInterest(id: id, on: true, now: Date(), ifFewerThan: 2) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(writes.filter { $0 == .saved }.count == 1 && writes.filter { $0 == .capReached(2) }.count == 3)
        #expect(try await store.collectionInterests(userID: ada.id).count == 2)
    }
}
