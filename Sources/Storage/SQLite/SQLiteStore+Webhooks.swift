import Foundation
import QuireCore

extension SQLiteStore: WebhookStore {
    private static let webhookColumns = "id, user_id, organization_slug, url, format, failures, last_error, disabled_at, created_at"
    private static func webhook(_ r: SQLiteConnection.Row) -> Webhook {
        Webhook(id: r.int(0), userID: r.int(1), organizationSlug: r.optionalString(2), url: r.string(3),
                format: Webhook.Format(rawValue: r.string(4)) ?? .slack, failures: r.int(5), lastError: r.optionalString(6),
                disabledAt: date(r.optionalString(7)), createdAt: date(r.string(8)) ?? Date(timeIntervalSince1970: 0))
    }

    public func addWebhook(userID: Int, organizationSlug: String?, url: String, format: Webhook.Format, now: Date, ifFewerThan cap: Int) async throws -> WebhookWrite {
        try await write { db in
            try db.transaction {
                let count = try db.queryOne("SELECT count(*) FROM webhooks WHERE user_id = ?", [userID]) { $0.int(0) } ?? 0
                if count >= cap { return .capReached(count) }
                try db.run("INSERT INTO webhooks (user_id, organization_slug, url, format, created_at) VALUES (?, ?, ?, ?, ?)",
                           [userID, organizationSlug, url, format.rawValue, Timestamp.format(now)])
                guard let added = try db.queryOne("SELECT \(Self.webhookColumns) FROM webhooks WHERE id = ?", [Int(db.lastInsertRowID)], Self.webhook) else {
                    throw Refusal.notFound("the webhook vanished while it was being added")
                }
                return .added(added)
            }
        }
    }

    public func webhooks(userID: Int) async throws -> [Webhook] {
        try await read { db in try db.query("SELECT \(Self.webhookColumns) FROM webhooks WHERE user_id = ? ORDER BY id", [userID], Self.webhook) }
    }

    public func webhooks(organizationSlug: String) async throws -> [Webhook] {
        try await read { db in
            try db.query("SELECT \(Self.webhookColumns) FROM webhooks WHERE organization_slug = ? ORDER BY id", [organizationSlug], Self.webhook)
        }
    }

    public func webhook(id: Int) async throws -> Webhook? {
        try await read { db in try db.queryOne("SELECT \(Self.webhookColumns) FROM webhooks WHERE id = ?", [id], Self.webhook) }
    }

    public func deleteWebhook(id: Int) async throws {
        try await write { db in
            try db.run("DELETE FROM webhooks WHERE id = ?", [id])
            if db.changes == 0 { throw Refusal.notFound("there is no webhook \(id)") }
        }
    }

    public func recordWebhookFailure(id: Int, error: String) async throws -> Int {
        try await write { db in
            guard let failures = try db.queryOne("UPDATE webhooks SET failures = failures + 1, last_error = ? WHERE id = ? RETURNING failures",
                                                 [error, id], { $0.int(0) }) else {
                throw Refusal.notFound("there is no webhook \(id)")
            }
            return failures
        }
    }

    public func recordWebhookSuccess(id: Int) async throws {
        try await write { db in try db.run("UPDATE webhooks SET failures = 0, last_error = NULL WHERE id = ?", [id]) }
    }

    public func setWebhookDisabled(id: Int, at: Date?) async throws {
        try await write { db in
            if let at {
                try db.run("UPDATE webhooks SET disabled_at = ? WHERE id = ?", [Timestamp.format(at), id])
            } else {
                try db.run("UPDATE webhooks SET disabled_at = NULL, failures = 0 WHERE id = ?", [id])
            }
            if db.changes == 0 { throw Refusal.notFound("there is no webhook \(id)") }
        }
    }
}
