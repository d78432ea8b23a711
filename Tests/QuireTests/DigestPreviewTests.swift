import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Mail
import QuireCore
import ReaderActions
import Storage
import Testing
@testable import Web

/// "Preview" and "Send a test now" on the digest page, and
/// `GET /api/me/digest/preview`: the next digest as the real builder and
/// mail make it, for the reader's settings and time zone, with nothing
/// written to the delivery ledger; a test mail is marked as one.
@Suite struct DigestPreviewTests {
    static func at(_ text: String) -> Date { Timestamp.parse(text) ?? Date(timeIntervalSince1970: 0) }

    @Test func theNextSlotIsTheFirstAfterNowInTheReadersTimeZone() {
        // Saturday 2024-10-26 12:00 UTC.
        let now = WebTests.now
        let daily = Subscription(frequency: .daily, hour: 7, timeZone: "Europe/Paris")
        let next = DigestSchedule.nextSlot(for: daily, now: now)
        #expect(next?.key == "2024-10-28" && next?.time == Self.at("2024-10-28T06:00:00Z"))
        // Later today still counts: 18:00 in Tokyo is 09:00 UTC, already past; 23:00 there is not.
        #expect(DigestSchedule.nextSlot(for: Subscription(frequency: .weekly, weekday: 6, hour: 23, timeZone: "Asia/Tokyo"), now: now)?.key == "2024-10-26")
        #expect(DigestSchedule.nextSlot(for: Subscription(frequency: .weekly, weekday: 6, hour: 18, timeZone: "Asia/Tokyo"), now: now)?.key == "2024-11-02")
        #expect(DigestSchedule.nextSlot(for: Subscription(frequency: .off), now: now) == nil)
        // The latest slot (what the sender sends) is never after now; the next always is.
        #expect(DigestSchedule.latestSlot(for: daily, now: now)?.key == "2024-10-25")
    }

    /// A signed-in reader with a daily digest and an API token, and a server that mails into `outbox`.
    static func withReader(outbox: URL?, _ body: @escaping @Sendable (SQLiteStore, User, PageCacheTests.Reader, any TestClientProtocol, HTTPFields) async throws -> Void) async throws {
        let store = try await WebTests.filledStore()
        let reader = try await PageCacheTests.signIn(store, "ada")
        try await store.confirmEmail(userID: reader.user.id)
        try await store.saveSubscription(Subscription(frequency: .daily, hour: 7, timeZone: "Europe/Paris", createdAt: Self.at("2024-10-01T00:00:00Z")),
                                         userID: reader.user.id)
        let secret = "qt_preview_test_token"
        _ = try await store.createAPIToken(userID: reader.user.id, name: "tests", tokenHash: Secrets.sha256(secret), prefix: "qt_previ", now: WebTests.now)
        var dependencies = AppDependencies(store: store, now: { WebTests.now })
        if let outbox { dependencies.mail = OutgoingMail(transport: DirectoryTransport(directory: outbox), from: MailAddress("quire@example.org")) }
        try await buildApplication(AppConfig(), dependencies: dependencies).test(.router) { client in
            try await body(store, reader.user, reader, client, [.authorization: "Bearer \(secret)"])
        }
    }

    @Test func thePreviewShowsTheNextDigestAndRecordsNothing() async throws {
        try await Self.withReader(outbox: nil) { store, user, reader, client, token in
            // One paper was mailed already: the preview leaves it out, as the real digest would.
            guard case .claimed(let old) = try await store.claimDelivery(userID: user.id, kind: DigestDeliveries.kind, slot: "2024-10-24",
                                                                        messageID: "<m>", now: Self.at("2024-10-24T05:00:00Z"), staleAfter: 600) else {
                Issue.record("claimed"); return
            }
            try await store.finishDelivery(id: old.id, status: .sent, paperIDs: ["2410.17243"], error: nil, now: Self.at("2024-10-24T05:00:01Z"))
            let ledger = try await store.deliveries(userID: user.id)

            let page = try await PageCacheTests.get(client, "/account/digest/preview", as: reader)
            #expect(page.contains("Your next daily digest goes out Mon, Oct 28, 2024 at 07:00 (Europe/Paris) to ada@example.org"))
            #expect(page.contains("<b>Top of the daily list</b>") && page.contains("<iframe class=\"digest-mail\" title=\"The digest mail\" sandbox srcdoc=\""))
            #expect(page.contains("action=\"/account/digest/test\""))
            #expect(!page.contains("href=\"/papers/2410.17243\""))

            let json = try await client.execute(uri: "/api/me/digest/preview", method: .get, headers: token) { response in
                #expect(response.status == .ok)
                return try WebTests.object(response)
            }
            #expect(json["on"] as? Bool == true && json["slot"] as? String == "2024-10-28" && json["timeZone"] as? String == "Europe/Paris")
            #expect(json["sendsAt"] as? String == "2024-10-28T06:00:00Z" && json["to"] as? String == "ada@example.org")
            let sections = try #require(json["sections"] as? [[String: Any]])
            #expect(sections.first?["title"] as? String == "Top of the daily list")
            let ids = sections.flatMap { ($0["papers"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } }
            #expect(!ids.isEmpty && !ids.contains("2410.17243") && json["paperCount"] as? Int == ids.count)
            #expect((json["subject"] as? String)?.hasPrefix("Quire daily digest, Mon, Oct 28, 2024") == true)
            #expect((json["html"] as? String)?.contains("<!doctype html>") == true)
            #expect(try await store.deliveries(userID: user.id) == ledger)

            // Anonymous: the API wants a token.
            try await client.execute(uri: "/api/me/digest/preview", method: .get) { #expect($0.status == .unauthorized) }
        }
    }

    @Test func aTestIsMailedAtOnceMarkedAndRateLimited() async throws {
        let outbox = try TestSupport.temporaryDirectory()
        try await Self.withReader(outbox: outbox) { store, user, reader, client, _ in
            var headers = reader.headers
            headers[.contentType] = "application/x-www-form-urlencoded"
            for attempt in 1...DigestTrial.testSends.count {
                let page = try await client.execute(uri: "/account/digest/test", method: .post, headers: headers,
                                                    body: ByteBuffer(string: "csrf=\(reader.csrf)")) { response in
                    #expect(response.status == .ok, "test send \(attempt)")
                    return WebTests.text(response)
                }
                #expect(page.contains("Test digest sent to ada@example.org"))
            }
            let mails = try FileManager.default.contentsOfDirectory(at: outbox, includingPropertiesForKeys: nil)
            #expect(mails.count == DigestTrial.testSends.count)
            let mail = try String(contentsOf: try #require(mails.first), encoding: .utf8)
            #expect(mail.contains("Subject: [Test] Quire daily digest, Mon, Oct 28, 2024"))
            #expect(mail.contains("Message-ID: <digest-test-\(user.id)-") && !mail.contains("<digest-\(user.id)-2024-10-28@"))
            // Not the slot's digest: the ledger holds nothing, so the real one still goes out.
            #expect(try await store.deliveries(userID: user.id).isEmpty)
            try await client.execute(uri: "/account/digest/test", method: .post, headers: headers, body: ByteBuffer(string: "csrf=\(reader.csrf)")) {
                #expect($0.status == .tooManyRequests && WebTests.text($0).contains("test digests an hour"))
            }
        }
    }

    @Test func withoutMailATestSendSaysSo() async throws {
        try await Self.withReader(outbox: nil) { _, _, reader, client, _ in
            var headers = reader.headers
            headers[.contentType] = "application/x-www-form-urlencoded"
            try await client.execute(uri: "/account/digest/test", method: .post, headers: headers, body: ByteBuffer(string: "csrf=\(reader.csrf)")) {
                #expect($0.status == .serviceUnavailable && WebTests.text($0).contains("This server sends no mail"))
            }
        }
    }
}
