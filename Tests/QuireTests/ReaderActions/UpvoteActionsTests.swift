import Foundation
import QuireCore
import ReaderActions
import Storage
import Testing

/// Upvotes through the module, against the in-memory store.
@Suite struct UpvoteActionsTests {
    @Test func anUpvoteCountsOnceAndComesOff() async throws {
        let store = InMemoryStore()
        _ = try await store.upsert([Paper(id: "2410.00001", title: "A paper", abstract: "x", upvotes: 3)])
        let ada = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "x", role: .reader, now: Date())
        let upvotes = UpvoteActions(store: store)
        #expect(try await upvotes.set("2410.00001", on: true, by: ada) == 4)
        #expect(try await upvotes.set("2410.00001", on: true, by: ada) == 4) // a second click changes nothing
        #expect(try await store.upvotedPaperIDs(userID: ada.id, among: ["2410.00001"]) == ["2410.00001"])
        #expect(try await upvotes.set("2410.00001", on: false, by: ada) == 3)
        await #expect(throws: Refusal.self) { try await upvotes.set("2410.99999", on: true, by: ada) }
    }
}
