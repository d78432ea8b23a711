import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import QuireCore
import Storage
import Testing
@testable import Web

/// The page cache (`PageCache`) against the real router and a real SQLite
/// file: what is kept, what a write drops, and that no reader ever gets
/// another's page.
@Suite struct PageCacheTests {
    static let now = WebTests.now
    static let day = "/api/daily_papers?date=2024-10-25"

    struct Reader {
        let user: User
        let cookie: String
        let csrf: String
        var headers: HTTPFields { [.cookie: "quire_session=\(cookie)"] }
    }

    /// A reader signed in through a browser session.
    static func signIn(_ store: SQLiteStore, _ name: String) async throws -> Reader {
        let user = try await store.createUser(username: name, email: "\(name)@example.org", passwordHash: "x", role: .reader, now: now)
        let cookie = "session-of-\(name)-" + String(repeating: "s", count: 32)
        let csrf = "csrf-of-\(name)-" + String(repeating: "c", count: 32)
        try await store.createSession(tokenHash: Secrets.sha256(cookie), userID: user.id, csrfToken: csrf,
                                      now: now, expiresAt: now.addingTimeInterval(3_600))
        return Reader(user: user, cookie: cookie, csrf: csrf)
    }

    static func get(_ client: any TestClientProtocol, _ uri: String, as reader: Reader? = nil) async throws -> String {
        try await client.execute(uri: uri, method: .get, headers: reader?.headers ?? [:]) { response in
            #expect(response.status == .ok, "\(uri)")
            return String(buffer: response.body)
        }
    }

    /// The upvote count the daily API gives a paper.
    static func upvotes(_ client: any TestClientProtocol, _ id: String) async throws -> Int? {
        let body = try await get(client, day)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [[String: Any]])
        return entries.compactMap { $0["paper"] as? [String: Any] }.first { $0["id"] as? String == id }?["upvotes"] as? Int
    }

    static func run(_ store: SQLiteStore, _ body: @escaping @Sendable (AppDependencies, any TestClientProtocol) async throws -> Void) async throws {
        let dependencies = AppDependencies(store: store, now: { Self.now })
        try await buildApplication(AppConfig(), dependencies: dependencies).test(.router) { client in
            try await body(dependencies, client)
        }
    }

    @Test func aSecondAnonymousGetIsServedFromTheCache() async throws {
        try await Self.run(try await WebTests.filledStore()) { dependencies, client in
            let responses = dependencies.pageCache.responses
            for uri in ["/", "/papers/trending", "/papers/week/2024-W43", Self.day] {
                let (hits, misses) = (responses.hits, responses.misses)
                let first = try await Self.get(client, uri)
                let second = try await Self.get(client, uri)
                #expect(first == second)
                #expect(responses.misses == misses + 1, "\(uri)")
                #expect(responses.hits == hits + 1, "\(uri)")
            }
            // The API's parameters in another order are the same answer.
            let hits = responses.hits
            _ = try await Self.get(client, "/api/daily_papers?limit=5&date=2024-10-25")
            _ = try await Self.get(client, "/api/daily_papers?date=2024-10-25&limit=5")
            #expect(responses.hits == hits + 1)
            // Errors and 404s are answered every time, never kept.
            let kept = responses.count
            for _ in 0..<2 {
                try await client.execute(uri: "/papers/date/2024-13-45", method: .get) { #expect($0.status == .badRequest) }
                try await client.execute(uri: "/api/daily_papers?date=nonsense", method: .get) { #expect($0.status == .badRequest) }
            }
            #expect(responses.count == kept)
        }
    }

    @Test func anUpvoteShowsOnTheVeryNextPageForEveryone() async throws {
        let store = try await WebTests.filledStore()
        let ada = try await Self.signIn(store, "ada")
        try await Self.run(store) { _, client in
            let before = try #require(try await Self.upvotes(client, "2410.17243"))
            let anonymousBefore = try await Self.get(client, "/papers/date/2024-10-25")
            _ = try await Self.get(client, "/papers/date/2024-10-25", as: ada)

            // Upvote through the page form, as a browser does.
            let form = "paper=2410.17243&on=1&back=%2Fpapers%2Fdate%2F2024-10-25&csrf=\(ada.csrf)"
            var headers = ada.headers
            headers[.contentType] = "application/x-www-form-urlencoded"
            try await client.execute(uri: "/upvote", method: .post, headers: headers, body: ByteBuffer(string: form)) {
                #expect($0.status == .seeOther)
            }
            #expect(try await Self.upvotes(client, "2410.17243") == before + 1)
            let anonymousAfter = try await Self.get(client, "/papers/date/2024-10-25")
            #expect(anonymousAfter != anonymousBefore)
            #expect(anonymousAfter.contains("<b>\(before + 1)</b>"))
            let adasPage = try await Self.get(client, "/papers/date/2024-10-25", as: ada)
            #expect(adasPage.contains("<b>\(before + 1)</b>"))
            #expect(adasPage.contains("▲ Upvoted"))

            // And taken back through the API, with a token.
            let secret = "qt_" + String(repeating: "t", count: 40)
            _ = try await store.createAPIToken(userID: ada.user.id, name: "tests", tokenHash: Secrets.sha256(secret), prefix: "qt_ttttt", now: Self.now)
            try await client.execute(uri: "/api/upvotes/2410.17243", method: .delete, headers: [.authorization: "Bearer \(secret)"]) {
                #expect($0.status == .ok)
            }
            #expect(try await Self.upvotes(client, "2410.17243") == before)
            #expect(try await Self.get(client, "/papers/date/2024-10-25").contains("<b>\(before)</b>"))
        }
    }

    @Test func anImportByAnotherProcessIsSeenAfterThePollInterval() async throws {
        let store = try await WebTests.filledStore()
        try await Self.run(store) { _, client in
            #expect(try await Self.upvotes(client, "2410.99999") == nil)
            // Another SQLiteStore on the same file: its writes reach this one
            // only through the file, as another process's would.
            let other = try SQLiteStore(path: store.path)
            _ = try await other.upsert([Paper(id: "2410.99999", title: "Written by another process", abstract: "An import beside the server.",
                                              authors: ["Ada Lovelace"], categories: ["cs.LG"], upvotes: 7, dailyDate: Day("2024-10-25"))])
            try await Task.sleep(for: SQLiteStore.otherWritersPollInterval + .milliseconds(100))
            #expect(try await Self.upvotes(client, "2410.99999") == 7)
            #expect(try await Self.get(client, "/papers/date/2024-10-25").contains("Written by another process"))
        }
    }

    @Test func signedInPagesNeverShowAnotherReadersMarksOrName() async throws {
        let store = try await WebTests.filledStore()
        let ada = try await Self.signIn(store, "ada")
        let bob = try await Self.signIn(store, "bob")
        _ = try await store.setUpvote(userID: ada.user.id, paperID: "2410.17243", on: true, now: Self.now)
        try await Self.run(store) { dependencies, client in
            for uri in ["/", "/papers/trending", "/papers/date/2024-10-25"] {
                let anonymous = try await Self.get(client, uri)
                let adas = try await Self.get(client, uri, as: ada)
                let bobs = try await Self.get(client, uri, as: bob)
                let anonymousAgain = try await Self.get(client, uri)
                #expect(adas.contains(">ada</a>") && adas.contains("▲ Upvoted") && adas.contains(ada.csrf))
                #expect(bobs.contains(">bob</a>") && !bobs.contains(">ada</a>") && !bobs.contains("▲ Upvoted") && !bobs.contains(ada.csrf))
                for page in [anonymous, anonymousAgain] {
                    #expect(page.contains("Log in") && !page.contains(">ada</a>") && !page.contains(">bob</a>"))
                    #expect(!page.contains("▲ Upvoted") && !page.contains(ada.csrf) && !page.contains(bob.csrf))
                }
            }
            // Signed-in readers' pages are rendered each time, from the shared list.
            #expect(dependencies.pageCache.lists.hits > 0)
        }
    }

    @Test func anAnonymousPageStillSetsItsOwnCSRFCookie() async throws {
        try await Self.run(try await WebTests.filledStore()) { _, client in
            for _ in 0..<2 {
                try await client.execute(uri: "/", method: .get) { response in
                    #expect(response.headers[.setCookie]?.hasPrefix("quire_csrf=") == true)
                }
            }
        }
    }

    // MARK: The cache itself

    @Test func theCacheStaysWithinItsBounds() async throws {
        let cache = GenerationCache<String>(limits: .init(entries: 3, bytes: 100)) { $0.utf8.count }
        for index in 0..<10 {
            _ = try await cache.value("key \(index)", generation: 1) { String(repeating: "x", count: 30) }
            #expect(cache.count <= 3 && cache.totalBytes <= 100)
        }
        // The most recently used survive.
        _ = try await cache.value("key 9", generation: 1) { "recomputed" }
        #expect(cache.hits == 1)
        // Too big to keep: answered, not kept.
        #expect(try await cache.value("big", generation: 1) { String(repeating: "y", count: 101) }.count == 101)
        #expect(cache.count == 3 && cache.totalBytes == 90)
        // Not accepted by `keep`, or thrown: not kept.
        _ = try await cache.value("refused", generation: 1, keep: { _ in false }) { "404" }
        await #expect(throws: CancellationError.self) { try await cache.value("failed", generation: 1) { throw CancellationError() } }
        #expect(try await cache.value("failed", generation: 1) { "second try" } == "second try")
        // A newer generation drops everything; an older one's answer is not kept.
        _ = try await cache.value("key 9", generation: 2) { "new" }
        #expect(cache.count == 1)
        _ = try await cache.value("late", generation: 1) { "stale" }
        #expect(try await cache.value("late", generation: 2) { "fresh" } == "fresh")
        // A store that cannot tell what changed gets nothing cached.
        _ = try await cache.value("untracked", generation: nil) { "x" }
        #expect(try await cache.value("untracked", generation: nil) { "y" } == "y")
    }

    @Test func concurrentMissesComputeOnce() async throws {
        let cache = GenerationCache<Int>(limits: .init(entries: 10, bytes: 1_000)) { _ in 8 }
        let computed = Counter()
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await cache.value("list", generation: 1) {
                        computed.increment()
                        try await Task.sleep(for: .milliseconds(50))
                        return 42
                    }
                }
            }
            for try await value in group { #expect(value == 42) }
        }
        #expect(computed.value == 1)
    }

    final class Counter: @unchecked Sendable { // lock: count
        private let lock = NSLock()
        private var count = 0
        func increment() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }
}
