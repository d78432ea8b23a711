import Foundation
import QuireCore
import Testing

/// `Timestamp`, the one parser of instants, on what each source really sends.
@Suite struct TimestampTests {
    static let instant = Date(timeIntervalSince1970: 1_729_619_970) // 2024-10-22T17:59:30Z

    @Test func huggingFaceSendsMillisecondsInUTC() throws {
        #expect(Timestamp.parse("2024-10-22T17:59:30.000Z") == Self.instant)
        let listed = try #require(Timestamp.parseInstant("2024-10-25T00:57:09.392Z"))
        #expect(abs(listed.timeIntervalSince1970 - 1_729_817_829.392) < 1e-6)
        #expect(Timestamp.parse(Timestamp.formatMilliseconds(Self.instant)) == Self.instant)
    }

    @Test func theArxivAPISendsWholeSecondsInUTC() {
        #expect(Timestamp.parse("2024-10-22T17:59:30Z") == Self.instant)
        #expect(Timestamp.parseInstant("2024-10-22T17:59:30Z") == Self.instant)
        #expect(Timestamp.parse(Timestamp.format(Self.instant)) == Self.instant)
    }

    @Test func theAnnouncementFeedSendsAnOffset() {
        #expect(Timestamp.parse("2025-08-20T00:00:00-04:00") == Timestamp.parse("2025-08-20T04:00:00Z"))
        #expect(Timestamp.parse("2024-10-22T19:59:30+02:00") == Self.instant)
        #expect(Timestamp.parse("2024-10-22T19:59:30+0200") == Self.instant)
    }

    @Test func oaiPMHSendsDays() {
        #expect(Timestamp.parse("2017-06-28") == Day("2017-06-28")?.start)
        #expect(Timestamp.parse("9999-12-31") == Day("9999-12-31")?.start)
        #expect(Timestamp.parseInstant("2017-06-28") == nil, "a field that must be an instant refuses a day")
    }

    @Test func theArxivSnapshotAndRetryAfterSendRFC2822() {
        #expect(Timestamp.parseRFC2822("Mon, 2 Apr 2007 19:18:42 GMT") == Date(timeIntervalSince1970: 1_175_541_522))
        #expect(Timestamp.parseRFC2822("Wed, 21 Oct 2015 07:28:00 GMT") == Timestamp.parse("2015-10-21T07:28:00Z"))
        #expect(Timestamp.parseRFC2822("Wed, 21 Oct 2015 09:28:00 +0200") == Timestamp.parse("2015-10-21T07:28:00Z"))
        #expect(Timestamp.parseRFC2822("Wed, 21 Oct 2015 07:28 UT") == Timestamp.parse("2015-10-21T07:28:00Z"))
    }

    @Test func lenientSpellingsOfTheSameInstant() throws {
        #expect(Timestamp.parse("2024-10-22t17:59:30z") == Self.instant)
        #expect(Timestamp.parse("2024-10-22 17:59:30Z") == Self.instant)
        #expect(Timestamp.parse("2024-10-22T17:59:30.5Z") == Self.instant.addingTimeInterval(0.5))
        let nanos = try #require(Timestamp.parse("2024-10-22T17:59:30.123456789Z"))
        #expect(abs(nanos.timeIntervalSince1970 - 1_729_619_970.123456789) < 1e-6)
        // A leap second stays on its day.
        #expect(Timestamp.parse("2016-12-31T23:59:60Z") == Timestamp.parse("2016-12-31T23:59:59Z"))
    }

    @Test func impossibleOrIncompleteTextIsRefused() {
        for text in ["", "yesterday", "2024-02-30T10:00:00Z", "2023-02-29", "2024-13-22T17:59:30Z", "2024-10-22T24:00:00Z",
                     "2024-10-22T17:60:30Z", "2024-10-22T17:59:30", "2024-10-22T17:59:30.Z", "2024-10-22T17:59:30Zjunk",
                     "2024-10-22T17:59:30 GMT", "2024-10-22T17:59:30+25:00", "2024-10-22T17:59:30+02:0",
                     "2024-10-2", "2024-10-22 ", "0000-01-01", "+2024-10-22", "２０２４-10-22"] {
            #expect(Timestamp.parse(text) == nil, "\(text)")
        }
        #expect(Timestamp.parseRFC2822("Fri, 30 Feb 2024 10:00:00 GMT") == nil)
        #expect(Timestamp.parseRFC2822("Mon, 2 Apr 2007 19:18:42 PST") == nil)
    }
}
