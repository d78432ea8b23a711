import Digest
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import QuireCore
import ReaderActions
import Search
@testable import Storage
import Testing
@testable import Web

/// A search saved with `category=` keeps its categories: the digest's alert
/// and the saved list use them, the same words elsewhere are another search,
/// and searches saved before categories were kept still work.
@Suite struct SavedSearchCategoryTests {
    static let day = Day(year: 2024, month: 10, day: 25) ?? Day(date: Date())
    static func at(_ text: String) -> Date { Timestamp.parse(text) ?? Date(timeIntervalSince1970: 0) }

    static func store() async throws -> SQLiteStore {
        let store = try TestSupport.temporaryStore()
        _ = try await store.upsert([
            Paper(id: "2410.00001", title: "Graphene transistors at scale", abstract: "Graphene devices.", categories: ["cond-mat.mes-hall"], dailyDate: day),
            Paper(id: "2410.00002", title: "Learning graphene band structures", abstract: "Graphene meets neural networks.", categories: ["cs.LG", "cond-mat.mtrl-sci"],
                  dailyDate: day),
            Paper(id: "2410.00003", title: "Graphene and language models", abstract: "Graphene text.", categories: ["cs.CL"], dailyDate: day),
        ])
        return store
    }

    @Test func theDigestAlertNarrowsToTheSavedCategories() async throws {
        let store = try await Self.store()
        let ada = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "x", role: .reader, now: Self.at("2024-10-01T00:00:00Z"))
        let digests = DigestActions(store: store)
        let everywhere = try await digests.saveSearch("graphene", by: ada)
        let inCS = try await digests.saveSearch("graphene", categories: try CategorySelection(parsing: ["cs"]), by: ada)
        let inCL = try await digests.saveSearch("graphene", categories: try CategorySelection(parsing: ["cs.CL", "cs.cl"]), by: ada)
        #expect(Set([everywhere.id, inCS.id, inCL.id]).count == 3)
        #expect(inCS.categories == ["cs"] && inCL.categories == ["cs.CL"] && everywhere.categories.isEmpty)
        for search in [everywhere, inCS, inCL] { try await digests.setSearchAlert(search.id, on: search.id != everywhere.id, by: ada) }

        let subscription = Subscription(frequency: .daily, hour: 7, timeZone: "UTC", includeTop: false, includeFollowed: false, createdAt: Self.at("2024-10-01T00:00:00Z"))
        let slot = try #require(DigestSchedule.latestSlot(for: subscription, now: Self.at("2024-10-25T08:00:00Z")))
        let content = try await DigestBuilder(store: store, search: SearchService(store: store))
            .build(user: ada, subscription: subscription, slot: slot, excluding: [], lastSent: nil)
        let sections = content.sections.map { "\($0.title): \($0.papers.map(\.id).sorted().joined(separator: " "))" }
        // A paper goes once per digest: cs.CL's one went with "cs" already.
        #expect(sections == ["New for your search “graphene” in cs: 2410.00002 2410.00003"])
    }

    @Test func theSearchPageSavesItsCategoriesAndTheListShowsThem() async throws {
        let store = try await Self.store()
        let ada = try await PageCacheTests.signIn(store, "ada")
        try await PageCacheTests.run(store) { _, client in
            let page = try await PageCacheTests.get(client, "/search?q=graphene&category=cs.LG&category=cs.CL", as: ada)
            #expect(page.contains("<input type=\"hidden\" name=\"categories\" value=\"cs.CL cs.LG\">"))
            var headers = ada.headers
            headers[.contentType] = "application/x-www-form-urlencoded"
            let location = try await client.execute(uri: "/searches", method: .post, headers: headers,
                                                    body: ByteBuffer(string: "q=graphene&categories=cs.CL+cs.LG&csrf=\(ada.csrf)")) {
                #expect($0.status == .seeOther)
                return $0.headers[.location]
            }
            #expect(location == "/search?q=graphene&category=cs.CL&category=cs.LG&saved=1")
            #expect(try await store.savedSearches(userID: ada.user.id).map(\.categories) == [["cs.CL", "cs.LG"]])
            let list = try await PageCacheTests.get(client, "/account/digest", as: ada)
            #expect(list.contains("<a href=\"/search?q=graphene&amp;category=cs.CL&amp;category=cs.LG\">graphene</a> in "))
            #expect(list.contains("href=\"/feeds/search/atom?q=graphene&amp;category=cs.CL&amp;category=cs.LG\""))
            // An unknown category is refused with the valid form, and nothing is saved.
            try await client.execute(uri: "/searches", method: .post, headers: headers,
                                     body: ByteBuffer(string: "q=graphene&categories=cs.XX&csrf=\(ada.csrf)")) {
                #expect($0.status == .badRequest && WebTests.text($0).contains("is not an arXiv category"))
            }
            #expect(try await store.savedSearches(userID: ada.user.id).count == 1)
        }
    }

    /// A database from before migration 51 keeps its saved searches, now in every category.
    @Test func searchesSavedBeforeCategoriesKeepWorking() async throws {
        let path = try TestSupport.temporaryDirectory().appendingPathComponent("old.sqlite").path
        do {
            let db = try SQLiteConnection(path: path)
            try db.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
            for migration in SQLiteMigrations.all where migration.version < 51 {
                try db.execute(migration.sql)
                try db.run("INSERT INTO schema_migrations (version, applied_at) VALUES (?, datetime('now'))", [migration.version])
            }
            try db.run("INSERT INTO users (id, username, email, password_hash, created_at) VALUES (1, 'ada', 'ada@example.org', 'x', '2024-10-01T00:00:00Z')")
            try db.run("INSERT INTO saved_searches (id, user_id, query, alert, created_at) VALUES (7, 1, 'graphene', 1, '2024-10-02T00:00:00Z')")
        }
        let store = try SQLiteStore(path: path)
        #expect(try await store.savedSearches(userID: 1) == [SavedSearch(id: 7, query: "graphene", categories: [], alert: true, createdAt: Self.at("2024-10-02T00:00:00Z"))])
        guard case .saved(let narrowed) = try await store.saveSearch(query: "graphene", categories: ["cs"], userID: 1, now: Date(), ifFewerThan: 10) else {
            Issue.record("saved"); return
        }
        #expect(narrowed.id != 7)
    }
}
