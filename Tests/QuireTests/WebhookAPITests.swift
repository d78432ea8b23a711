import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
@testable import Web

/// `POST /api/me/digest/webhooks` and `DELETE /api/me/digest/webhooks/{id}`:
/// the form's rules (`WebhookActions`, `WebhookAddressCheck`) with JSON errors.
@Suite struct WebhookAPITests {
    static func send(_ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ body: String? = nil,
                     _ token: HTTPFields) async throws -> (HTTPResponse.Status, [String: Any]?) {
        var headers = token
        if body != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) {
            ($0.status, try? WebTests.object($0))
        }
    }

    @Test func webhooksAreAddedAndRemovedThroughTheAPI() async throws {
        try await APIContractTests.withReader { client, token in
            let (refused, error) = try await Self.send(client, .post, "/api/me/digest/webhooks", #"{"url": "https://127.0.0.1/hook", "format": "slack"}"#, token)
            #expect(refused == .forbidden)
            #expect(error?["error"] as? String == "127.0.0.1 is a loopback address: webhooks go only to public internet addresses")
            let (unknown, _) = try await Self.send(client, .post, "/api/me/digest/webhooks", #"{"url": "https://8.8.8.8/x", "format": "teams"}"#, token)
            #expect(unknown == .badRequest)
            let (notAdmin, why) = try await Self.send(client, .post, "/api/me/digest/webhooks",
                                                      #"{"url": "https://8.8.8.8/x", "format": "slack", "organization": "deep-lab"}"#, token)
            #expect(notAdmin == .forbidden && (why?["error"] as? String)?.contains("only an admin of 'deep-lab'") == true)

            let (created, hook) = try await Self.send(client, .post, "/api/me/digest/webhooks", #"{"url": "https://8.8.8.8/services/x", "format": "discord"}"#, token)
            #expect(created == .created && hook?["format"] as? String == "discord")
            let id = try #require(hook?["id"] as? Int)
            let (_, settings) = try await Self.send(client, .get, "/api/me/digest", nil, token)
            #expect((settings?["webhooks"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [id])
            #expect(try await Self.send(client, .delete, "/api/me/digest/webhooks/\(id)", nil, token).0 == .noContent)
            let (gone, message) = try await Self.send(client, .delete, "/api/me/digest/webhooks/\(id)", nil, token)
            #expect(gone == .notFound && message?["error"] as? String == "you have no webhook \(id)")
        }
    }
}
