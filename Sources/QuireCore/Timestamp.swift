import Foundation

/// Instants as text: the one place Quire reads and writes timestamps.
///
/// Quire stores and serves "2024-10-22T17:59:30Z" (RFC 3339, UTC, whole
/// seconds). The sources send:
/// - Hugging Face: "2024-10-22T17:59:30.000Z" (milliseconds, Z);
/// - the arXiv API: "2024-10-22T17:59:30Z";
/// - the arXiv announcement feed: "2025-08-20T00:00:00-04:00" (an offset);
/// - arXiv OAI-PMH: a bare day, "2017-06-28";
/// - the arXiv snapshot and HTTP `Retry-After`: RFC 2822, "Mon, 2 Apr 2007 19:18:42 GMT".
///
/// Hand-written because it runs for every paper of a 4 GB import and
/// Foundation's formatters are slow and not Sendable: the instant is computed
/// arithmetically (no calendar, no locale) and impossible dates such as
/// 30 February are rejected.
public enum Timestamp {
    public static func format(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let year = Int(parts.tm_year) + 1900
        guard (0...9999).contains(year) else {
            return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", year, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                          Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        }
        // Digits by hand: String(format:) was a few percent of an import.
        var text = [UInt8]()
        text.reserveCapacity(20)
        func digits(_ value: Int, _ count: Int) { PaddedDigits.append(value, count: count, to: &text) }
        digits(year, 4); text.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mon) + 1, 2); text.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mday), 2); text.append(UInt8(ascii: "T"))
        digits(Int(parts.tm_hour), 2); text.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_min), 2); text.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_sec), 2); text.append(UInt8(ascii: "Z"))
        return String(decoding: text, as: UTF8.self)
    }

    /// Formats with milliseconds, as Hugging Face's API does ("2024-10-22T17:59:30.000Z").
    public static func formatMilliseconds(_ date: Date) -> String {
        let base = format(date)
        let millis = Int((date.timeIntervalSince1970 - date.timeIntervalSince1970.rounded(.down)) * 1000)
        return String(base.dropLast()) + String(format: ".%03dZ", millis)
    }

    /// ISO 8601 / RFC 3339, "YYYY-MM-DD(T|t| )HH:MM:SS[.fraction](Z|z|±HH:MM|±HHMM)",
    /// or a bare "YYYY-MM-DD" (OAI-PMH sends days) read as midnight UTC.
    /// A leap second (:60) is read as :59, so the instant stays on its day.
    public static func parse(_ text: String) -> Date? { parse(text, allowingDay: true) }

    /// Like `parse`, but a bare day is refused: for fields that must be an
    /// instant (Hugging Face's `publishedAt`), where a day means a broken record.
    public static func parseInstant(_ text: String) -> Date? { parse(text, allowingDay: false) }

    private static func parse(_ text: String, allowingDay: Bool) -> Date? {
        let b = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= b.count else { return nil }
            var value = 0
            for byte in b[start..<start + count] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard b.count >= 10, let year = number(0, 4), b[4] == UInt8(ascii: "-"), let month = number(5, 2),
              b[7] == UInt8(ascii: "-"), let day = number(8, 2) else { return nil }
        if b.count == 10 {
            guard allowingDay else { return nil }
            return instant(year: year, month: month, day: day, hour: 0, minute: 0, second: 0, nanos: 0, offset: 0)
        }
        guard b.count >= 20, b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == UInt8(ascii: " "),
              let hour = number(11, 2), b[13] == UInt8(ascii: ":"), let minute = number(14, 2),
              b[16] == UInt8(ascii: ":"), let second = number(17, 2) else { return nil }
        var k = 19
        var nanos = 0
        if b[k] == UInt8(ascii: ".") {
            k += 1
            var digits = 0
            while k < b.count, b[k] >= 0x30, b[k] <= 0x39 {
                if digits < 9 { nanos = nanos * 10 + Int(b[k] - 0x30); digits += 1 }
                k += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<9 { nanos *= 10 }
        }
        guard k < b.count, let offset = isoOffset(b[k...]) else { return nil }
        return instant(year: year, month: month, day: day, hour: hour, minute: minute, second: second, nanos: nanos, offset: offset)
    }

    /// Seconds east of UTC for "Z", "z", "±HH:MM" or "±HHMM", the whole rest of the text.
    private static func isoOffset(_ zone: ArraySlice<UInt8>) -> Int? {
        if zone.count == 1, zone.first == UInt8(ascii: "Z") || zone.first == UInt8(ascii: "z") { return 0 }
        return numericOffset(zone)
    }

    /// "±HHMM" or "±HH:MM".
    private static func numericOffset(_ zone: ArraySlice<UInt8>) -> Int? {
        guard let sign = zone.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        var digits = Array(zone.dropFirst())
        if digits.count == 5, digits[2] == UInt8(ascii: ":") { digits.remove(at: 2) }
        guard digits.count == 4, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let d = digits.map { Int($0 - 0x30) }
        let hours = d[0] * 10 + d[1], minutes = d[2] * 10 + d[3]
        guard hours < 24, minutes < 60 else { return nil }
        return (sign == UInt8(ascii: "-") ? -1 : 1) * (hours * 3600 + minutes * 60)
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// RFC 2822 as arXiv writes it: "Mon, 2 Apr 2007 19:18:42 GMT". The day
    /// name is optional; the zone may be "GMT", "UT", "UTC", "Z" or "±HHMM"
    /// and, when absent, is UTC.
    public static func parseRFC2822(_ text: String) -> Date? {
        var fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if let first = fields.first, first.hasSuffix(",") { fields.removeFirst() }
        guard fields.count == 4 || fields.count == 5 else { return nil }
        guard let day = Int(fields[0]),
              let month = months.firstIndex(of: fields[1].lowercased()).map({ $0 + 1 }),
              fields[2].count == 4, let year = Int(fields[2]) else { return nil }
        let clock = fields[3].split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 2 || clock.count == 3,
              let hour = Int(clock[0]), let minute = Int(clock[1]) else { return nil }
        let second = clock.count == 3 ? Int(clock[2]) : 0
        guard let second else { return nil }
        var offset = 0
        if fields.count == 5 {
            switch fields[4].uppercased() {
            case "Z", "GMT", "UT", "UTC": offset = 0
            default:
                guard let o = numericOffset(ArraySlice(fields[4].utf8)) else { return nil }
                offset = o
            }
        }
        return instant(year: year, month: month, day: day, hour: hour, minute: minute, second: second, nanos: 0, offset: offset)
    }

    private static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// Every field is range-checked before the arithmetic, so outside input cannot overflow it.
    private static func instant(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, nanos: Int, offset: Int) -> Date? {
        guard (1...9999).contains(year), (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
              (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86400 + hour * 3600 + minute * 60 + min(second, 59) - offset
        return Date(timeIntervalSince1970: Double(seconds) + Double(nanos) / 1e9)
    }
}
