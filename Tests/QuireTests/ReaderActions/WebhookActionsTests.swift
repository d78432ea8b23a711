import Foundation
import QuireCore
import ReaderActions
import Storage
import Testing

/// The rules of webhooks, against the in-memory store: where they may point,
/// who may add one for an organization, backoff, and disabling.
@Suite struct WebhookActionsTests {
    static let start = Timestamp.parse("2026-11-23T07:00:00Z") ?? Date(timeIntervalSince1970: 0)

    static func setUp() async throws -> (WebhookActions, InMemoryStore, User) {
        let store = InMemoryStore()
        let ada = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "x", role: .reader, now: start)
        return (WebhookActions(store: store, addressCheck: WebhookAddressCheck(), retryBase: 60, now: { start }), store, ada)
    }

    @Test(arguments: [
        ("http://127.0.0.1/hook", "slack", "webhooks go over https only, not http://"),
        ("https://127.0.0.1/hook", "slack", "127.0.0.1 is a loopback address: webhooks go only to public internet addresses"),
        ("https://192.168.0.10/hook", "discord", "192.168.0.10 is a private address (192.168.0.0/16): webhooks go only to public internet addresses"),
        ("https://8.8.8.8/hook", "teams", "choose the format the service expects: Slack, Discord or Matrix"),
    ])
    func badAddressesAndFormatsAreRefusedWithTheReason(_ url: String, _ format: String, _ message: String) async throws {
        let (webhooks, store, ada) = try await Self.setUp()
        await #expect(throws: Refusal.invalid(message)) { try await webhooks.add(url: url, format: format, by: ada) }
        #expect(try await store.webhooks(userID: ada.id).isEmpty)
    }

    @Test func aReaderAddsUpToTheCapAndRemovesOnlyTheirOwn() async throws {
        let (webhooks, store, ada) = try await Self.setUp()
        let bob = try await store.createUser(username: "bob", email: "bob@example.org", passwordHash: "x", role: .reader, now: Self.start)
        let hook = try await webhooks.add(url: " https://8.8.8.8/services/T0/B0/secret ", format: "Slack", by: ada)
        #expect(hook.url == "https://8.8.8.8/services/T0/B0/secret" && hook.format == .slack)
        #expect(hook.shownAddress == "https://8.8.8.8/…cret")
        for n in 1..<WebhookActions.maxPerReader { _ = try await webhooks.add(url: "https://8.8.8.8/\(n)", format: "discord", by: ada) }
        await #expect(throws: Refusal.ruleBroken("you have 10 webhooks, the most one reader may keep: remove one first")) {
            try await webhooks.add(url: "https://8.8.8.8/x", format: "matrix", by: ada)
        }
        await #expect(throws: Refusal.notFound("you have no webhook \(hook.id)")) { try await webhooks.remove(hook.id, by: bob) }
        try await webhooks.remove(hook.id, by: ada)
        #expect(try await store.webhook(id: hook.id) == nil)
    }

    @Test func onlyAnOrganizationsAdminAddsOneForIt() async throws {
        let (webhooks, store, ada) = try await Self.setUp()
        let bob = try await store.createUser(username: "bob", email: "bob@example.org", passwordHash: "x", role: .reader, now: Self.start)
        let lab = try await store.createOrganization(name: "Deep Lab", adminUserID: ada.id)
        let hook = try await webhooks.add(url: "https://8.8.8.8/lab", format: "matrix", organization: lab.slug, by: ada)
        #expect(hook.organizationSlug == lab.slug)
        await #expect(throws: Refusal.forbidden("only an admin of '\(lab.slug)' can add a webhook for it")) {
            try await webhooks.add(url: "https://8.8.8.8/lab", format: "matrix", organization: lab.slug, by: bob)
        }
    }

    /// An organization's webhook belongs to the organization: every approved
    /// admin sees it and may test, turn on or remove it; a member or a
    /// stranger cannot (nor learn that it exists), and the reader's own stay theirs.
    @Test func everyAdminOfTheOrganizationManagesItsWebhooks() async throws {
        let (webhooks, store, ada) = try await Self.setUp()
        var others: [User] = []
        for name in ["bob", "cy", "dee"] {
            others.append(try await store.createUser(username: name, email: "\(name)@example.org", passwordHash: "x", role: .reader, now: Self.start))
        }
        let (bob, cy, dee) = (others[0], others[1], others[2])
        let lab = try await store.createOrganization(name: "Deep Lab", adminUserID: ada.id)
        try await store.approveMembership(organizationSlug: lab.slug, userID: bob.id, role: .admin, now: Self.start)
        try await store.approveMembership(organizationSlug: lab.slug, userID: cy.id, role: .member, now: Self.start)
        _ = try await store.requestMembership(organizationSlug: lab.slug, userID: dee.id, now: Self.start)
        let labHook = try await webhooks.add(url: "https://8.8.8.8/lab", format: "slack", organization: lab.slug, by: ada)
        let adasOwn = try await webhooks.add(url: "https://8.8.8.8/ada", format: "slack", by: ada)
        let bobsOwn = try await webhooks.add(url: "https://8.8.8.8/bob", format: "discord", by: bob)

        #expect(try await webhooks.webhooks(of: ada).map(\.id) == [labHook.id, adasOwn.id])
        #expect(try await webhooks.webhooks(of: bob).map(\.id) == [labHook.id, bobsOwn.id])
        #expect(try await webhooks.webhooks(of: cy).isEmpty)
        #expect(try await webhooks.webhooks(of: dee).isEmpty)
        #expect(try await webhooks.manageable(labHook.id, by: bob) == labHook)
        for outsider in [cy, dee] {
            await #expect(throws: Refusal.notFound("you have no webhook \(labHook.id)")) { try await webhooks.remove(labHook.id, by: outsider) }
        }
        await #expect(throws: Refusal.notFound("you have no webhook \(adasOwn.id)")) { try await webhooks.remove(adasOwn.id, by: bob) }
        try await store.setWebhookDisabled(id: labHook.id, at: Self.start)
        try await webhooks.enable(labHook.id, by: bob)
        #expect(try await store.webhook(id: labHook.id)?.disabledAt == nil)
        try await webhooks.remove(labHook.id, by: bob)
        #expect(try await store.webhook(id: labHook.id) == nil)
        #expect(try await webhooks.webhooks(of: ada).map(\.id) == [adasOwn.id])
    }

    /// A failed post is retried after 60 s, then 120 s, …; the fifth failure
    /// in a row disables the webhook, and says so once.
    @Test func failuresBackOffThenDisable() async throws {
        let (webhooks, store, ada) = try await Self.setUp()
        let hook = try await webhooks.add(url: "https://8.8.8.8/hook", format: "slack", by: ada)
        var now = Self.start
        var outcomes: [WebhookActions.FailureOutcome] = []
        for attempt in 1...WebhookActions.maxFailures {
            guard case .claimed(let delivery) = try await webhooks.claim(hook, slot: "2026-11-23", staleAfter: 600, now: now) else {
                Issue.record("attempt \(attempt) not claimed"); return
            }
            #expect(delivery.attempts == attempt)
            outcomes.append(try await webhooks.recordFailure(hook, delivery: delivery, paperIDs: ["p"], error: "HTTP 500", now: now))
            guard case .retryAfter(let wait) = outcomes.last else { break }
            #expect(wait == 60 * pow(2, Double(attempt - 1)))
            // Not before the backoff has passed.
            #expect(try await webhooks.claim(hook, slot: "2026-11-23", staleAfter: 600, now: now.addingTimeInterval(wait - 1)) == .inProgress)
            now = now.addingTimeInterval(wait)
        }
        #expect(outcomes.last == .disabled && outcomes.dropLast().allSatisfy { $0 != .disabled })
        let disabled = try #require(try await store.webhook(id: hook.id))
        #expect(disabled.disabledAt != nil && disabled.failures == WebhookActions.maxFailures)
        #expect(try await store.delivery(userID: ada.id, kind: hook.ledgerKind, slot: "2026-11-23")?.status == .failed)
        try await webhooks.enable(hook.id, by: ada)
        #expect(try await store.webhook(id: hook.id)?.disabledAt == nil)
    }

    @Test func aSuccessClosesTheSlotAndResetsTheCount() async throws {
        let (webhooks, store, ada) = try await Self.setUp()
        let hook = try await webhooks.add(url: "https://8.8.8.8/hook", format: "discord", by: ada)
        guard case .claimed(let first) = try await webhooks.claim(hook, slot: "s", staleAfter: 600, now: Self.start) else { return }
        _ = try await webhooks.recordFailure(hook, delivery: first, paperIDs: ["p"], error: "HTTP 500", now: Self.start)
        guard case .claimed(let retry) = try await webhooks.claim(hook, slot: "s", staleAfter: 600, now: Self.start.addingTimeInterval(60)) else { return }
        try await webhooks.recordPosted(hook, delivery: retry, paperIDs: ["p"], now: Self.start.addingTimeInterval(60))
        #expect(try await store.webhook(id: hook.id)?.failures == 0)
        guard case .finished(let done) = try await webhooks.claim(hook, slot: "s", staleAfter: 600, now: Self.start.addingTimeInterval(999)) else {
            Issue.record("posted twice"); return
        }
        #expect(done.status == .sent && done.paperIDs == ["p"])
    }
}
