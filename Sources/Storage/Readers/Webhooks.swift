import Foundation

/// An incoming-webhook address a reader (or an organization's admin, for the
/// organization) has digests posted to: Slack, Discord or a Matrix bridge.
public struct Webhook: Sendable, Codable, Equatable {
    /// The JSON the receiving service expects.
    public enum Format: String, Sendable, Codable, CaseIterable {
        /// Slack's incoming webhooks: `{"text", "blocks"}`.
        case slack
        /// Discord's webhooks: `{"content", "embeds"}`.
        case discord
        /// Matrix through a webhook bridge (matrix-hookshot's generic
        /// webhooks): `{"text", "format": "org.matrix.custom.html", "html"}`.
        case matrix
    }

    public var id: Int
    /// Who added it: their digest schedule sends it, and they are mailed when it is disabled.
    public var userID: Int
    /// Set when an admin of the organization added it for the organization:
    /// it then posts the organization's new papers, and every admin of the
    /// organization may remove it.
    public var organizationSlug: String?
    public var url: String
    public var format: Format
    /// Failed attempts in a row (any success resets it).
    public var failures: Int
    public var lastError: String?
    /// When repeated failures turned it off; nil while it sends.
    public var disabledAt: Date?
    public var createdAt: Date

    public init(id: Int, userID: Int, organizationSlug: String?, url: String, format: Format, failures: Int = 0,
                lastError: String? = nil, disabledAt: Date? = nil, createdAt: Date) {
        self.id = id; self.userID = userID; self.organizationSlug = organizationSlug; self.url = url; self.format = format
        self.failures = failures; self.lastError = lastError; self.disabledAt = disabledAt; self.createdAt = createdAt
    }

    /// Its name in the delivery ledger: one delivery per webhook and slot.
    public var ledgerKind: String { "webhook-\(id)" }
}

/// What `WebhookStore.addWebhook` did.
public enum WebhookWrite: Sendable, Equatable {
    case added(Webhook)
    /// The reader has this many webhooks: the cap or more. Nothing was written.
    case capReached(Int)
}

/// Where webhooks live. Their deliveries go in the digest ledger
/// (`DigestStore.claimDelivery`, kind `Webhook.ledgerKind`).
public protocol WebhookStore: Sendable {
    /// Adds one unless the reader has `cap` or more (checked and written in one transaction).
    func addWebhook(userID: Int, organizationSlug: String?, url: String, format: Webhook.Format, now: Date, ifFewerThan cap: Int) async throws -> WebhookWrite
    /// The webhooks the reader added, by id.
    func webhooks(userID: Int) async throws -> [Webhook]
    /// The webhooks added for an organization, by id.
    func webhooks(organizationSlug: String) async throws -> [Webhook]
    func webhook(id: Int) async throws -> Webhook?
    /// `.notFound` when there is none.
    func deleteWebhook(id: Int) async throws
    /// Counts a failed attempt; returns the failures in a row, this one
    /// included (one atomic update, so each count is returned once).
    func recordWebhookFailure(id: Int, error: String) async throws -> Int
    /// A post went through: the failure count starts again.
    func recordWebhookSuccess(id: Int) async throws
    /// Turns it off (`at` a date) or on again (nil, with the failure count reset).
    func setWebhookDisabled(id: Int, at: Date?) async throws
}

extension Webhook {
    /// The address as pages and mails show it: the host and the last few
    /// characters only, since a webhook URL is a secret (anyone holding it can post).
    public var shownAddress: String {
        guard let parts = URLComponents(string: url), let host = parts.host else { return "(an address)" }
        let path = parts.percentEncodedPath
        return "\(parts.scheme ?? "https")://\(host)" + (parts.port.map { ":\($0)" } ?? "") + (path.count > 1 ? "/…" + String(path.suffix(4)) : "")
    }
}
