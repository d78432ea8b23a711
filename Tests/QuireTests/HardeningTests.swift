import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Mail
import QuireCore
import ReaderActions
import Search
@testable import Storage
import Testing
@testable import Web

/// Regression tests of the attack paths found in issue 11, against the real
/// router and a real SQLite file. Each failed (or trapped) before its fix.
@Suite struct HardeningTests {
    static let now = WebTests.now
    static let csrf = String(repeating: "c", count: 40)
    static let password = "correct horse battery"

    struct App {
        let store: SQLiteStore
        let dependencies: AppDependencies
        let outbox: URL
    }

    /// The sample papers, mail written to a folder, bcrypt at its cheapest.
    static func makeApp(publicURL: String = "https://papers.example.org") async throws -> App {
        let store = try await WebTests.filledStore()
        let outbox = try TestSupport.temporaryDirectory()
        var dependencies = AppDependencies(store: store, publicURL: publicURL, now: { Self.now })
        dependencies.security.bcryptCost = 4
        dependencies.mail = OutgoingMail(transport: DirectoryTransport(directory: outbox), from: MailAddress("quire@example.org"))
        return App(store: store, dependencies: dependencies, outbox: outbox)
    }

    static func run(_ app: App, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await buildApplication(AppConfig(), dependencies: app.dependencies).test(.router, body)
    }

    /// A form POST from a browser that loaded one of our pages (anonymous CSRF cookie).
    static func post(_ client: any TestClientProtocol, _ uri: String, _ fields: [String: String], headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        headers[.cookie] = "quire_csrf=\(csrf)"
        headers[.contentType] = "application/x-www-form-urlencoded"
        let body = (fields.merging(["csrf": csrf]) { a, _ in a }).map { "\(urlPart($0.key))=\(urlPart($0.value))" }.joined(separator: "&")
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    static func addReader(_ app: App, _ name: String = "ada") async throws -> User {
        let hash = await PasswordHasher(cost: 4).hash(password)
        return try await app.store.createUser(username: name, email: "\(name)@example.org", passwordHash: hash, role: .reader, now: now)
    }

    static func mails(_ app: App) throws -> [String] {
        try FileManager.default.contentsOfDirectory(at: app.outbox, includingPropertiesForKeys: nil)
            .map { try String(contentsOf: $0, encoding: .utf8) }
    }

    // MARK: One GET killed the server: months and weeks at the edge of the calendar

    @Test func calendarEdgesAnswerInsteadOfTrapping() async throws {
        let app = try await Self.makeApp()
        try await Self.run(app) { client in
            for path in ["/papers/month/9999-12", "/papers/month/0001-01", "/papers/week/9999-W52", "/papers/week/0001-W01",
                         "/papers/date/9999-12-31", "/papers/date/0001-01-01", "/papers/week/0000-W01", "/papers/month/0000-12",
                         "/api/daily_papers?month=9999-12", "/api/daily_papers?week=9999-W52", "/api/daily_papers?date=9999-12-31",
                         "/api/daily_papers?month=9999-12&sort=trending", "/api/daily_papers?month=0001-01&sort=trending",
                         "/api/daily_papers?date=0001-01-01&sort=trending"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect([.ok, .badRequest, .notFound].contains(response.status), "\(path): \(response.status)")
                }
            }
        }
        let december = try #require(Period.parseMonth("9999-12"))
        #expect(december.next == nil && december.previous == Period.parseMonth("9999-11"))
        #expect(december.endDay == Day("9999-12-31"))
        #expect(Period.parseMonth("0001-01")?.previous == nil)
        #expect(Period.parseWeek("0001-W01")?.previous == nil)
        #expect(Period.parseWeek("9999-W52")?.next == nil)
        #expect(Day("0001-01-01")?.adding(days: -1) == Day("0001-01-01"))
        #expect(Day("9999-12-31")?.adding(days: Int.max) == Day("9999-12-31"))
        #expect(Day("2024-02-28")?.adding(days: 1) == Day("2024-02-29"))
    }

    // MARK: Reset links came from the Host header

    @Test func resetMailLinksUseThePublicURLNeverTheHost() async throws {
        let app = try await Self.makeApp()
        _ = try await Self.addReader(app)
        try await Self.run(app) { client in
            let forged: HTTPFields = [HTTPField.Name("Host")!: "evil.example", HTTPField.Name("X-Forwarded-Host")!: "evil.example"]
            let response = try await Self.post(client, "/reset", ["email": "ada@example.org"], headers: forged)
            #expect(response.status == .ok)
        }
        let mail = try #require(try Self.mails(app).first)
        #expect(mail.contains("https://papers.example.org/reset/"))
        #expect(!mail.contains("evil.example"))
    }

    // MARK: next= sent readers to another site

    @Test func onlyLocalPathsAreRedirectTargets() async throws {
        for good in ["/", "/papers/2410.17243", "/search?q=a%20b&p=1", "/authors/ana-n%C3%BA%C3%B1ez#x"] {
            #expect(Gate.localPath(good) == good)
        }
        for bad in ["//evil.example", "/\t/evil.example", "/\n/evil.example", "/\\evil.example", "/\\/evil.example",
                    "https://evil.example", "evil.example", "/ /evil", "/\u{00A0}/evil", "/\u{2028}/evil", "", "/" + String(repeating: "a", count: 3000)] {
            #expect(Gate.localPath(bad) == nil, "\(bad.debugDescription)")
        }
        let app = try await Self.makeApp()
        _ = try await Self.addReader(app)
        try await Self.run(app) { client in
            try await client.execute(uri: "/login?next=/%09/evil.example", method: .get) { response in
                #expect(!Self.text(response).contains("evil.example"))
            }
            let login = try await Self.post(client, "/login", ["login": "ada", "password": Self.password, "next": "/\t/evil.example"])
            #expect(login.status == .seeOther)
            #expect(login.headers[.location] == "/")
        }
    }

    static func text(_ response: TestResponse) -> String { String(buffer: response.body) }

    // MARK: + in query strings

    @Test func plusInAQueryStringIsASpace() async throws {
        let app = try await Self.makeApp()
        try await Self.run(app) { client in
            try await client.execute(uri: "/search?q=contrastive+loss", method: .get) { response in
                #expect(response.status == .ok)
                let page = Self.text(response)
                #expect(page.contains("value=\"contrastive loss\""))
                #expect(!page.contains("contrastive+loss\""))
            }
            var plus = 0, encoded = 0
            try await client.execute(uri: "/api/papers/search?q=contrastive+loss", method: .get) { response in
                plus = (try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [Any])?.count ?? -1
            }
            try await client.execute(uri: "/api/papers/search?q=contrastive%20loss", method: .get) { response in
                encoded = (try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [Any])?.count ?? -2
            }
            #expect(plus == encoded && plus > 0)
            // A literal plus still arrives as %2B.
            try await client.execute(uri: "/search?q=C%2B%2B", method: .get) { response in
                #expect(Self.text(response).contains("value=\"C++\""))
            }
        }
    }

    /// A stray `%` (as in "100%+gain") is kept as typed; the `+` beside it
    /// is still a space (the fuzzer found the `+` left in).
    @Test func plusIsASpaceEvenBesideAMalformedEscape() {
        #expect(FormFields(urlEncoded: "q=100%+gain")["q"] == "100% gain")
        #expect(FormFields(urlEncoded: "q=%zz+b&r=a%20b")["q"] == "%zz b")
        #expect(FormFields(urlEncoded: "q=%zz+b&r=a%20b")["r"] == "a b")
    }

    // MARK: Authorization headers that are not Quire's

    @Test func otherAuthorizationSchemesAreLeftAlone() async throws {
        let app = try await Self.makeApp()
        try await Self.run(app) { client in
            let basic: HTTPFields = [.authorization: "Basic dXNlcjpwYXNz"]
            for path in ["/", "/papers/trending", "/api/daily_papers", "/search?q=memory"] {
                try await client.execute(uri: path, method: .get, headers: basic) { response in
                    #expect(response.status == .ok, "\(path)")
                }
            }
            try await client.execute(uri: "/api/me", method: .get, headers: [.authorization: "Bearer qt_nonsense"]) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    // MARK: Logins: enumeration and lockout

    @Test func unknownNamesAndWrongPasswordsLookAlikeAndOnlyTheOwnerLearnsOfALock() async throws {
        let app = try await Self.makeApp()
        let user = try await Self.addReader(app)
        try await Self.run(app) { client in
            let unknown = try await Self.post(client, "/login", ["login": "nobody", "password": "wrong password"])
            let wrong = try await Self.post(client, "/login", ["login": "ada", "password": "wrong password"])
            #expect(unknown.status == .unauthorized && wrong.status == .unauthorized)
            #expect(Self.text(unknown).contains("Wrong username or password.") && Self.text(wrong).contains("Wrong username or password."))
            // Four more wrong passwords lock the account, and say nothing of it.
            for _ in 0..<4 {
                let again = try await Self.post(client, "/login", ["login": "ada", "password": "wrong password"])
                #expect(again.status == .unauthorized)
                #expect(!Self.text(again).contains("locked"))
            }
            let owner = try await Self.post(client, "/login", ["login": "ada", "password": Self.password])
            #expect(owner.status == .tooManyRequests && Self.text(owner).contains("locked"))
            // A reset lifts the lock and ends what the old password made.
            let tokenSecret = "qt_" + Secrets.token()
            _ = try await app.store.createAPIToken(userID: user.id, name: "script", tokenHash: Secrets.sha256(tokenSecret), prefix: "qt_xxxxxx", now: Self.now)
            let links = [Secrets.token(), Secrets.token()]
            for link in links {
                try await app.store.createOneTimeToken(tokenHash: Secrets.sha256(link), userID: user.id, purpose: .passwordReset,
                                                       now: Self.now, expiresAt: Self.now.addingTimeInterval(3600))
            }
            let reset = try await Self.post(client, "/reset/\(links[0])", ["password": "a new long password"])
            #expect(reset.status == .seeOther)
            #expect(try await app.store.user(apiTokenHash: Secrets.sha256(tokenSecret), now: Self.now) == nil)
            let second = try await Self.post(client, "/reset/\(links[1])", ["password": "yet another password"])
            #expect(second.status == .gone)
            let back = try await Self.post(client, "/login", ["login": "ada", "password": "a new long password"])
            #expect(back.status == .seeOther)
        }
    }

    // MARK: Bounded work per request

    @Test func pagingStopsAtTheDepthLimits() async throws {
        let app = try await Self.makeApp()
        try await Self.run(app) { client in
            // The API's pages past the depth are empty (the document cannot tie p's
            // range to limit); p past what limit=1 reaches is refused.
            for (path, count) in [("/api/papers/search?q=memory&limit=50&p=20", 0), ("/api/daily_papers?limit=100&p=100", 0)] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok, "\(path)")
                    #expect(((try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [Any])?.count == count, "\(path)")
                }
            }
            for (path, status) in [("/api/papers/search?q=memory&limit=50&p=19", HTTPResponse.Status.ok),
                                   ("/api/papers/search?q=memory&limit=120&p=1000", .badRequest),
                                   ("/api/daily_papers?limit=100&p=99", .ok), ("/api/daily_papers?p=10000", .badRequest),
                                   ("/api/daily_papers?p=99999999999999999999", .badRequest),
                                   ("/search?q=memory&p=39", .ok), ("/search?q=memory&p=40", .badRequest),
                                   ("/papers/trending?p=200", .badRequest), ("/?p=-1", .badRequest)] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == status, "\(path)")
                }
            }
        }
        await #expect(throws: SearchQueryError.self) {
            _ = try await app.dependencies.search.search(SearchQuery.parse("memory"), page: 1_000, limit: 120)
        }
    }

    @Test func searchesAndFeedsAreRateLimitedPerAddress() async throws {
        var app = try await Self.makeApp()
        var dependencies = app.dependencies
        dependencies.security.searchAndFeedLimitPerAddress = RateLimit(3, per: 60)
        app = App(store: app.store, dependencies: dependencies, outbox: app.outbox)
        try await Self.run(app) { client in
            var statuses: [HTTPResponse.Status] = []
            for path in ["/search?q=a", "/api/papers/search?q=b", "/feeds/daily/rss", "/feeds/search/json?q=c"] {
                statuses.append(try await client.execute(uri: path, method: .get) { $0.status })
            }
            #expect(statuses == [.ok, .ok, .ok, .tooManyRequests])
            // Other pages are not counted.
            #expect(try await client.execute(uri: "/", method: .get) { $0.status } == .ok)
        }
    }

    @Test func clientAddressesBehindAProxy() {
        #expect(ClientAddress.key(remote: "10.0.0.1", forwardedFor: ["1.1.1.1, 203.0.113.9"], trustProxy: true) == "203.0.113.9")
        #expect(ClientAddress.key(remote: "10.0.0.1", forwardedFor: ["1.1.1.1", "203.0.113.9"], trustProxy: true) == "203.0.113.9")
        #expect(ClientAddress.key(remote: "10.0.0.1", forwardedFor: ["203.0.113.9"], trustProxy: false) == "10.0.0.1")
        #expect(ClientAddress.key(remote: "10.0.0.1", forwardedFor: [], trustProxy: true) == "10.0.0.1")
        #expect(ClientAddress.normalized("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64")
        #expect(ClientAddress.normalized("2001:db8:1:2:ffff::1") == ClientAddress.normalized("2001:db8:1:2::9"))
        #expect(ClientAddress.normalized("::ffff:203.0.113.9") == "203.0.113.9")
        #expect(ClientAddress.normalized(String(repeating: "x", count: 5000)) == "invalid")
        #expect(ClientAddress.normalized("1.2.3.4; DROP TABLE") == "invalid")
    }

    @Test func theRateLimiterKeepsKeysShortAndPrunesEndedWindows() async {
        let limiter = InMemoryRateWindows()
        let start = Self.now
        let long = String(repeating: "k", count: 10_000)
        #expect(await limiter.countHit(long, length: 60, now: start).count == 1)
        #expect(await limiter.countHit(long + "other tail", length: 60, now: start).count == 2) // same first 256 bytes
        for i in 0..<InMemoryRateWindows.pruneFrom { _ = await limiter.countHit("k\(i)", length: 10, now: start) }
        #expect(await limiter.keyCount > InMemoryRateWindows.pruneFrom)
        _ = await limiter.countHit("late", length: 10, now: start.addingTimeInterval(100))
        #expect(await limiter.keyCount == 1)
    }

    // MARK: Search terms reach FTS5 quoted

    @Test func aPrependLetterCannotCarryAQuoteIntoFTS5() async throws {
        let store = try await WebTests.filledStore()
        for word in ["\u{0600}\"", "\u{0600}\" OR title:x", "\u{110BD}\"x", "a\"b", "\u{0301}\"", "é\u{0301}\""] {
            let quoted = SQLiteKeywordSearch.quotedTerm(word) ?? "\"\""
            #expect(quoted.unicodeScalars.filter { $0 == "\"" }.count == 2, "\(word.debugDescription) → \(quoted.debugDescription)")
            _ = try await store.keywordSearch(words: [word, "memory"], phrases: [word], limit: 10, scoringBudget: 100)
        }
    }

    // MARK: Saved searches and organizations

    @Test func savedSearchesPerReaderAreCapped() async throws {
        let app = try await Self.makeApp()
        let user = try await Self.addReader(app)
        let digests = DigestActions(store: app.store, now: { Self.now })
        for i in 0..<SavedSearch.maxPerReader { _ = try await digests.saveSearch("topic \(i)", by: user) }
        _ = try await digests.saveSearch("topic 0", by: user) // a repeat is fine
        await #expect(throws: Refusal.self) { _ = try await digests.saveSearch("one too many", by: user) }
    }

    @Test func organizationsKeepTheirPapersAndTheirDoors() async throws {
        let app = try await Self.makeApp()
        let a = try await Self.addReader(app, "alice"), b = try await Self.addReader(app, "bob"), c = try await Self.addReader(app, "carol")
        let admin = try await app.store.createUser(username: "root", email: "root@example.org", passwordHash: "x", role: .admin, now: Self.now)
        let organizations = OrganizationActions(store: app.store, now: { Self.now })
        let labA = try await organizations.create(name: "Lab A", by: a)
        let labB = try await organizations.create(name: "Lab B", by: b)
        try await organizations.claim("0704.0001", for: labA.slug, by: a)
        await #expect(throws: Refusal.self) {
            try await organizations.claim("0704.0001", for: labB.slug, by: b)
        }
        // Papers whose source names an organization are that organization's too.
        await #expect(throws: Refusal.self) {
            try await organizations.claim("hep-th/9901001", for: labB.slug, by: b)
        }
        try await organizations.approve("root", role: .member, in: labB.slug, by: admin)
        try await organizations.claim("0704.0001", for: labB.slug, by: admin)
        // An organization admin approves only those who asked.
        await #expect(throws: Refusal.self) {
            try await organizations.approve("carol", role: .member, in: labA.slug, by: a)
        }
        try await organizations.join(labA.slug, by: c)
        try await organizations.approve("carol", role: .member, in: labA.slug, by: a)
    }
}
