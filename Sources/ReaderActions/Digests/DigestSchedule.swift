import Foundation
import QuireCore
import Storage

/// When a reader's digest is due: the latest send time ("slot") at or
/// before now, in the reader's own time zone. A slot is named by its local
/// date, which is what makes each digest unique in the delivery ledger.
public struct DigestSlot: Sendable, Equatable {
    /// The local date of the slot, "2026-11-23".
    public var key: String
    /// The instant the slot opens.
    public var time: Date
    /// The local calendar day of the slot, for choosing papers.
    public var day: Day
}

public enum DigestSchedule {
    /// The latest slot at or before `now`; nil for a digest that is off.
    /// Daily digests go out Monday to Friday; weekly ones on the chosen weekday.
    public static func latestSlot(for subscription: Subscription, now: Date) -> DigestSlot? {
        slot(for: subscription, now: now, days: (0..<8).map { -$0 }) { $0 <= now }
    }

    /// The first slot after `now`: the digest a preview shows. Nil for a digest that is off.
    public static func nextSlot(for subscription: Subscription, now: Date) -> DigestSlot? {
        slot(for: subscription, now: now, days: Array(0..<9)) { $0 > now }
    }

    /// The first slot, trying the days `days` away from today in order, whose time passes `accept`.
    private static func slot(for subscription: Subscription, now: Date, days: [Int], accept: (Date) -> Bool) -> DigestSlot? {
        guard subscription.frequency != .off else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: subscription.timeZone) ?? TimeZone(identifier: "UTC")!
        let today = calendar.startOfDay(for: now)
        for offset in days {
            guard let date = calendar.date(byAdding: .day, value: offset, to: today),
                  let time = calendar.date(bySettingHour: subscription.hour, minute: 0, second: 0, of: date), accept(time) else { continue }
            // Calendar weekday: 1 = Sunday … 7 = Saturday; ISO: 1 = Monday … 7 = Sunday.
            let isoWeekday = (calendar.component(.weekday, from: date) + 5) % 7 + 1
            let wanted = subscription.frequency == .daily ? isoWeekday <= 5 : isoWeekday == subscription.weekday
            guard wanted else { continue }
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            guard let day = Day(year: parts.year!, month: parts.month!, day: parts.day!) else { continue }
            return DigestSlot(key: day.description, time: time, day: day)
        }
        return nil
    }

    /// The slot a new subscription waits for: the first one after it was made.
    public static func isDue(_ slot: DigestSlot, subscription: Subscription) -> Bool {
        slot.time >= subscription.createdAt
    }
}
