import Foundation

/// A calendar day in UTC, written YYYY-MM-DD. Daily lists, weeks and months
/// are all made of these; UTC keeps every server of a deployment in agreement.
public struct Day: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int, month: Int, day: Int

    public static let utc: Calendar = {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), (1...31).contains(day) else { return nil }
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = Day.utc.date(from: components),
              Day.utc.component(.day, from: date) == day else { return nil } // rejects 2025-02-30
        self.year = year; self.month = month; self.day = day
    }

    public init(date: Date) {
        let c = Day.utc.dateComponents([.year, .month, .day], from: date)
        self.year = c.year!; self.month = c.month!; self.day = c.day!
    }

    /// Parses exactly "YYYY-MM-DD"; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func today(now: Date = Date()) -> Day { Day(date: now) }

    /// Midnight UTC at the start of this day.
    public var start: Date { Day.utc.date(from: DateComponents(year: year, month: month, day: day))! }

    public func adding(days: Int) -> Day { Day(date: Day.utc.date(byAdding: .day, value: days, to: start)!) }

    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

    /// 1 = Monday … 7 = Sunday.
    public var isoWeekday: Int { (Day.utc.component(.weekday, from: start) + 5) % 7 + 1 }

    public static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = Day(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a YYYY-MM-DD date: \(text)"))
        }
        self = day
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A span of days browsed as one page: a day, an ISO week or a month.
public enum Period: Hashable, Sendable, CustomStringConvertible {
    case day(Day)
    case week(year: Int, week: Int)
    case month(year: Int, month: Int)

    /// Parses "2025-03-10", "2025-W11" and "2025-03".
    public static func parseWeek(_ text: String) -> Period? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 3, parts[1].first == "W",
              let y = Int(parts[0]), let w = Int(parts[1].dropFirst()), (1...53).contains(w) else { return nil }
        let period = Period.week(year: y, week: w)
        // Week 53 exists only in some years: it must round-trip.
        guard Period.containing(period.firstDay, kind: .week) == period else { return nil }
        return period
    }

    public static func parseMonth(_ text: String) -> Period? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m), (1...9999).contains(y) else { return nil }
        return .month(year: y, month: m)
    }

    public enum Kind: String, Sendable { case day, week, month }

    public var kind: Kind {
        switch self { case .day: .day; case .week: .week; case .month: .month }
    }

    public static func containing(_ day: Day, kind: Kind) -> Period {
        switch kind {
        case .day: return .day(day)
        case .week:
            let c = Day.utc.dateComponents([.yearForWeekOfYear, .weekOfYear], from: day.start)
            return .week(year: c.yearForWeekOfYear!, week: c.weekOfYear!)
        case .month: return .month(year: day.year, month: day.month)
        }
    }

    public var firstDay: Day {
        switch self {
        case .day(let d): return d
        case .week(let y, let w):
            let date = Day.utc.date(from: DateComponents(weekday: 2, weekOfYear: w, yearForWeekOfYear: y))!
            return Day(date: date)
        case .month(let y, let m): return Day(year: y, month: m, day: 1)!
        }
    }

    /// The day after the period's last day (half-open range).
    public var endDay: Day {
        switch self {
        case .day(let d): return d.adding(days: 1)
        case .week: return firstDay.adding(days: 7)
        case .month(let y, let m): return m == 12 ? Day(year: y + 1, month: 1, day: 1)! : Day(year: y, month: m + 1, day: 1)!
        }
    }

    public var previous: Period { Period.containing(firstDay.adding(days: -1), kind: kind) }
    public var next: Period { Period.containing(endDay, kind: kind) }

    public var description: String {
        switch self {
        case .day(let d): return d.description
        case .week(let y, let w): return String(format: "%04d-W%02d", y, w)
        case .month(let y, let m): return String(format: "%04d-%02d", y, m)
        }
    }
}
