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

    /// The day a moment falls on. Quire's calendar runs from 0001-01-01 to
    /// 9999-12-31 (what YYYY-MM-DD can write); a moment outside it is taken as
    /// the nearest edge, so arithmetic near the edges (the month after 9999-12,
    /// the day before 0001-01-01) gives a real day instead of trapping.
    public init(date: Date) {
        let clamped = min(max(date, Day.firstMoment), Day.lastMoment)
        let c = Day.utc.dateComponents([.year, .month, .day], from: clamped)
        self.year = c.year ?? 1; self.month = c.month ?? 1; self.day = c.day ?? 1
    }

    private static let firstMoment = utc.date(from: DateComponents(year: 1, month: 1, day: 1)) ?? .distantPast
    private static let lastMoment = utc.date(from: DateComponents(year: 9999, month: 12, day: 31)) ?? .distantFuture

    /// Parses exactly "YYYY-MM-DD"; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func today(now: Date = Date()) -> Day { Day(date: now) }

    /// Midnight UTC at the start of this day.
    public var start: Date { Day.utc.date(from: DateComponents(year: year, month: month, day: day)) ?? Day.firstMoment }

    /// This day moved by `days`, stopping at the edges of the calendar.
    public func adding(days: Int) -> Day {
        Day(date: Day.utc.date(byAdding: .day, value: days, to: start) ?? (days < 0 ? Day.firstMoment : Day.lastMoment))
    }

    /// Written for every paper an import stores (its list day), so by hand
    /// rather than through `String(format:)`.
    public var description: String {
        var text = [UInt8]()
        text.reserveCapacity(10)
        PaddedDigits.append(year, count: 4, to: &text); text.append(UInt8(ascii: "-"))
        PaddedDigits.append(month, count: 2, to: &text); text.append(UInt8(ascii: "-"))
        PaddedDigits.append(day, count: 2, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

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
            return .week(year: c.yearForWeekOfYear ?? day.year, week: c.weekOfYear ?? 1)
        case .month: return .month(year: day.year, month: day.month)
        }
    }

    public var firstDay: Day {
        switch self {
        case .day(let d): return d
        case .week(let y, let w):
            let date = Day.utc.date(from: DateComponents(weekday: 2, weekOfYear: w, yearForWeekOfYear: y))
            return date.map(Day.init(date:)) ?? Day(date: .distantPast)
        case .month(let y, let m): return Day(year: y, month: m, day: 1) ?? Day(date: .distantPast)
        }
    }

    /// The day after the period's last day (half-open range). For the last
    /// period of the calendar it is 9999-12-31 itself, so that one day is left out.
    public var endDay: Day {
        switch self {
        case .day(let d): return d.adding(days: 1)
        case .week: return firstDay.adding(days: 7)
        case .month:
            let start = firstDay.start
            return Day(date: Day.utc.date(byAdding: .month, value: 1, to: start) ?? start)
        }
    }

    /// The period before and after this one; nil at the edges of the calendar.
    public var previous: Period? { neighbour(Period.containing(firstDay.adding(days: -1), kind: kind)) }
    public var next: Period? { neighbour(Period.containing(endDay, kind: kind)) }

    private func neighbour(_ other: Period) -> Period? {
        guard other != self else { return nil }
        switch other {
        case .week(let y, _), .month(let y, _): return (1...9999).contains(y) ? other : nil // 0001-W01's previous week is in year 0
        case .day: return other
        }
    }

    public var description: String {
        switch self {
        case .day(let d): return d.description
        case .week(let y, let w): return String(format: "%04d-W%02d", y, w)
        case .month(let y, let m): return String(format: "%04d-%02d", y, m)
        }
    }
}
