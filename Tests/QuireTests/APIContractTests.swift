import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import QuireCore
import ReaderActions
import Storage
import Testing
@testable import Web

/// The API does what `/openapi.json` says, and `/openapi.json` says what the
/// router does: the document, 405s with Allow, parameter checks, and that
/// reading never fetches from arXiv.
@Suite struct APIContractTests {
    /// A router over the sample data, with a reader and their API token.
    static func withReader(_ configure: (inout AppDependencies) -> Void = { _ in },
                           _ body: @escaping @Sendable (any TestClientProtocol, HTTPFields) async throws -> Void) async throws {
        let store = try await WebTests.filledStore()
        let user = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "x", role: .reader, now: WebTests.now)
        let secret = "qt_contract_test_token"
        _ = try await store.createAPIToken(userID: user.id, name: "tests", tokenHash: Secrets.sha256(secret), prefix: "qt_contr", now: WebTests.now)
        var dependencies = AppDependencies(store: store, now: { WebTests.now })
        configure(&dependencies)
        let app = buildApplication(AppConfig(), dependencies: dependencies)
        try await app.test(.router) { client in try await body(client, [.authorization: "Bearer \(secret)"]) }
    }

    static func errorMessage(_ response: TestResponse) -> String? {
        (try? WebTests.object(response))?["error"] as? String
    }

    static func count(_ response: TestResponse) -> Int? {
        ((try? WebTests.json(response)) as? [Any])?.count
    }

    @Test func everyRouteUnderAPIIsDocumentedAndViceVersa() throws {
        let router = buildRouter(AppDependencies(store: try TestSupport.temporaryStore()))
        let registered = Set(router.routes.map { "\($0.method.rawValue) \($0.path)" }.filter {
            $0.contains(" /api/") || $0.hasSuffix(" /openapi.json")
        })
        let documented = Set(APIContract.all.map { "\($0.method.rawValue) \(RouterPath($0.routerPath))" })
        #expect(registered.count > 25)
        #expect(registered.subtracting(documented).isEmpty, "routed but not in /openapi.json: \(registered.subtracting(documented).sorted())")
        #expect(documented.subtracting(registered).isEmpty, "in /openapi.json but not routed: \(documented.subtracting(registered).sorted())")
    }

    @Test func theDocumentListsEveryOperationWithItsErrors() async throws {
        try await Self.withReader { client, _ in
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                let document = try WebTests.object(response)
                let paths = try #require(document["paths"] as? [String: [String: Any]])
                for operation in APIContract.all {
                    let entry = try #require(paths[operation.path]?[operation.method.rawValue.lowercased()] as? [String: Any])
                    let responses = try #require(entry["responses"] as? [String: Any])
                    #expect(responses["401"] != nil, "\(operation.id) can answer 401 to a bad token")
                    if case .tokenWrite = operation.access {
                        let tooMany = try #require(responses["429"] as? [String: Any], "\(operation.id) is rate-limited")
                        #expect((tooMany["headers"] as? [String: Any])?["Retry-After"] != nil)
                    }
                }
            }
        }
    }

    @Test func anUnsupportedMethodIs405WithAllow() async throws {
        try await Self.withReader { client, auth in
            try await client.execute(uri: "/api/daily_papers", method: .put, headers: auth) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET, OPTIONS")
                #expect(Self.errorMessage(response) != nil)
            }
            try await client.execute(uri: "/api/comments/3", method: .post, headers: auth) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "PATCH, DELETE, OPTIONS")
            }
            // The literal path wins over the one with a parameter.
            try await client.execute(uri: "/api/papers/search", method: .delete, headers: auth) { response in
                #expect(response.headers[.allow] == "GET, OPTIONS")
            }
            try await client.execute(uri: "/api/papers/hep-th/9901001", method: .post, headers: auth) { response in
                #expect(response.status == .methodNotAllowed)
            }
            try await client.execute(uri: "/api/stats", method: .head) { response in
                #expect(response.status == .methodNotAllowed)
            }
            try await client.execute(uri: "/api/upvotes/2410.17243", method: .options) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.allow] == "POST, DELETE, OPTIONS")
            }
        }
    }

    @Test func queryValuesAreCheckedAsTheDocumentSays() async throws {
        try await Self.withReader { client, _ in
            for uri in ["/api/daily_papers?limit=", "/api/daily_papers?limit=101", "/api/daily_papers?week=2024-W54",
                        "/api/daily_papers?sort=upvotes", "/api/papers/search?q=", "/api/papers/search", "/api/comments?paper="] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .badRequest, "\(uri)")
                    #expect(Self.errorMessage(response) != nil, "\(uri)")
                }
            }
        }
    }

    /// What the document accepts, the server does not refuse with 400.
    @Test func schemaValidRequestsAreAccepted() async throws {
        try await Self.withReader { client, auth in
            // date, week and month together: the days in all of them.
            try await client.execute(uri: "/api/daily_papers?date=2024-10-25&week=2024-W43&month=2024-10", method: .get) { response in
                #expect(response.status == .ok)
                #expect(Self.count(response) == 8)
            }
            try await client.execute(uri: "/api/daily_papers?date=2024-10-25&month=2024-11", method: .get) { response in
                #expect(response.status == .ok)
                #expect(Self.count(response) == 0)
            }
            // Week 53 fits the pattern; 2024 has none, so there is no such list.
            try await client.execute(uri: "/api/daily_papers?week=2024-W53", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/papers/search?q=%20", method: .get) { response in
                #expect(response.status == .ok)
                #expect(WebTests.text(response) == "[]")
            }
            // A reference that names nothing is not found, whatever it looks like.
            try await client.execute(uri: "/api/comments", method: .post, headers: auth,
                                     body: ByteBuffer(string: #"{"paper": " ", "body": "hello"}"#)) { response in
                #expect(response.status == .notFound)
            }
            // A well-formed reply to a comment on another paper names nothing there: 404, not 400.
            let top = try await client.execute(uri: "/api/comments", method: .post, headers: auth,
                                               body: ByteBuffer(string: #"{"paper": "2410.18798", "body": "first"}"#)) { response in
                #expect(response.status == .created)
                return try #require(try WebTests.object(response)["id"] as? Int)
            }
            try await client.execute(uri: "/api/comments", method: .post, headers: auth,
                                     body: ByteBuffer(string: #"{"paper": "2410.17243", "body": "reply", "parentId": \#(top)}"#)) { response in
                #expect(response.status == .notFound, "\(WebTests.text(response))")
            }
            // No body on an optional-body PATCH changes nothing.
            let id = try await client.execute(uri: "/api/collections", method: .post, headers: auth,
                                              body: ByteBuffer(string: #"{"name": "Reading", "description": null, "isPublic": null}"#)) { response in
                #expect(response.status == .created)
                return try #require(try WebTests.object(response)["id"] as? Int)
            }
            try await client.execute(uri: "/api/collections/\(id)", method: .patch, headers: auth) { response in
                #expect(response.status == .ok)
            }
            // Longer than the document allows is refused, not cut short.
            let long = String(repeating: "x", count: 501)
            try await client.execute(uri: "/api/collections/\(id)", method: .patch, headers: auth,
                                     body: ByteBuffer(string: #"{"description": "\#(long)"}"#)) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    /// A field the operation does not take is refused with the ones it does,
    /// and nothing is written: `{"public": true}` once made a private collection.
    @Test func unknownBodyFieldsAreRefused() async throws {
        try await Self.withReader { client, auth in
            try await client.execute(uri: "/api/collections", method: .post, headers: auth,
                                     body: ByteBuffer(string: #"{"name": "Reading", "public": true}"#)) { response in
                #expect(response.status == .badRequest)
                #expect(Self.errorMessage(response) == "unknown field 'public'; this endpoint takes 'description', 'isPublic', 'name'")
            }
            try await client.execute(uri: "/api/collections", method: .get, headers: auth) { response in
                #expect(Self.count(response) == 0, "\(WebTests.text(response))")
            }
            // The document says so too, so generated clients and schemathesis know.
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                let document = try WebTests.object(response)
                let paths = try #require(document["paths"] as? [String: Any])
                let post = try #require((paths["/api/collections"] as? [String: Any])?["post"] as? [String: Any])
                let body = try #require(post["requestBody"] as? [String: Any])
                let schema = try #require(((body["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any])
                #expect(schema["additionalProperties"] as? Bool == false)
            }
        }
    }

    /// GET never writes and never calls out: an unknown paper is not fetched.
    @Test func readingCommentsNeverFetchesAPaper() async throws {
        let calls = Counter()
        try await Self.withReader({ $0.fetchUnknownPaper = { _ in await calls.add(); return nil } }) { client, auth in
            try await client.execute(uri: "/api/comments?paper=2501.00001", method: .get, headers: auth) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/upvotes/2501.00001", method: .post, headers: auth) { response in
                #expect(response.status == .notFound)
            }
            #expect(await calls.value == 0)
            // Submitting is the one way an unknown paper is looked up.
            try await client.execute(uri: "/api/submissions", method: .post, headers: auth,
                                     body: ByteBuffer(string: #"{"paper": "2501.00001"}"#)) { response in
                #expect(response.status == .notFound)
            }
            #expect(await calls.value == 1)
        }
    }

    @Test func aSubmissionWaitsForArXivOnlyUntilTheDeadline() async throws {
        try await Self.withReader({
            $0.fetchUnknownPaper = { _ in try? await Task.sleep(for: .seconds(300)); return nil }
            $0.fetchDeadline = .milliseconds(200)
        }) { client, auth in
            let start = ContinuousClock.now
            try await client.execute(uri: "/api/submissions", method: .post, headers: auth,
                                     body: ByteBuffer(string: #"{"paper": "2501.00001"}"#)) { response in
                #expect(response.status == .gatewayTimeout)
                #expect(Self.errorMessage(response) != nil)
            }
            // Far below the fetch's five minutes, with room for a loaded machine.
            #expect(ContinuousClock.now - start < .seconds(60))
        }
    }
}

private actor Counter {
    private(set) var value = 0
    func add() { value += 1 }
}

/// The document's patterns and the server's checks are one rule each.
@Suite struct APIRuleTests {
    @Test(arguments: ["", " ", "\t\n\r\u{0B}\u{0C}", "a", "  a  ", "\u{00A0}", "\u{2003}", "\u{1C}", "é", "\u{FEFF}"])
    func notBlankPatternAgreesWithTrimming(text: String) {
        let matches = text.range(of: ReaderText.notBlankPattern, options: .regularExpression) != nil
        #expect(matches == !WrittenText.trimmed(text).isEmpty, "\(text.unicodeScalars.map { $0.value })")
    }

    @Test(arguments: ["", " a", "ab", " a b ", "a  ", "\u{00A0}\u{00A0}"])
    func twoNonBlankPatternAgreesWithTrimming(text: String) {
        let matches = text.range(of: ReaderText.twoNonBlankPattern, options: .regularExpression) != nil
        #expect(matches == (WrittenText.length(WrittenText.trimmed(text)) >= 2), "\(text.unicodeScalars.map { $0.value })")
    }

    @Test func valueRulesRejectWhatTheirSchemaRejects() {
        let week = ValueRule.text(pattern: "^(19|20)[0-9]{2}-W(0[1-9]|[1-4][0-9]|5[0-3])$")
        #expect(week.problem(with: "2025-W09") == nil)
        for bad in ["2025-W54", "2025-W00", "2025-w09", "2025-W9", "٢٠٢٥-W09", ""] {
            #expect(week.problem(with: bad) != nil, "\(bad)")
        }
        let limit = ValueRule.integer(1...100)
        #expect(limit.problem(with: "100") == nil)
        for bad in ["0", "101", "", "1.0", "abc", "99999999999999999999"] { #expect(limit.problem(with: bad) != nil, "\(bad)") }
        // Length is counted in code points, as JSON Schema counts it.
        let short = ValueRule.text(maxLength: 2)
        #expect(short.problem(with: "e\u{301}") == nil)
        #expect(short.problem(with: "e\u{301}e") != nil)
        #expect(ValueRule.date.problem(with: "2024-02-30") != nil)
        #expect(ValueRule.choice(["a", "b"]).problem(with: "c") != nil)
    }
}
