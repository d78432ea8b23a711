import Foundation
import Storage

/// Webhooks: who may add one and where it may point, and the rules of
/// posting digests to them. Each post is a row of the digest delivery
/// ledger (kind `Webhook.ledgerKind`, one per webhook and slot), claimed
/// exactly once as mail is. A failed post stays claimed and is retried
/// after an exponential backoff; after `maxFailures` failures in a row the
/// webhook is disabled (its owner is then mailed, by the sender).
public struct WebhookActions: Sendable {
    /// Webhooks one reader may add (each is posted to in every digest).
    public static let maxPerReader = 10
    /// Failed posts in a row that disable a webhook.
    public static let maxFailures = 5

    let store: any WebhookStore & DigestStore & SignalStore
    let addressCheck: WebhookAddressCheck
    /// The first retry's wait; each next one waits twice as long.
    let retryBase: TimeInterval
    let now: @Sendable () -> Date

    public init(store: any WebhookStore & DigestStore & SignalStore, addressCheck: WebhookAddressCheck, retryBase: TimeInterval = 60,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store; self.addressCheck = addressCheck; self.retryBase = max(1, retryBase); self.now = now
    }

    /// Adds a webhook after checking its address (resolved, never inside
    /// this network: `.invalid` with the reason) and format. With an
    /// organization, only its approved admins may, for the organization.
    public func add(url: String, format: String, organization: String? = nil, by user: User) async throws -> Webhook {
        guard let format = Webhook.Format(rawValue: format.lowercased()) else {
            throw Refusal.invalid("choose the format the service expects: Slack, Discord or Matrix")
        }
        do {
            _ = try await addressCheck.check(url)
        } catch {
            throw Refusal.invalid(error.description)
        }
        let checked = url.trimmingCharacters(in: .whitespaces)
        var slug: String?
        if let organization, !organization.isEmpty {
            let membership = try await store.membership(organizationSlug: organization, userID: user.id)
            guard membership?.role == .admin, membership?.status == .approved else {
                throw Refusal.forbidden("only an admin of '\(organization.prefix(80))' can add a webhook for it")
            }
            slug = organization
        }
        switch try await store.addWebhook(userID: user.id, organizationSlug: slug, url: checked, format: format, now: now(), ifFewerThan: Self.maxPerReader) {
        case .added(let webhook): return webhook
        case .capReached(let count): throw Refusal.ruleBroken("you have \(count) webhooks, the most one reader may keep: remove one first")
        }
    }

    /// The webhooks the reader may manage, by id: those they added, and
    /// every webhook of each organization they are an approved admin of
    /// (whichever admin added it).
    public func webhooks(of user: User) async throws -> [Webhook] {
        var byID: [Int: Webhook] = [:]
        for webhook in try await store.webhooks(userID: user.id) { byID[webhook.id] = webhook }
        for slug in try await store.organizationSlugs(userID: user.id, approvedAs: .admin) {
            for webhook in try await store.webhooks(organizationSlug: slug) { byID[webhook.id] = webhook }
        }
        return byID.values.sorted { $0.id < $1.id }
    }

    /// A webhook the reader may manage: one they added, or one of an
    /// organization they are an approved admin of. Any other is `.notFound`,
    /// as a missing one (its existence is nobody else's business).
    public func manageable(_ id: Int, by user: User) async throws -> Webhook {
        guard let webhook = try await store.webhook(id: id) else { throw Refusal.notFound("you have no webhook \(id)") }
        if webhook.userID == user.id { return webhook }
        if let slug = webhook.organizationSlug, let membership = try await store.membership(organizationSlug: slug, userID: user.id),
           membership.role == .admin, membership.status == .approved {
            return webhook
        }
        throw Refusal.notFound("you have no webhook \(id)")
    }

    public func remove(_ id: Int, by user: User) async throws {
        try await store.deleteWebhook(id: try await manageable(id, by: user).id)
    }

    /// Turns a disabled webhook on again, its failure count reset.
    public func enable(_ id: Int, by user: User) async throws {
        try await store.setWebhookDisabled(id: try await manageable(id, by: user).id, at: nil)
    }

    // MARK: Posting

    /// The wait before retry number `attempt` (1 for the first retry):
    /// `retryBase` doubled each time, at most a day.
    public func backoff(beforeRetry attempt: Int) -> TimeInterval {
        min(86_400, retryBase * pow(2, Double(min(max(attempt - 1, 0), 20))))
    }

    /// Takes the post of `slot` to `webhook`: only the caller that gets
    /// `.claimed` posts. A post that failed is taken again once its backoff
    /// has passed; one in flight (no error yet) after `staleAfter`.
    public func claim(_ webhook: Webhook, slot: String, staleAfter: TimeInterval, now: Date) async throws -> DeliveryClaim {
        let kind = webhook.ledgerKind
        let existing = try await store.delivery(userID: webhook.userID, kind: kind, slot: slot)
        let wait = existing.flatMap { $0.status == .sending && $0.lastError != nil ? backoff(beforeRetry: $0.attempts) : nil } ?? staleAfter
        return try await store.claimDelivery(userID: webhook.userID, kind: kind, slot: slot, messageID: "webhook-\(webhook.id)-\(slot)",
                                             now: now, staleAfter: wait)
    }

    /// The service took the post: the slot is done and the failure count starts again.
    public func recordPosted(_ webhook: Webhook, delivery: Delivery, paperIDs: [String], now: Date) async throws {
        try await store.finishDelivery(id: delivery.id, status: .sent, paperIDs: paperIDs, error: nil, now: now)
        try await store.recordWebhookSuccess(id: webhook.id)
    }

    /// What a failed post comes to.
    public enum FailureOutcome: Sendable, Equatable {
        /// Tried again once this much time has passed.
        case retryAfter(TimeInterval)
        /// This failure disabled the webhook: its owner is to be told.
        case disabled
    }

    /// Counts a failed post: retried after the backoff, or, at `maxFailures`
    /// in a row, the webhook is disabled and the delivery closed as failed.
    public func recordFailure(_ webhook: Webhook, delivery: Delivery, paperIDs: [String], error: String, now: Date) async throws -> FailureOutcome {
        let failures = try await store.recordWebhookFailure(id: webhook.id, error: error)
        guard failures < Self.maxFailures else {
            try await store.setWebhookDisabled(id: webhook.id, at: now)
            try await store.finishDelivery(id: delivery.id, status: .failed, paperIDs: paperIDs, error: error, now: now)
            // The count passes maxFailures exactly once: only that failure tells the owner.
            return failures == Self.maxFailures ? .disabled : .retryAfter(.infinity)
        }
        try await store.recordDeliveryError(id: delivery.id, error: error)
        return .retryAfter(backoff(beforeRetry: delivery.attempts))
    }
}
