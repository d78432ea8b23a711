import Foundation
import PostgresNIO
import QuireCore
import Storage

extension PostgresStore: WebhookStore {
    static let webhookColumns = "id, user_id, organization_slug, url, format, failures, last_error, disabled_at, created_at"
    typealias WebhookRow = (Int, Int, String?, String, String, Int, String?, Date?, Date)
    static func webhook(_ r: WebhookRow) -> Webhook {
        Webhook(id: r.0, userID: r.1, organizationSlug: r.2, url: r.3, format: Webhook.Format(rawValue: r.4) ?? .slack, failures: r.5,
                lastError: r.6, disabledAt: r.7, createdAt: r.8)
    }

    public func addWebhook(userID: Int, organizationSlug: String?, url: String, format: Webhook.Format, now: Date, ifFewerThan cap: Int) async throws -> WebhookWrite {
        try await write { db in
            // The reader's row lock makes their additions take turns, so the count sees each one.
            guard try await db.run("SELECT id FROM users WHERE id = \(userID) FOR NO KEY UPDATE", logger).value(Int.self) != nil else {
                throw Refusal.notFound("no such user")
            }
            let count = try await db.run("SELECT count(*) FROM webhooks WHERE user_id = \(userID)", logger).value(Int.self) ?? 0
            if count >= cap { return .capReached(count) }
            guard let added = try await db.run("""
                INSERT INTO webhooks (user_id, organization_slug, url, format, created_at)
                VALUES (\(userID), \(organizationSlug), \(url), \(format.rawValue), \(now)) RETURNING \(unescaped: Self.webhookColumns)
                """, logger).first(WebhookRow.self) else { throw Refusal.notFound("the webhook vanished while it was being added") }
            return .added(Self.webhook(added))
        }
    }

    public func webhooks(userID: Int) async throws -> [Webhook] {
        try await execute("SELECT \(unescaped: Self.webhookColumns) FROM webhooks WHERE user_id = \(userID) ORDER BY id")
            .all(WebhookRow.self).map(Self.webhook)
    }

    public func webhooks(organizationSlug: String) async throws -> [Webhook] {
        try await execute("SELECT \(unescaped: Self.webhookColumns) FROM webhooks WHERE organization_slug = \(organizationSlug) ORDER BY id")
            .all(WebhookRow.self).map(Self.webhook)
    }

    public func webhook(id: Int) async throws -> Webhook? {
        try await execute("SELECT \(unescaped: Self.webhookColumns) FROM webhooks WHERE id = \(id)").first(WebhookRow.self).map(Self.webhook)
    }

    public func deleteWebhook(id: Int) async throws {
        try await write { db in
            guard try await db.run("DELETE FROM webhooks WHERE id = \(id) RETURNING id", logger).value(Int.self) != nil else {
                throw Refusal.notFound("there is no webhook \(id)")
            }
        }
    }

    public func recordWebhookFailure(id: Int, error: String) async throws -> Int {
        try await write { db in
            guard let failures = try await db.run("""
                UPDATE webhooks SET failures = failures + 1, last_error = \(error) WHERE id = \(id) RETURNING failures
                """, logger).value(Int.self) else { throw Refusal.notFound("there is no webhook \(id)") }
            return failures
        }
    }

    public func recordWebhookSuccess(id: Int) async throws {
        try await write("UPDATE webhooks SET failures = 0, last_error = NULL WHERE id = \(id)")
    }

    public func setWebhookDisabled(id: Int, at: Date?) async throws {
        try await write { db in
            let changed: Int? = if let at {
                try await db.run("UPDATE webhooks SET disabled_at = \(at) WHERE id = \(id) RETURNING id", logger).value(Int.self)
            } else {
                try await db.run("UPDATE webhooks SET disabled_at = NULL, failures = 0 WHERE id = \(id) RETURNING id", logger).value(Int.self)
            }
            guard changed != nil else { throw Refusal.notFound("there is no webhook \(id)") }
        }
    }
}
