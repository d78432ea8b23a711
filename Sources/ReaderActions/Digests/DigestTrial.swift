import Foundation
import Storage

/// The rules of a digest preview and of "Send a test now": both show the
/// reader's next digest as it would be made now (their settings and time
/// zone, the papers already mailed left out), and neither writes to the
/// delivery ledger, so the real digest of that slot still goes out in full.
/// A test mail says it is one in its subject and has its own Message-ID.
public struct DigestTrial: Sendable {
    /// Test mails one reader may send: each one is a real mail to their address.
    public static let testSends = (count: 5, seconds: 3600.0)
    /// Put before a test mail's subject.
    public static let testSubjectPrefix = "[Test] "

    /// What to build: the reader, the settings used, the slot it fills, and
    /// what the ledger says was mailed before (only read).
    public struct Plan: Sendable {
        public var user: User
        /// The reader's settings; a digest that is off (or never set) is
        /// shown as the default daily one would be, and `isOn` says so.
        public var subscription: Subscription
        public var isOn: Bool
        public var slot: DigestSlot
        public var mailed: Set<String>
        public var lastSent: Date?
    }

    let store: any DigestStore
    let deliveries: DigestDeliveries

    public init(store: any DigestStore) {
        self.store = store
        deliveries = DigestDeliveries(store: store, staleAfter: 600)
    }

    public func plan(for user: User, now: Date) async throws -> Plan {
        let saved = try await store.subscription(userID: user.id)
        let isOn = saved.map { $0.frequency != .off } ?? false
        var subscription = saved ?? Subscription(frequency: .daily)
        if !isOn { subscription.frequency = .daily }
        // A daily or weekly digest always has a slot within eight days.
        guard let slot = DigestSchedule.nextSlot(for: subscription, now: now) else {
            throw Refusal.invalid("no digest slot in the next week")
        }
        return Plan(user: user, subscription: subscription, isOn: isOn, slot: slot,
                    mailed: try await deliveries.mailed(to: user, now: now), lastSent: try await deliveries.lastSent(to: user)?.claimedAt)
    }

    /// A test mail's Message-ID: never the slot's (`digest-<user>-<slot>`), so
    /// a mail client does not take the real digest for a repeat of the test.
    public static func testMessageID(userID: Int, now: Date, domain: String) -> String {
        "<digest-test-\(userID)-\(Int(now.timeIntervalSince1970 * 1000))@\(domain.isEmpty ? "quire.invalid" : domain)>"
    }
}
