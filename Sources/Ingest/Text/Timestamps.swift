import Foundation

/// Fast, strict parsers for the timestamps sources write. They compute the
/// instant arithmetically (no `DateFormatter`, no locale) and reject
/// impossible dates such as 30 February.
public enum Timestamps {
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// RFC 2822 as arXiv writes it: "Mon, 2 Apr 2007 19:18:42 GMT". The day
    /// name is optional; the zone may be "GMT", "UT", "UTC", "Z" or "+hhmm".
    public static func rfc2822(_ text: String) -> Date? {
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
            guard let o = zoneOffset(fields[4]) else { return nil }
            offset = o
        }
        return instant(year: year, month: month, day: day, hour: hour, minute: minute, second: second, nanos: 0, offset: offset)
    }

    /// ISO 8601 / RFC 3339: "2024-10-22T17:59:30.000Z", "2024-10-22T17:59:30+02:00",
    /// "2024-10-22 17:59:30Z".
    public static func iso8601(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count >= 19 else { return nil }
        func num(_ from: Int, _ len: Int) -> Int? {
            var v = 0
            for k in from..<(from + len) {
                guard k < b.count, b[k] >= 0x30, b[k] <= 0x39 else { return nil }
                v = v * 10 + Int(b[k] - 0x30)
            }
            return v
        }
        guard let year = num(0, 4), b[4] == UInt8(ascii: "-"), let month = num(5, 2), b[7] == UInt8(ascii: "-"),
              let day = num(8, 2), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == UInt8(ascii: " "),
              let hour = num(11, 2), b[13] == UInt8(ascii: ":"), let minute = num(14, 2), b[16] == UInt8(ascii: ":"),
              let second = num(17, 2) else { return nil }
        var k = 19
        var nanos = 0
        if k < b.count, b[k] == UInt8(ascii: ".") {
            k += 1
            var digits = 0
            while k < b.count, b[k] >= 0x30, b[k] <= 0x39 {
                if digits < 9 { nanos = nanos * 10 + Int(b[k] - 0x30); digits += 1 }
                k += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<9 { nanos *= 10 }
        }
        guard k < b.count, let offset = zoneOffset(String(decoding: b[k...], as: UTF8.self)) else { return nil }
        return instant(year: year, month: month, day: day, hour: hour, minute: minute, second: second, nanos: nanos, offset: offset)
    }

    /// Seconds east of UTC for "Z", "GMT", "UT", "UTC", "+hhmm", "+hh:mm".
    static func zoneOffset(_ zone: String) -> Int? {
        switch zone.uppercased() {
        case "Z", "GMT", "UT", "UTC": return 0
        default: break
        }
        let b = Array(zone.utf8)
        guard let sign = b.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        let digits = b.dropFirst().filter { $0 != UInt8(ascii: ":") }
        guard digits.count == 4, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let d = digits.map { Int($0 - 0x30) }
        let hours = d[0] * 10 + d[1], minutes = d[2] * 10 + d[3]
        guard hours < 24, minutes < 60 else { return nil }
        return (sign == UInt8(ascii: "-") ? -1 : 1) * (hours * 3600 + minutes * 60)
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func instant(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, nanos: Int, offset: Int) -> Date? {
        guard (1...9999).contains(year), (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
              (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86400 + hour * 3600 + minute * 60 + min(second, 59) - offset
        return Date(timeIntervalSince1970: Double(seconds) + Double(nanos) / 1e9)
    }
}
