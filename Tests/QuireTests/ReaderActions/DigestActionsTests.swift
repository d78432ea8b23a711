import Foundation
import QuireCore
import ReaderActions
import Storage
import Testing

/// The rules of digest settings and follows, against the in-memory store.
@Suite struct DigestActionsTests {
    static let start = Date(timeIntervalSince1970: 1_790_000_000)

    final class Clock: @unchecked Sendable { // read and moved only by one test at a time
        var now = DigestActionsTests.start
    }

    static func setUp() async throws -> (DigestActions, InMemoryStore, User, Clock) {
        let store = InMemoryStore()
        _ = try await store.upsert([Paper(id: "2410.00001", title: "A paper", abstract: "x", authors: ["Ada Lovelace"], organization: "Deep Lab")])
        let ada = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "x", role: .reader, now: start)
        let clock = Clock()
        return (DigestActions(store: store, now: { clock.now }), store, ada, clock)
    }

    @Test(arguments: [
        (Subscription(weekday: 0), "Choose a weekday and an hour from the lists."),
        (Subscription(hour: 24), "Choose a weekday and an hour from the lists."),
        (Subscription(timeZone: "Mars/Olympus"), "'Mars/Olympus' is not a time zone: write one like Europe/Paris, America/New_York or UTC."),
        (Subscription(maxPapers: 51), "Papers per section must be a number from 1 to 50."),
        (Subscription(timeZone: ""), "'' is not a time zone: write one like Europe/Paris, America/New_York or UTC."),
    ])
    func settingsOutOfRangeAreRefused(_ settings: Subscription, _ message: String) async throws {
        let (digests, store, ada, _) = try await Self.setUp()
        await #expect(throws: Refusal.invalid(message)) { try await digests.subscribe(settings, by: ada) }
        #expect(try await store.subscription(userID: ada.id) == nil)
    }

    /// Time zones as readers type them are kept under their real name.
    @Test(arguments: [("utc", "UTC"), (" GMT ", "UTC"), ("europe/paris", "Europe/Paris"), ("America/New York", "America/New_York"),
                      ("tokyo", "Asia/Tokyo"), ("Europe/Paris", "Europe/Paris")])
    func timeZonesAreReadAsReadersTypeThem(_ typed: String, _ kept: String) async throws {
        let (digests, store, ada, _) = try await Self.setUp()
        try await digests.subscribe(Subscription(frequency: .daily, timeZone: typed), by: ada)
        #expect(try await store.subscription(userID: ada.id)?.timeZone == kept)
        #expect(TimeZone(identifier: kept) != nil)
    }

    @Test func aDigestTurnedOnCountsFromThenAndOffByALink() async throws {
        let (digests, store, ada, clock) = try await Self.setUp()
        try await digests.subscribe(Subscription(frequency: .daily, timeZone: "Europe/Paris"), by: ada)
        #expect(try await store.subscription(userID: ada.id)?.createdAt == Self.start)
        clock.now = Self.start.addingTimeInterval(86_400)
        try await digests.subscribe(Subscription(frequency: .weekly, weekday: 3), by: ada) // still on: keeps its start
        #expect(try await store.subscription(userID: ada.id)?.createdAt == Self.start)
        try await digests.unsubscribe(ada)
        #expect(try await store.subscription(userID: ada.id)?.frequency == .off)
        clock.now = Self.start.addingTimeInterval(2 * 86_400)
        try await digests.subscribe(Subscription(frequency: .daily), by: ada) // on again: no backfill
        #expect(try await store.subscription(userID: ada.id)?.createdAt == clock.now)
    }

    @Test func onlyKnownAuthorsAndOrganizationsAreFollowed() async throws {
        let (digests, store, ada, _) = try await Self.setUp()
        try await digests.follow(Follow(kind: .author, slug: Slug.stable("Ada Lovelace")), on: true, by: ada)
        try await digests.follow(Follow(kind: .organization, slug: Slug.stable("Deep Lab")), on: true, by: ada)
        await #expect(throws: Refusal.notFound("Quire knows no author 'nobody'")) {
            try await digests.follow(Follow(kind: .author, slug: "nobody"), on: true, by: ada)
        }
        #expect(try await store.follows(userID: ada.id).count == 2)
        // Listed by name, alphabetically, not by slug.
        #expect(try await digests.namedFollows(of: ada).map(\.name) == ["Ada Lovelace", "Deep Lab"])
    }

    @Test(arguments: ["", "   ", String(repeating: "x ", count: 600)])
    func onlyASearchCanBeSaved(_ text: String) async throws {
        let store = InMemoryStore()
        let ada = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "x", role: .reader, now: Date())
        await #expect(throws: Refusal.invalid("there is no search to save in '\(text.prefix(60))'")) {
            try await DigestActions(store: store).saveSearch(text, by: ada)
        }
        #expect(try await store.savedSearches(userID: ada.id).isEmpty)
    }

    @Test func aReaderKeepsAndChangesOnlyTheirOwnSearches() async throws {
        let store = InMemoryStore()
        let ada = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "x", role: .reader, now: Date())
        let bob = try await store.createUser(username: "bob", email: "bob@example.org", passwordHash: "x", role: .reader, now: Date())
        let digests = DigestActions(store: store)
        let saved = try await digests.saveSearch("sparse attention", by: ada)
        #expect(try await digests.saveSearch("sparse attention", by: ada).id == saved.id)
        await #expect(throws: Refusal.self) { try await digests.setSearchAlert(saved.id, on: true, by: bob) }
        try await digests.setSearchAlert(saved.id, on: true, by: ada)
        #expect(try await store.savedSearches(userID: ada.id).map(\.alert) == [true])
        await #expect(throws: Refusal.self) { try await digests.deleteSearch(saved.id, by: bob) }
        try await digests.deleteSearch(saved.id, by: ada)
        #expect(try await store.savedSearches(userID: ada.id).isEmpty)
    }
}
