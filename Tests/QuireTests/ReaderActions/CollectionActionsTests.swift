import Foundation
import QuireCore
import ReaderActions
import Storage
import Testing

/// The rules of collections, against the in-memory store.
@Suite struct CollectionActionsTests {
    static func setUp() async throws -> (CollectionActions, InMemoryStore, User, User) {
        let store = InMemoryStore()
        let ada = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "x", role: .reader, now: Date())
        let bob = try await store.createUser(username: "bob", email: "bob@example.org", passwordHash: "x", role: .reader, now: Date())
        return (CollectionActions(store: store), store, ada, bob)
    }

    @Test func namesAndNotesHaveTheirLimits() throws {
        #expect(try CollectionActions.name("  Reading list \n") == "Reading list")
        #expect(throws: Refusal.invalid("a collection needs a name of 1 to 80 characters")) { try CollectionActions.name(" \t") }
        #expect(throws: Refusal.invalid("a collection needs a name of 1 to 80 characters")) { try CollectionActions.name(nil) }
        #expect(throws: Refusal.self) { try CollectionActions.name(String(repeating: "n", count: 81)) }
        #expect(try CollectionActions.text(nil, field: "note") == nil)
        #expect(try CollectionActions.text(String(repeating: "é", count: 500), field: "note")?.count == 500)
        #expect(throws: Refusal.invalid("the note can be at most 500 characters; this one has 501")) {
            try CollectionActions.text(String(repeating: "é", count: 501), field: "note")
        }
    }

    @Test func privateCollectionsAreSeenOnlyByTheirOwner() async throws {
        let (collections, _, ada, bob) = try await Self.setUp()
        let secret = try await collections.create(name: "Secret", description: nil, isPublic: false, by: ada)
        let open = try await collections.create(name: "Open", description: "for all", isPublic: true, by: ada)
        #expect(try await collections.visible(secret.id, to: ada).name == "Secret")
        for viewer in [bob, nil] {
            await #expect(throws: Refusal.notFound("there is no collection \(secret.id), or it is private")) {
                try await collections.visible(secret.id, to: viewer)
            }
            #expect(try await collections.visible(open.id, to: viewer).description == "for all")
        }
        await #expect(throws: Refusal.notFound("you have no collection \(open.id)")) { try await collections.owned(open.id, by: bob) }
    }

    @Test func saveFindsOrMakesTheNamedCollection() async throws {
        let (collections, store, ada, _) = try await Self.setUp()
        let saved = try await collections.named(CollectionActions.defaultName, for: ada)
        #expect(saved.name == "Saved" && !saved.isPublic)
        #expect(try await collections.named(" Saved ", for: ada).id == saved.id)
        #expect(try await store.collections(userID: ada.id).count == 1)
    }

    @Test func anUpdateKeepsWhatItDoesNotName() async throws {
        let (collections, _, ada, _) = try await Self.setUp()
        let made = try await collections.create(name: "List", description: "d", isPublic: false, by: ada)
        let renamed = try await collections.update(try await collections.owned(made.id, by: ada), name: "Queue", description: nil, isPublic: nil)
        #expect(renamed.name == "Queue" && renamed.description == "d" && !renamed.isPublic)
        await #expect(throws: Refusal.self) {
            try await collections.update(renamed, name: "", description: nil, isPublic: true)
        }
    }

    @Test func onlyTheOwnerChangesACollectionEvenAPublicOne() async throws {
        let (collections, store, ada, bob) = try await Self.setUp()
        _ = try await store.upsert([Paper(id: "2410.00001", title: "A paper", abstract: "x")])
        let open = try await collections.create(name: "Open", description: nil, isPublic: true, by: ada)
        let refusal = Refusal.notFound("you have no collection \(open.id)")
        await #expect(throws: refusal) { try await collections.save("2410.00001", to: open.id, note: "", by: bob) }
        await #expect(throws: refusal) { try await collections.remove("2410.00001", from: open.id, by: bob) }
        await #expect(throws: refusal) { try await collections.delete(open.id, by: bob) }
        await #expect(throws: Refusal.notFound("you have no collection 999")) { try await collections.save("2410.00001", to: 999, note: "", by: ada) }
        try await collections.save("2410.00001", to: open.id, note: "mine", by: ada)
        #expect(try await store.collectionEntries(id: open.id).map(\.note) == ["mine"])
        try await collections.remove("2410.00001", from: open.id, by: ada)
        try await collections.delete(open.id, by: ada)
        #expect(try await store.collection(id: open.id) == nil)
    }
}
