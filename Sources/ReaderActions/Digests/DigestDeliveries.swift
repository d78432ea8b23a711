import Foundation
import Storage

/// The rules of sending digests, for the sender (`DigestSender`) to follow:
/// whose digest is due and for which slot, which papers count as mailed
/// already, and what the delivery ledger records for each outcome. The
/// sender builds and mails; deciding and recording happen here, once.
public struct DigestDeliveries: Sendable {
    /// The ledger's name for the digest mail (one per reader and slot).
    public static let kind = "digest"
    /// How far back a paper counts as mailed: no digest repeats one mailed within it.
    public static let mailedWithin: TimeInterval = 60 * 86_400

    /// A digest due now: its reader, their settings and the slot it fills.
    public struct Due: Sendable {
        public var user: User
        public var subscription: Subscription
        public var slot: DigestSlot
        public init(user: User, subscription: Subscription, slot: DigestSlot) {
            self.user = user; self.subscription = subscription; self.slot = slot
        }
    }

    let store: any DigestStore
    /// How long a claimed delivery may stay `sending` before another run
    /// takes it over (its sender is taken to have died).
    let staleAfter: TimeInterval

    public init(store: any DigestStore, staleAfter: TimeInterval) { self.store = store; self.staleAfter = staleAfter }

    /// The digests due at `now`: each reader's latest slot, once it comes
    /// after they turned the digest on. Readers who have not confirmed their
    /// address get none and are listed apart. `onlyUser` limits this to one reader.
    public func due(now: Date, onlyUser: String? = nil) async throws -> (due: [Due], unconfirmed: [User]) {
        var due: [Due] = [], unconfirmed: [User] = []
        for (user, subscription) in try await store.activeSubscriptions() where onlyUser == nil || user.username == onlyUser?.lowercased() {
            guard let slot = DigestSchedule.latestSlot(for: subscription, now: now), DigestSchedule.isDue(slot, subscription: subscription) else { continue }
            if user.emailConfirmed { due.append(Due(user: user, subscription: subscription, slot: slot)) } else { unconfirmed.append(user) }
        }
        return (due, unconfirmed)
    }

    /// The reader's last digest, if any (where the next one's window starts).
    public func lastSent(to user: User) async throws -> Delivery? {
        try await store.lastDelivery(userID: user.id, kind: Self.kind)
    }

    /// Papers mailed (or being mailed) to the reader within `mailedWithin`,
    /// other than in `delivery`: a digest leaves them out.
    public func mailed(to user: User, now: Date, excluding delivery: Delivery? = nil) async throws -> Set<String> {
        try await store.mailedPaperIDs(userID: user.id, kind: Self.kind, since: now.addingTimeInterval(-Self.mailedWithin), excludingDelivery: delivery?.id)
    }

    /// Takes the digest for this run: only the run that gets `.claimed` sends it.
    public func claim(_ due: Due, messageID: String, now: Date) async throws -> DeliveryClaim {
        try await store.claimDelivery(userID: due.user.id, kind: Self.kind, slot: due.slot.key, messageID: messageID, now: now, staleAfter: staleAfter)
    }

    /// Nothing new to say: no mail, and the slot is done.
    public func recordNothingNew(_ delivery: Delivery, now: Date) async throws {
        try await store.finishDelivery(id: delivery.id, status: .skipped, paperIDs: [], error: nil, now: now)
    }

    /// What the mail holds, written before it is handed over: a crash from
    /// then on leaves a row that says what was (being) sent.
    public func recordContent(_ delivery: Delivery, paperIDs: [String]) async throws {
        try await store.recordDeliveryContent(id: delivery.id, paperIDs: paperIDs)
    }

    public func recordSent(_ delivery: Delivery, paperIDs: [String], now: Date) async throws {
        try await store.finishDelivery(id: delivery.id, status: .sent, paperIDs: paperIDs, error: nil, now: now)
    }

    /// Refused for good (a permanent mail error): never retried.
    public func recordRefused(_ delivery: Delivery, paperIDs: [String], error: String, now: Date) async throws {
        try await store.finishDelivery(id: delivery.id, status: .failed, paperIDs: paperIDs, error: error, now: now)
    }

    /// A failure that may pass: the delivery stays `sending`, for a later run
    /// to take over once it is stale.
    public func recordRetry(_ delivery: Delivery, error: String) async throws {
        try await store.recordDeliveryError(id: delivery.id, error: error)
    }
}
