import Foundation

extension InMemoryStore: WebhookStore {
    public func addWebhook(userID: Int, organizationSlug: String?, url: String, format: Webhook.Format, now: Date, ifFewerThan cap: Int) async throws -> WebhookWrite {
        let count = webhooks.values.filter { $0.userID == userID }.count
        if count >= cap { return .capReached(count) }
        lastWebhookID += 1
        let webhook = Webhook(id: lastWebhookID, userID: userID, organizationSlug: organizationSlug, url: url, format: format, createdAt: Self.stored(now))
        webhooks[webhook.id] = webhook
        return .added(webhook)
    }

    public func webhooks(userID: Int) async throws -> [Webhook] {
        webhooks.values.filter { $0.userID == userID }.sorted { $0.id < $1.id }
    }

    public func webhooks(organizationSlug: String) async throws -> [Webhook] {
        webhooks.values.filter { $0.organizationSlug == organizationSlug }.sorted { $0.id < $1.id }
    }

    public func webhook(id: Int) async throws -> Webhook? { webhooks[id] }

    public func deleteWebhook(id: Int) async throws {
        guard webhooks.removeValue(forKey: id) != nil else { throw Refusal.notFound("there is no webhook \(id)") }
    }

    public func recordWebhookFailure(id: Int, error: String) async throws -> Int {
        guard var webhook = webhooks[id] else { throw Refusal.notFound("there is no webhook \(id)") }
        webhook.failures += 1
        webhook.lastError = error
        webhooks[id] = webhook
        return webhook.failures
    }

    public func recordWebhookSuccess(id: Int) async throws {
        webhooks[id]?.failures = 0
        webhooks[id]?.lastError = nil
    }

    public func setWebhookDisabled(id: Int, at: Date?) async throws {
        guard webhooks[id] != nil else { throw Refusal.notFound("there is no webhook \(id)") }
        webhooks[id]?.disabledAt = at.map(Self.stored)
        if at == nil { webhooks[id]?.failures = 0 }
    }
}
