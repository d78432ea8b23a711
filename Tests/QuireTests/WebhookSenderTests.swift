import Digest
import Foundation
import Ingest
import Logging
import Mail
import QuireCore
import ReaderActions
import Search
import Storage
import Testing

/// A transport that keeps what it is given and answers from a script: the
/// fake beside the real `WebhookPoster` (tested on its own against a real server).
actor RecordingTransport: WebhookTransport {
    var posts: [(url: String, body: Data)] = []
    var statuses: [Int]
    init(statuses: [Int] = []) { self.statuses = statuses }

    func post(_ body: Data, to url: String) async throws -> WebhookResponse {
        posts.append((url, body))
        return WebhookResponse(status: statuses.isEmpty ? 200 : statuses.removeFirst())
    }

    func count(_ url: String) -> Int { posts.filter { $0.url == url }.count }
    func bodies(_ url: String) -> [Data] { posts.filter { $0.url == url }.map(\.body) }
}

/// The sender over a real SQLite store and real digests: one post per
/// webhook and slot, an organization's webhook posting its papers.
@Suite struct WebhookSenderTests {
    static func at(_ text: String) -> Date { Timestamp.parse(text) ?? Date(timeIntervalSince1970: 0) }
    static let slot = at("2024-10-25T07:00:00Z")

    static func setUp(_ transport: RecordingTransport) async throws -> (WebhookSender, SQLiteStore, User, DirectoryTransport, URL) {
        let store = try TestSupport.temporaryStore()
        _ = try await Importer(store: store).importFile(TestSupport.sharedFile("fixtures/hf-papers/daily_papers-2024-10-25-first8.json"))
        let ada = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "x", role: .reader, now: at("2024-10-01T00:00:00Z"))
        try await store.confirmEmail(userID: ada.id)
        try await store.saveSubscription(Subscription(frequency: .daily, hour: 7, timeZone: "UTC", maxPapers: 3, createdAt: at("2024-10-01T00:00:00Z")), userID: ada.id)
        let outbox = try TestSupport.temporaryDirectory()
        let mail = DirectoryTransport(directory: outbox)
        let actions = WebhookActions(store: store, addressCheck: WebhookAddressCheck(), retryBase: 60)
        let sender = WebhookSender(store: store, search: SearchService(store: store), actions: actions, transport: transport,
                                   payload: WebhookPayload(baseURL: "https://q.example"), mail: (MailAddress("quire@example.org"), mail),
                                   logger: Logger(label: "test"))
        return (sender, store, ada, mail, outbox)
    }

    @Test func eachWebhookGetsEachDigestOnceAndAnOrganizationsGetsItsPapers() async throws {
        let transport = RecordingTransport()
        let (sender, store, ada, _, _) = try await Self.setUp(transport)
        let lab = try await store.createOrganization(name: "Deep Lab", adminUserID: ada.id)
        let listed = try await store.papers(from: Day(date: Self.slot).adding(days: -3), to: Day(date: Self.slot).adding(days: 1), submitter: nil,
                                            sort: .upvotes, offset: 0, limit: 10).items
        let claimed = try #require(listed.last)
        _ = try await store.claimPaper(paperID: claimed.id, organizationSlug: lab.slug, userID: ada.id, now: Self.slot, takingOver: true)
        let actions = WebhookActions(store: store, addressCheck: WebhookAddressCheck())
        _ = try await actions.add(url: "https://8.8.8.8/mine", format: "slack", by: ada)
        _ = try await actions.add(url: "https://8.8.8.8/lab", format: "discord", organization: lab.slug, by: ada)

        let first = try await sender.sendDue(now: Self.slot)
        #expect(first.posted == 2 && first.failed == 0, "\(first.lines)")
        for later in [60.0, 3600] { _ = try await sender.sendDue(now: Self.slot.addingTimeInterval(later)) }
        #expect(await transport.count("https://8.8.8.8/mine") == 1)
        #expect(await transport.count("https://8.8.8.8/lab") == 1)
        let mine = try WebhookPayloadTests.json(try #require(await transport.bodies("https://8.8.8.8/mine").first))
        #expect((mine["text"] as? String)?.hasPrefix("Quire daily digest, Fri, Oct 25, 2024") == true)
        let labPost = try WebhookPayloadTests.json(try #require(await transport.bodies("https://8.8.8.8/lab").first))
        let embeds = try #require(labPost["embeds"] as? [[String: Any]])
        #expect(embeds.count == 1 && embeds[0]["title"] as? String == "New from Deep Lab")
        #expect((embeds[0]["description"] as? String)?.contains("/papers/\(claimed.id)") == true)
    }

    @Test func aFailureIsRetriedAfterTheBackoffAndFiveDisableWithAMail() async throws {
        let transport = RecordingTransport(statuses: [500, 200] + Array(repeating: 503, count: 10))
        let (sender, store, ada, _, outbox) = try await Self.setUp(transport)
        let hook = try await WebhookActions(store: store, addressCheck: WebhookAddressCheck()).add(url: "https://8.8.8.8/x", format: "matrix", by: ada)
        #expect(try await sender.sendDue(now: Self.slot).failed == 1)
        #expect(try await sender.sendDue(now: Self.slot.addingTimeInterval(59)).failed == 0)
        #expect(try await sender.sendDue(now: Self.slot.addingTimeInterval(60)).posted == 1)
        #expect(await transport.count("https://8.8.8.8/x") == 2)
        // The next weekday's slot fails five times, with backoff, and the webhook is disabled.
        var now = Self.at("2024-10-28T07:00:00Z"), wait = 60.0, last = WebhookSender.Report()
        for _ in 1...WebhookActions.maxFailures {
            last = try await sender.sendDue(now: now)
            now = now.addingTimeInterval(wait); wait *= 2
        }
        #expect(last.disabled == 1)
        #expect(try await store.webhook(id: hook.id)?.disabledAt != nil)
        _ = try await sender.sendDue(now: now.addingTimeInterval(86_400))
        #expect(await transport.count("https://8.8.8.8/x") == 2 + WebhookActions.maxFailures)
        let mails = try FileManager.default.contentsOfDirectory(atPath: outbox.path)
        #expect(mails.count == 1)
        let text = try String(contentsOf: outbox.appendingPathComponent(try #require(mails.first)), encoding: .utf8)
        #expect(text.contains("Subject: Quire: your webhook was disabled") && text.contains("To: ada <ada@example.org>"))
    }
}
