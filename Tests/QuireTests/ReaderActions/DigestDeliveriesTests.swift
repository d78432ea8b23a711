import Foundation
import QuireCore
import ReaderActions
import Storage
import Testing

/// Whose digest is due and what the ledger keeps, against the in-memory store.
@Suite struct DigestDeliveriesTests {
    /// A Monday, 09:00 UTC.
    static let monday = Date(timeIntervalSince1970: 1_795_424_400)

    @Test func dueDigestsAreTheConfirmedReadersWhoseSlotHasCome() async throws {
        let store = InMemoryStore()
        func reader(_ name: String, confirmed: Bool, hour: Int, since: Date) async throws -> User {
            let user = try await store.createUser(username: name, email: "\(name)@example.org", passwordHash: "x", role: .reader, now: since)
            if confirmed { try await store.confirmEmail(userID: user.id) }
            try await store.saveSubscription(Subscription(hour: hour, createdAt: since), userID: user.id)
            return user
        }
        let lastWeek = Self.monday.addingTimeInterval(-7 * 86_400)
        _ = try await reader("ada", confirmed: true, hour: 8, since: lastWeek)
        _ = try await reader("bob", confirmed: false, hour: 8, since: lastWeek)
        _ = try await reader("cyd", confirmed: true, hour: 10, since: Self.monday) // today's slot is not open yet, Friday's came before
        let deliveries = DigestDeliveries(store: store, staleAfter: 600)
        let (due, unconfirmed) = try await deliveries.due(now: Self.monday)
        #expect(due.map { "\($0.user.username) \($0.slot.key)" } == ["ada \(Day(date: Self.monday))"])
        #expect(unconfirmed.map(\.username) == ["bob"])
        #expect(try await deliveries.due(now: Self.monday, onlyUser: "BOB").due.isEmpty)
    }

    @Test func aClaimedDigestIsSentOnceAndItsPapersAreNotMailedAgain() async throws {
        let store = InMemoryStore()
        let ada = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "x", role: .reader, now: Self.monday)
        let slot = try #require(DigestSchedule.latestSlot(for: Subscription(hour: 8), now: Self.monday))
        let due = DigestDeliveries.Due(user: ada, subscription: Subscription(hour: 8), slot: slot)
        let deliveries = DigestDeliveries(store: store, staleAfter: 600)
        guard case .claimed(let delivery) = try await deliveries.claim(due, messageID: "<m@x>", now: Self.monday) else {
            Issue.record("the first claim takes the digest"); return
        }
        #expect(try await deliveries.claim(due, messageID: "<m@x>", now: Self.monday) == .inProgress)
        try await deliveries.recordContent(delivery, paperIDs: ["2410.00001"])
        #expect(try await deliveries.mailed(to: ada, now: Self.monday) == ["2410.00001"])
        #expect(try await deliveries.mailed(to: ada, now: Self.monday, excluding: delivery).isEmpty)
        try await deliveries.recordSent(delivery, paperIDs: ["2410.00001"], now: Self.monday)
        #expect(try await deliveries.lastSent(to: ada)?.status == .sent)
        guard case .finished = try await deliveries.claim(due, messageID: "<m@x>", now: Self.monday) else {
            Issue.record("a sent digest is not claimed again"); return
        }
        // Past `mailedWithin`, a paper may come round again.
        #expect(try await deliveries.mailed(to: ada, now: Self.monday.addingTimeInterval(DigestDeliveries.mailedWithin + 86_400)).isEmpty)
    }
}
