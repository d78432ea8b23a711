import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import QuireCore
import ReaderActions
import Search
import Storage
import Testing
@testable import Web

/// Controllers take only what they use: a controller is built here from
/// the in-memory store and just its parts, without `AppDependencies` or the
/// rest of the router, and answers requests as it does in the server.
@Suite struct ControllerPartsTests {
    static let now = WebTests.now

    static func store() async throws -> InMemoryStore {
        let store = InMemoryStore()
        _ = try await store.upsert([
            Paper(id: "2410.00001", version: 1, submittedAt: Timestamp.parse("2024-10-01T10:00:00Z"),
                  title: "Narrow interfaces", abstract: "Each part asks for what it uses.",
                  authors: ["Grace Hopper"], categories: ["cs.SE"]),
        ])
        return store
    }

    /// A router with just this controller's routes, as `buildRouter` adds them.
    static func run(_ addRoutes: (RouterGroup<AppRequestContext>) -> Void,
                    _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let router = Router(context: AppRequestContext.self)
        addRoutes(router.group())
        try await Application(router: router).test(.router, body)
    }

    static func gate(feedReads: Int = 120) -> Gate {
        var security = SecurityConfig()
        security.searchAndFeedLimitPerAddress = RateLimit(feedReads, per: 60)
        return Gate(rateWindows: InMemoryRateWindows(), security: security, now: { now })
    }

    @Test func aFeedNeedsPapersSearchListsAGateAndThePublicAddress() async throws {
        let store = try await Self.store()
        let feeds = FeedsController(store: store, search: SearchService(store: store),
                                    lists: DailyLists(papers: store, cache: PageCache().lists, now: { Self.now }),
                                    gate: Self.gate(feedReads: 1),
                                    site: PublicSite(url: "https://papers.example.org", trustForwardedProto: false))
        try await Self.run(feeds.addRoutes) { client in
            try await client.execute(uri: "/feeds/authors/grace-hopper/atom", method: .get) { response in
                #expect(response.status == .ok)
                let body = String(buffer: response.body)
                #expect(body.contains("Narrow interfaces"))
                #expect(body.contains("https://papers.example.org/authors/grace-hopper"))
            }
            // The gate it was given counts feed reads: the second is over this one's limit.
            try await client.execute(uri: "/feeds/authors/grace-hopper/atom", method: .get) { response in
                #expect(response.status == .tooManyRequests)
            }
        }
    }

    @Test func theAPIReadsAPaperFromAnyPaperStore() async throws {
        let store = try await Self.store()
        let cache = PageCache()
        let api = APIController(store: store, search: SearchService(store: store),
                                lists: DailyLists(papers: store, cache: cache.lists, now: { Self.now }), gate: Self.gate(),
                                responseCache: PageCacheMiddleware(audience: .everyone, cache: cache.responses, changes: store, now: { Self.now }),
                                site: PublicSite(url: "https://quire.example", trustForwardedProto: false))
        try await Self.run(api.addRoutes) { client in
            try await client.execute(uri: "/api/papers/2410.00001", method: .get) { response in
                #expect(response.status == .ok)
                let paper = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect(paper["title"] as? String == "Narrow interfaces")
            }
            try await client.execute(uri: "/api/papers/2410.99999", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func anUpvoteThroughTheAPINeedsItsActionsAndTheAPIGroupsViewer() async throws {
        let store = try await Self.store()
        let now: @Sendable () -> Date = { Self.now }
        let user = try await store.createUser(username: "grace", email: "grace@example.org", passwordHash: "x", role: .reader, now: Self.now)
        let secret = "token-of-grace-" + String(repeating: "t", count: 32)
        _ = try await store.createAPIToken(userID: user.id, name: "test", tokenHash: Secrets.sha256(secret),
                                           prefix: String(secret.prefix(9)), now: Self.now)
        let lookup = PaperLookup(store: store, submissionActions: SubmissionActions(store: store, rules: SubmissionRules(), now: now),
                                 fetchUnknownPaper: nil, fetchDeadline: .seconds(1))
        let signals = SignalsAPIController(store: store, gate: Self.gate(), lookup: lookup,
                                           accountActions: AccountActionsTests.accounts(store, now: now),
                                           upvoteActions: UpvoteActions(store: store, now: now), commentActions: CommentActions(store: store, now: now),
                                           collectionActions: CollectionActions(store: store, now: now),
                                           organizationActions: OrganizationActions(store: store, now: now))
        let viewer = ViewerMiddleware(accounts: store, site: PublicSite(url: "https://papers.example.org", trustForwardedProto: false),
                                      now: now, tokenOnly: true)
        try await Self.run({ signals.addRoutes(to: $0.add(middleware: APIErrorMiddleware()).add(middleware: viewer)) }) { client in
            try await client.execute(uri: "/api/upvotes/2410.00001", method: .post, headers: [.authorization: "Bearer \(secret)"]) { response in
                #expect(response.status == .ok)
                let state = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect(state["upvotes"] as? Int == 1)
            }
            // The viewer it was given knows no cookies: without a token the write is refused.
            try await client.execute(uri: "/api/upvotes/2410.00001", method: .post) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }
}
