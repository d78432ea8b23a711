import Foundation
import Ingest
import Logging
import Mail
import QuireCore
import ReaderActions
import Search
import Storage
import Testing
@testable import Digest

/// When digests are due, how a sending run survives one reader's failure and which clock the scheduler asks, on a real SQLite file.
/// (The delivery ledger is in `StoreContract/DigestStoreContract.swift`.)
@Suite struct DigestTests {
    static func at(_ text: String) -> Date { Timestamp.parse(text)! }

    @Test func dailyDigestsGoOutOnWeekdaysAtTheLocalHour() {
        let paris = Subscription(frequency: .daily, hour: 7, timeZone: "Europe/Paris", createdAt: Self.at("2026-01-01T00:00:00Z"))
        // Monday 2026-11-23, 05:59 UTC is 06:59 in Paris: Friday's slot is still the latest.
        #expect(DigestSchedule.latestSlot(for: paris, now: Self.at("2026-11-23T05:59:00Z"))?.key == "2026-11-20")
        let monday = DigestSchedule.latestSlot(for: paris, now: Self.at("2026-11-23T06:00:00Z"))
        #expect(monday?.key == "2026-11-23" && monday?.time == Self.at("2026-11-23T06:00:00Z"))
        // Saturday and Sunday have no slot of their own.
        #expect(DigestSchedule.latestSlot(for: paris, now: Self.at("2026-11-22T12:00:00Z"))?.key == "2026-11-20")
        // Across the date line: Tokyo's Tuesday 07:00 is Monday 22:00 UTC.
        let tokyo = Subscription(frequency: .daily, hour: 7, timeZone: "Asia/Tokyo")
        #expect(DigestSchedule.latestSlot(for: tokyo, now: Self.at("2026-11-23T22:00:00Z"))?.key == "2026-11-24")
    }

    @Test func weeklyDigestsGoOutOnTheirWeekdayAndOffMeansNever() {
        let thursdays = Subscription(frequency: .weekly, weekday: 4, hour: 9, timeZone: "UTC")
        #expect(DigestSchedule.latestSlot(for: thursdays, now: Self.at("2026-11-25T10:00:00Z"))?.key == "2026-11-19")
        #expect(DigestSchedule.latestSlot(for: thursdays, now: Self.at("2026-11-26T09:00:00Z"))?.key == "2026-11-26")
        #expect(DigestSchedule.latestSlot(for: Subscription(frequency: .off), now: Date()) == nil)
    }

    @Test func aNewSubscriptionWaitsForTheNextSlot() throws {
        let made = Subscription(frequency: .daily, hour: 7, timeZone: "UTC", createdAt: Self.at("2026-11-23T10:30:00Z"))
        let today = try #require(DigestSchedule.latestSlot(for: made, now: Self.at("2026-11-23T11:00:00Z")))
        #expect(!DigestSchedule.isDue(today, subscription: made))
        let tomorrow = try #require(DigestSchedule.latestSlot(for: made, now: Self.at("2026-11-24T07:00:00Z")))
        #expect(DigestSchedule.isDue(tomorrow, subscription: made))
    }

    @Test func unsubscribeLinksAreSignedPerReaderAndKind() {
        let link = UnsubscribeLink(secret: "s3cret")
        let signature = link.signature(userID: 7, kind: "digest")
        #expect(link.verify(userID: 7, kind: "digest", signature: signature))
        #expect(!link.verify(userID: 8, kind: "digest", signature: signature))
        #expect(!link.verify(userID: 7, kind: "alerts", signature: signature))
        #expect(!UnsubscribeLink(secret: "other").verify(userID: 7, kind: "digest", signature: signature))
        #expect(link.url(base: "https://q.example", userID: 7, kind: "digest") == "https://q.example/unsubscribe?u=7&k=digest&s=\(signature)")
    }

    /// A store failure for one reader (here a trigger that refuses bob's ledger
    /// row) is that reader's: the run goes on and sends everyone else's.
    @Test func oneReadersFailureNeverStopsTheRun() async throws {
        let path = try TestSupport.temporaryDirectory().appendingPathComponent("quire.sqlite").path
        let store = try SQLiteStore(path: path)
        _ = try await Importer(store: store).importFile(TestSupport.sharedFile("fixtures/hf-papers/daily_papers-2024-10-25-first8.json"))
        var users: [User] = []
        for name in ["ada", "bob", "cy"] {
            let user = try await store.createUser(username: name, email: "\(name)@example.org", passwordHash: "x", role: .reader, now: Self.at("2024-10-01T00:00:00Z"))
            try await store.confirmEmail(userID: user.id)
            try await store.saveSubscription(Subscription(frequency: .daily, hour: 7, timeZone: "UTC", createdAt: Self.at("2024-10-01T00:00:00Z")), userID: user.id)
            users.append(user)
        }
        let sabotage = try SQLiteConnection(path: path)
        try sabotage.execute("""
            CREATE TRIGGER refuse_bob BEFORE INSERT ON digest_deliveries WHEN NEW.user_id = \(users[1].id)
            BEGIN SELECT RAISE(ABORT, 'disk on fire'); END
            """)
        let outbox = try TestSupport.temporaryDirectory()
        let sender = DigestSender(store: store, search: SearchService(store: store),
                                  mail: DigestMail(from: MailAddress("quire@example.org"), baseURL: "https://q.example", unsubscribe: UnsubscribeLink(secret: "s")),
                                  transport: DirectoryTransport(directory: outbox), logger: Logger(label: "test"))
        let report = try await sender.sendDue(now: Self.at("2024-10-25T07:00:00Z"))
        #expect(report.sent == 2 && report.deferred == 1)
        #expect(report.lines.contains { $0.hasPrefix("bob") && $0.contains("will retry") })
        #expect(try FileManager.default.contentsOfDirectory(atPath: outbox.path).count == 2)
    }

    /// The scheduler in `quire serve` asks its own clock what is due (shifted
    /// by `--digest-clock-start` in the end-to-end tests): on a clock at
    /// 2030-01-02 07:05 it fills that day's slot, which real time, before the
    /// subscription was made, would not.
    @Test func theSchedulerAsksItsOwnClockWhatIsDue() async throws {
        let store = try SQLiteStore(path: try TestSupport.temporaryDirectory().appendingPathComponent("quire.sqlite").path)
        let made = Self.at("2030-01-01T00:00:00Z")
        let user = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "x", role: .reader, now: made)
        try await store.confirmEmail(userID: user.id)
        try await store.saveSubscription(Subscription(frequency: .daily, hour: 7, timeZone: "UTC", createdAt: made), userID: user.id)
        let sender = DigestSender(store: store, search: SearchService(store: store),
                                  mail: DigestMail(from: MailAddress("quire@example.org"), baseURL: "https://q.example", unsubscribe: UnsubscribeLink(secret: "s")),
                                  transport: DirectoryTransport(directory: try TestSupport.temporaryDirectory()), logger: Logger(label: "test"))
        let offset = Self.at("2030-01-02T07:05:00Z").timeIntervalSinceNow
        let scheduler = DigestScheduler(sender: sender, interval: .milliseconds(20), logger: Logger(label: "test"),
                                        now: { Date().addingTimeInterval(offset) })
        let running = Task { try await scheduler.run() }
        var slots: [String] = []
        for _ in 0..<500 where slots.isEmpty {
            try await Task.sleep(for: .milliseconds(20))
            slots = try await store.deliveries(userID: user.id).map(\.slot)
        }
        running.cancel()
        try await running.value
        #expect(slots == ["2030-01-02"])
    }
}
