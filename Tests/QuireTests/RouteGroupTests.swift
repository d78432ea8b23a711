import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
@testable import Web

/// The three route groups (`buildRouter`) against the real router: the API
/// answers JSON and knows no cookies, pages answer HTML and check CSRF,
/// feeds set no cookies.
@Suite struct RouteGroupTests {
    static func run(_ body: @escaping @Sendable (PageCacheTests.Reader, any TestClientProtocol) async throws -> Void) async throws {
        let store = try await WebTests.filledStore()
        let reader = try await PageCacheTests.signIn(store, "ada")
        let app = buildApplication(AppConfig(), dependencies: AppDependencies(store: store, now: { WebTests.now }))
        try await app.test(.router) { client in try await body(reader, client) }
    }

    static func isJSON(_ response: TestResponse) -> Bool {
        response.headers[.contentType]?.hasPrefix("application/json") == true
    }

    static func isHTML(_ response: TestResponse) -> Bool {
        response.headers[.contentType]?.hasPrefix("text/html") == true
    }

    @Test(arguments: ["/api/nothing", "/api/", "/api/stats/no/such/thing"])
    func anUnknownAPIPathIsAJSON404(path: String) async throws {
        try await Self.run { reader, client in
            for method in [HTTPRequest.Method.get, .post] {
                try await client.execute(uri: path, method: method, headers: reader.headers) { response in
                    #expect(response.status == .notFound, "\(method) \(path)")
                    #expect(Self.isJSON(response), "\(method) \(path)")
                    #expect(String(buffer: response.body).contains("no such endpoint"))
                    #expect(response.headers[.setCookie] == nil)
                }
            }
        }
    }

    @Test(arguments: ["/nothing", "/authors/someone/extra", "/api"])
    func anUnknownPagePathIsAnHTML404(path: String) async throws {
        try await Self.run { _, client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .notFound, "\(path)")
                #expect(Self.isHTML(response), "\(path)")
                #expect(String(buffer: response.body).contains("There is no page at"))
            }
        }
    }

    /// An error page keeps the header of whoever is looking: the router's
    /// own 404 and a handler's 404 alike.
    @Test(arguments: ["/nothing", "/papers/9999.99999"])
    func anErrorPageShowsTheSignedInReader(path: String) async throws {
        try await Self.run { reader, client in
            try await client.execute(uri: path, method: .get, headers: reader.headers) { response in
                #expect(response.status == .notFound, "\(path)")
                let page = String(buffer: response.body)
                #expect(page.contains("Log out") && !page.contains(">Log in<"), "\(path)")
            }
            try await client.execute(uri: path, method: .get) { response in
                #expect(String(buffer: response.body).contains(">Log in<"), "\(path), anonymous")
            }
        }
    }

    @Test func aKnownAPIPathWithAnotherMethodIsStillA405WithAllow() async throws {
        try await Self.run { _, client in
            try await client.execute(uri: "/api/daily_papers", method: .delete) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(Self.isJSON(response))
                #expect(response.headers[.allow] == "GET, OPTIONS")
            }
        }
    }

    @Test(arguments: ["/api/daily_papers?date=2024-10-25", "/api/me", "/api/nothing", "/api/papers/0000.00000", "/openapi.json"])
    func anAPIRequestNeverGetsACookie(path: String) async throws {
        try await Self.run { reader, client in
            // Neither anonymous (no CSRF cookie) nor with a session cookie.
            for headers in [HTTPFields(), reader.headers] {
                try await client.execute(uri: path, method: .get, headers: headers) { response in
                    #expect(response.headers[.setCookie] == nil, "\(path)")
                    #expect(Self.isJSON(response), "\(path)")
                }
            }
        }
    }

    @Test func theAPIDoesNotSignInWithASessionCookie() async throws {
        try await Self.run { reader, client in
            try await client.execute(uri: "/api/me", method: .get, headers: reader.headers) { response in
                #expect(response.status == .unauthorized)
                #expect(Self.isJSON(response))
            }
        }
    }

    @Test(arguments: ["/feeds/daily/rss", "/feeds/trending/atom", "/feeds/daily/nonsense", "/feeds/authors/nobody/json"])
    func aFeedNeverSetsACookie(path: String) async throws {
        try await Self.run { reader, client in
            for headers in [HTTPFields(), reader.headers] {
                try await client.execute(uri: path, method: .get, headers: headers) { response in
                    #expect(response.headers[.setCookie] == nil, "\(path)")
                }
            }
        }
    }

    @Test func aPagePostWithoutCSRFIsRefusedAsHTML() async throws {
        try await Self.run { reader, client in
            var headers = reader.headers
            headers[.contentType] = "application/x-www-form-urlencoded"
            try await client.execute(uri: "/upvote", method: .post, headers: headers,
                                     body: ByteBuffer(string: "paper=2410.17243&on=1")) { response in
                #expect(response.status == .forbidden)
                #expect(Self.isHTML(response))
                #expect(String(buffer: response.body).contains("Form expired"))
            }
        }
    }

    @Test func anAPIWriteWithACookieButNoTokenIsRefusedAsJSON() async throws {
        try await Self.run { reader, client in
            try await client.execute(uri: "/api/upvotes/2410.17243", method: .post, headers: reader.headers) { response in
                #expect(response.status == .unauthorized)
                #expect(Self.isJSON(response))
                #expect(String(buffer: response.body).contains("API writes need a personal API token"))
                #expect(response.headers[.setCookie] == nil)
            }
        }
    }
}
