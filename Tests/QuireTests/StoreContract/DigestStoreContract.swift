import Foundation
import QuireCore
import Storage
import Testing

/// What every `DigestStore` keeps true: settings, follows, saved searches and
/// the exactly-once delivery ledger.
@Suite(.postgresSchemas) struct DigestStoreContract {
    /// The protocols these tests use.
    typealias Store = PaperStore & AccountStore & DigestStore

    static func at(_ text: String) -> Date { Timestamp.parse(text) ?? Date(timeIntervalSince1970: 0) }

    /// A reader's default categories: replaced whole, sorted, gone with the account.
    @Test(arguments: StoreImplementation.allCases)
    func defaultCategoriesAreReplacedWholeAndGoWithTheReader(_ implementation: StoreImplementation) async throws {
        let store = try await implementation.make(as: (any Store).self)
        let ada = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "x", role: .reader, now: Date())
        let bob = try await store.createUser(username: "bob", email: "bob@example.org", passwordHash: "x", role: .reader, now: Date())
        #expect(try await store.defaultCategories(userID: ada.id) == [])
        try await store.setDefaultCategories(["cs.LG", "cs.CL", "cs.LG"], userID: ada.id)
        try await store.setDefaultCategories(["math"], userID: bob.id)
        #expect(try await store.defaultCategories(userID: ada.id) == ["cs.CL", "cs.LG"])
        try await store.setDefaultCategories(["stat.ML"], userID: ada.id)
        #expect(try await store.defaultCategories(userID: ada.id) == ["stat.ML"])
        try await store.deleteUser(id: ada.id)
        #expect(try await store.defaultCategories(userID: ada.id) == [])
        #expect(try await store.defaultCategories(userID: bob.id) == ["math"])
        try await store.setDefaultCategories([], userID: bob.id)
        #expect(try await store.defaultCategories(userID: bob.id) == [])
    }

    @Test(arguments: StoreImplementation.allCases)
    func theLedgerLetsOneSenderClaimEachDigest(_ implementation: StoreImplementation) async throws {
        let store = try await implementation.make(as: (any Store).self)
        let user = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "x", role: .reader, now: Date())
        let now = Self.at("2026-11-23T07:00:00Z")
        // Ten senders at once (as several `quire serve` would): exactly one wins.
        let claims = try await withThrowingTaskGroup(of: DeliveryClaim.self) { group in
            for _ in 0..<10 {
                group.addTask { try await store.claimDelivery(userID: user.id, kind: "digest", slot: "2026-11-23", messageID: "<m>", now: now, staleAfter: 600) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let won = claims.compactMap { if case .claimed(let d) = $0 { d } else { nil } }
        #expect(won.count == 1 && claims.filter { $0 == .inProgress }.count == 9)
        let delivery = try #require(won.first)

        // A sender that died: its claim is taken over once stale, with the same
        // Message-ID, and by one of the senders that find it stale at once.
        let later = now.addingTimeInterval(601)
        let takeovers = try await withThrowingTaskGroup(of: DeliveryClaim.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    try await store.claimDelivery(userID: user.id, kind: "digest", slot: "2026-11-23", messageID: "<other>", now: later, staleAfter: 600)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let retakers = takeovers.compactMap { if case .claimed(let d) = $0 { d } else { nil } }
        #expect(retakers.count == 1 && takeovers.filter { $0 == .inProgress }.count == 9)
        let retaken = try #require(retakers.first)
        #expect(retaken.id == delivery.id && retaken.messageID == "<m>" && retaken.attempts == 2)

        try await store.recordDeliveryContent(id: delivery.id, paperIDs: ["2410.1", "2410.2"])
        #expect(try await store.mailedPaperIDs(userID: user.id, kind: "digest", since: now, excludingDelivery: delivery.id).isEmpty)
        try await store.finishDelivery(id: delivery.id, status: .sent, paperIDs: ["2410.1", "2410.2"], error: nil, now: later)
        guard case .finished(let done) = try await store.claimDelivery(userID: user.id, kind: "digest", slot: "2026-11-23",
                                                                       messageID: "<m>", now: later.addingTimeInterval(9_999), staleAfter: 0) else {
            Issue.record("a sent digest is never claimed again"); return
        }
        #expect(done.status == .sent)
        #expect(try await store.mailedPaperIDs(userID: user.id, kind: "digest", since: now, excludingDelivery: nil) == ["2410.1", "2410.2"])
        #expect(try await store.lastDelivery(userID: user.id, kind: "digest")?.slot == "2026-11-23")
    }

    @Test(arguments: StoreImplementation.allCases)
    func failuresAreRecordedAndDeliveriesListed(_ implementation: StoreImplementation) async throws {
        let store = try await implementation.make(as: (any Store).self)
        let user = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "x", role: .reader, now: Date())
        let now = Self.at("2026-11-23T07:00:00Z")
        for slot in ["2026-11-23", "2026-11-24"] {
            guard case .claimed(let d) = try await store.claimDelivery(userID: user.id, kind: "digest", slot: slot, messageID: "<\(slot)>", now: now, staleAfter: 600) else {
                Issue.record("a new slot is claimed"); return
            }
            try await store.recordDeliveryError(id: d.id, error: "try later")
        }
        let listed = try await store.deliveries(userID: user.id)
        #expect(listed.map(\.slot) == ["2026-11-23", "2026-11-24"] && listed.allSatisfy { $0.status == .sending && $0.lastError == "try later" })
        try await store.finishDelivery(id: listed[1].id, status: .failed, paperIDs: [], error: "550 no such mailbox", now: now)
        #expect(try await store.lastDelivery(userID: user.id, kind: "digest") == nil) // nothing was sent
        #expect(try await store.deliveries(userID: user.id).last?.status == .failed)
    }

    @Test(arguments: StoreImplementation.allCases)
    func subscriptionsFollowsAndSavedSearches(_ implementation: StoreImplementation) async throws {
        let store = try await implementation.make(as: (any Store).self)
        let ada = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "x", role: .reader, now: Date())
        let bob = try await store.createUser(username: "bob", email: "bob@example.org", passwordHash: "x", role: .reader, now: Date())
        let made = Self.at("2026-11-01T00:00:00Z")
        try await store.saveSubscription(Subscription(frequency: .weekly, weekday: 3, hour: 9, timeZone: "Europe/Paris", createdAt: made), userID: ada.id)
        try await store.saveSubscription(Subscription(frequency: .off, createdAt: made), userID: bob.id)
        try await store.saveSubscription(Subscription(frequency: .daily, hour: 6, createdAt: made.addingTimeInterval(86_400)), userID: ada.id)
        let saved = try #require(try await store.subscription(userID: ada.id))
        #expect(saved.frequency == .daily && saved.hour == 6 && saved.createdAt == made.addingTimeInterval(86_400)) // as given
        #expect(saved.includeForYou) // on unless turned off
        #expect(try await store.activeSubscriptions().map(\.user.username) == ["ada"])
        var noPicks = saved
        noPicks.includeForYou = false
        try await store.saveSubscription(noPicks, userID: ada.id)
        #expect(try await store.subscription(userID: ada.id) == noPicks)
        #expect(try await store.activeSubscriptions().first?.subscription.includeForYou == false)
        try await store.saveSubscription(saved, userID: ada.id)

        try await store.setFollow(Follow(kind: .organization, slug: "deep-lab"), userID: ada.id, on: true, now: Date())
        try await store.setFollow(Follow(kind: .author, slug: "alan-turing"), userID: ada.id, on: true, now: Date())
        try await store.setFollow(Follow(kind: .author, slug: "alan-turing"), userID: ada.id, on: true, now: Date())
        #expect(try await store.follows(userID: ada.id) == [Follow(kind: .author, slug: "alan-turing"), Follow(kind: .organization, slug: "deep-lab")])
        try await store.setFollow(Follow(kind: .organization, slug: "deep-lab"), userID: ada.id, on: false, now: Date())
        #expect(try await store.follows(userID: ada.id) == [Follow(kind: .author, slug: "alan-turing")])

        guard case .saved(let first) = try await store.saveSearch(query: "sparse attention", categories: [], userID: ada.id, now: Date(), ifFewerThan: 5) else {
            Issue.record("the first search is saved"); return
        }
        #expect(try await store.saveSearch(query: "sparse attention", categories: [], userID: ada.id, now: Date(), ifFewerThan: 1) == .saved(first)) // a repeat, even at the cap
        try await store.setSearchAlert(id: first.id, userID: ada.id, alert: true)
        await #expect(throws: Refusal.notFound("you have no saved search \(first.id)")) {
            try await store.setSearchAlert(id: first.id, userID: bob.id, alert: false)
        }
        #expect(try await store.savedSearches(userID: ada.id).map(\.alert) == [true])
        // The same words in categories are another search, kept with its categories.
        guard case .saved(let narrowed) = try await store.saveSearch(query: "sparse attention", categories: ["cs", "stat.ML"], userID: ada.id,
                                                                    now: Date(), ifFewerThan: 5) else {
            Issue.record("the narrowed search is saved"); return
        }
        #expect(narrowed.id != first.id && narrowed.categories == ["cs", "stat.ML"])
        #expect(try await store.saveSearch(query: "sparse attention", categories: ["cs", "stat.ML"], userID: ada.id, now: Date(), ifFewerThan: 1)
                == .saved(narrowed))
        #expect(try await store.savedSearches(userID: ada.id).map(\.categories) == [[], ["cs", "stat.ML"]])
        try await store.deleteSearch(id: narrowed.id, userID: ada.id)
        for i in 1..<SavedSearch.maxPerReader { _ = try await store.saveSearch(query: "q\(i)", categories: [], userID: ada.id, now: Date(), ifFewerThan: SavedSearch.maxPerReader) }
        #expect(try await store.saveSearch(query: "one too many", categories: [], userID: ada.id, now: Date(), ifFewerThan: SavedSearch.maxPerReader)
                == .capReached(SavedSearch.maxPerReader))
        await #expect(throws: Refusal.self) { try await store.deleteSearch(id: first.id, userID: bob.id) }
        try await store.deleteSearch(id: first.id, userID: ada.id)
        #expect(try await store.savedSearches(userID: ada.id).count == SavedSearch.maxPerReader - 1)

        let secret = try await store.secret(named: "unsubscribe")
        #expect(try await store.secret(named: "unsubscribe") == secret && !secret.isEmpty)
    }

    @Test(arguments: StoreImplementation.allCases)
    func followedPapersComeFromFollowedAuthorsAndOrganizations(_ implementation: StoreImplementation) async throws {
        let store = try await implementation.make(as: (any Store).self)
        let day = Day(year: 2024, month: 10, day: 25) ?? Day(date: Date())
        _ = try await store.upsert([
            Paper(id: "2410.00001", title: "By Ada", abstract: "x", authors: ["Ada Lovelace"], upvotes: 1, dailyDate: day),
            Paper(id: "2410.00002", title: "From the lab", abstract: "x", organization: "Deep Lab", upvotes: 5, dailyDate: day),
            Paper(id: "2410.00003", title: "Neither", abstract: "x", authors: ["Bob"], dailyDate: day),
            Paper(id: "2410.00004", title: "By Ada, later", abstract: "x", authors: ["Ada Lovelace"], dailyDate: day.adding(days: 3)),
        ])
        let reader = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "x", role: .reader, now: Date())
        try await store.setFollow(Follow(kind: .author, slug: Slug.stable("Ada Lovelace")), userID: reader.id, on: true, now: Date())
        try await store.setFollow(Follow(kind: .organization, slug: Slug.stable("Deep Lab")), userID: reader.id, on: true, now: Date())
        let papers = try await store.papersFollowed(by: reader.id, from: day, to: day.adding(days: 1), limit: 10)
        #expect(papers.map(\.id) == ["2410.00002", "2410.00001"])
    }
}
