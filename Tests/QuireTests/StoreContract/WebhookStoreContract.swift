import Foundation
import QuireCore
import Storage
import Testing

/// What every `WebhookStore` keeps true: the reader's cap, atomic failure
/// counts, disabling and enabling, and nothing left after the account.
@Suite(.postgresSchemas) struct WebhookStoreContract {
    typealias Store = AccountStore & DigestStore & WebhookStore

    static let now = Timestamp.parse("2026-11-23T07:00:00Z") ?? Date(timeIntervalSince1970: 0)

    @Test(arguments: StoreImplementation.allCases)
    func webhooksAreAddedUpToTheCapListedAndRemoved(_ implementation: StoreImplementation) async throws {
        let store = try await implementation.make(as: (any Store).self)
        let ada = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "x", role: .reader, now: Self.now)
        let bob = try await store.createUser(username: "bob", email: "bob@example.org", passwordHash: "x", role: .reader, now: Self.now)
        guard case .added(let first) = try await store.addWebhook(userID: ada.id, organizationSlug: nil, url: "https://hooks.example/a",
                                                                  format: .slack, now: Self.now, ifFewerThan: 2) else {
            Issue.record("not added"); return
        }
        #expect(first.userID == ada.id && first.url == "https://hooks.example/a" && first.format == .slack && first.failures == 0
                && first.disabledAt == nil && first.organizationSlug == nil && first.createdAt == Self.now)
        guard case .added(let second) = try await store.addWebhook(userID: ada.id, organizationSlug: "deep-lab", url: "https://hooks.example/b",
                                                                   format: .matrix, now: Self.now, ifFewerThan: 2) else {
            Issue.record("not added"); return
        }
        #expect(try await store.addWebhook(userID: ada.id, organizationSlug: nil, url: "https://hooks.example/c", format: .discord,
                                           now: Self.now, ifFewerThan: 2) == .capReached(2))
        _ = try await store.addWebhook(userID: bob.id, organizationSlug: nil, url: "https://hooks.example/d", format: .discord, now: Self.now, ifFewerThan: 2)
        #expect(try await store.webhooks(userID: ada.id) == [first, second])
        #expect(try await store.webhooks(organizationSlug: "deep-lab") == [second])
        #expect(try await store.webhook(id: second.id) == second)
        try await store.deleteWebhook(id: first.id)
        await #expect(throws: Refusal.notFound("there is no webhook \(first.id)")) { try await store.deleteWebhook(id: first.id) }
        #expect(try await store.webhooks(userID: ada.id) == [second])
        // Gone with the account; another reader's stay.
        try await store.deleteUser(id: ada.id)
        #expect(try await store.webhooks(userID: ada.id) == [])
        #expect(try await store.webhook(id: second.id) == nil)
        #expect(try await store.webhooks(userID: bob.id).count == 1)
    }

    /// Ten failures at once count 1 to 10, each once: exactly one of them reaches any threshold.
    @Test(arguments: StoreImplementation.allCases)
    func failuresAreCountedAtomicallyAndResetBySuccess(_ implementation: StoreImplementation) async throws {
        let store = try await implementation.make(as: (any Store).self)
        let ada = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "x", role: .reader, now: Self.now)
        guard case .added(let hook) = try await store.addWebhook(userID: ada.id, organizationSlug: nil, url: "https://hooks.example/a",
                                                                 format: .discord, now: Self.now, ifFewerThan: 10) else { return }
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for n in 0..<10 { group.addTask { try await store.recordWebhookFailure(id: hook.id, error: "HTTP 500 (\(n))") } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(counts.sorted() == Array(1...10))
        let failing = try #require(try await store.webhook(id: hook.id))
        #expect(failing.failures == 10 && failing.lastError?.hasPrefix("HTTP 500") == true)
        try await store.recordWebhookSuccess(id: hook.id)
        let fine = try #require(try await store.webhook(id: hook.id))
        #expect(fine.failures == 0 && fine.lastError == nil)

        _ = try await store.recordWebhookFailure(id: hook.id, error: "timeout")
        try await store.setWebhookDisabled(id: hook.id, at: Self.now)
        #expect(try await store.webhook(id: hook.id)?.disabledAt == Self.now)
        try await store.setWebhookDisabled(id: hook.id, at: nil)
        let again = try #require(try await store.webhook(id: hook.id))
        #expect(again.disabledAt == nil && again.failures == 0)
        await #expect(throws: Refusal.self) { try await store.recordWebhookFailure(id: hook.id + 1000, error: "x") }
        await #expect(throws: Refusal.self) { try await store.setWebhookDisabled(id: hook.id + 1000, at: nil) }
    }

    /// Each webhook has its own rows in the digest ledger: one post per webhook and slot.
    @Test(arguments: StoreImplementation.allCases)
    func eachWebhookHasItsOwnLedgerRow(_ implementation: StoreImplementation) async throws {
        let store = try await implementation.make(as: (any Store).self)
        let ada = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "x", role: .reader, now: Self.now)
        let kinds = ["digest", "webhook-1", "webhook-2"]
        for kind in kinds {
            guard case .claimed = try await store.claimDelivery(userID: ada.id, kind: kind, slot: "2026-11-23", messageID: "<m>", now: Self.now, staleAfter: 600) else {
                Issue.record("\(kind) not claimed"); continue
            }
        }
        #expect(try await store.claimDelivery(userID: ada.id, kind: "webhook-1", slot: "2026-11-23", messageID: "<m>", now: Self.now, staleAfter: 600) == .inProgress)
        let row = try #require(try await store.delivery(userID: ada.id, kind: "webhook-2", slot: "2026-11-23"))
        #expect(row.kind == "webhook-2" && row.status == .sending && row.attempts == 1)
        #expect(try await store.delivery(userID: ada.id, kind: "webhook-3", slot: "2026-11-23") == nil)
    }
}
