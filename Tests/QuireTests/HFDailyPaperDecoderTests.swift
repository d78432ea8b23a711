import Foundation
import QuireCore
import Testing
@testable import Ingest

/// The one reading of Hugging Face's daily-papers format, shared by
/// `quire import` and the harvester (`HFDailyPaperDecoder` lists the rules).
@Suite struct HFDailyPaperDecoderTests {
    static let fixture = TestSupport.sharedFile("fixtures/hf-papers/daily_papers-2024-10-25-first8.json")

    func decode(_ json: String, listDay: Day? = nil) throws -> Paper {
        try HFDailyPaperDecoder.paper(fromJSON: Data(json.utf8), listDay: listDay)
    }

    func reason(_ json: String) -> String? {
        do { _ = try decode(json); return nil } catch let error as RecordError { return error.reason } catch { return "\(error)" }
    }

    @Test func theImporterAndTheHarvesterReadTheRealListAlike() throws {
        let data = try Data(contentsOf: Self.fixture)
        let imported = try JSONArraySplitter.split(data).map { try ImportFormat.hfDaily.parseRecord($0.bytes) }
        let harvested = try HarvestPage.hfDaily(data, day: Day("2024-10-25")!)
        #expect(harvested.skipped.isEmpty)
        #expect(imported.count == 8)
        #expect(imported == harvested.papers)
        let first = try #require(imported.first)
        #expect(first.id == "2410.17243" && first.version == nil && first.authors.count == 9 && first.upvotes == 64)
        #expect(first.submittedAt == Timestamp.parse("2024-10-22T17:59:30Z") && first.submittedBy == "ClownRat")
    }

    @Test func idsAreArxivIdsWithTheVersionSplitOff() throws {
        let new = try decode(#"{"paper": {"id": "2501.00001v3", "title": "T", "summary": "S"}}"#)
        #expect(new.id == "2501.00001" && new.version == 3)
        let old = try decode(#"{"paper": {"id": "hep-th/9901001v2", "title": "T", "summary": "S"}}"#)
        #expect(old.id == "hep-th/9901001" && old.version == 2)
        #expect(reason(#"{"paper": {"id": "my-blog-post", "title": "T"}}"#) == #"field `paper.id`: "my-blog-post" is not an arXiv id"#)
        #expect(reason(#"{"paper": {"title": "T"}}"#) == "missing field `paper.id`")
        #expect(reason(#"{"title": "T"}"#) == "missing field `paper`")
        #expect(reason(#"{"paper": {"id": "2501.00001"}}"#) == "missing field `title`")
        #expect(reason(#"[1]"#) == "expected an object, found an array")
    }

    @Test func hiddenAuthorsAreLeftOutOnEveryPath() throws {
        let entry = #"[{"paper": {"id": "2501.00001", "title": "T", "summary": "S", "authors": [{"name": "Shown"}, {"name": "Hidden", "hidden": true}, {"name": "  Also\n shown", "hidden": false}, {"hidden": false}]}}]"#
        #expect(try decode(String(entry.dropFirst().dropLast())).authors == ["Shown", "Also shown"])
        let harvested = try HarvestPage.hfDaily(Data(entry.utf8), day: Day("2025-01-03")!)
        #expect(harvested.papers.map(\.authors) == [["Shown", "Also shown"]])
        #expect(reason(#"{"paper": {"id": "2501.00001", "title": "T", "authors": [{"name": "A", "hidden": "yes"}]}}"#)
                == "field `paper.authors[0].hidden`: expected true or false, found a string")
    }

    @Test func urlsMustBeWebAddresses() throws {
        let paper = try decode(#"{"paper": {"id": "2501.00001", "title": "T", "githubRepo": "https://github.com/a/b"}, "projectPage": "https://a.example/p"}"#)
        #expect(paper.githubRepo == "https://github.com/a/b" && paper.projectPage == "https://a.example/p")
        #expect(reason(#"{"paper": {"id": "2501.00001", "title": "T", "githubRepo": "github.com/a/b"}}"#)
                == #"field `paper.githubRepo`: "github.com/a/b" is not an http(s) URL"#)
        #expect(reason(#"{"paper": {"id": "2501.00001", "title": "T"}, "projectPage": "javascript:alert(1)"}"#)
                == #"field `projectPage`: "javascript:alert(1)" is not an http(s) URL"#)
        #expect(try decode(#"{"paper": {"id": "2501.00001", "title": "T", "projectPage": ""}}"#).projectPage == nil)
    }

    @Test func timestampsAreInstantsAndTheListDayWins() throws {
        let entry = #"{"paper": {"id": "2501.00001", "title": "T", "publishedAt": "2025-01-01T10:00:00.000Z"}, "publishedAt": "2025-01-02T23:30:00.000Z"}"#
        #expect(try decode(entry).dailyDate == Day("2025-01-02"), "a saved file: the day it was put on the list")
        #expect(try decode(entry, listDay: Day("2025-01-03")).dailyDate == Day("2025-01-03"), "the list asked for")
        #expect(try decode(entry).submittedAt == Timestamp.parse("2025-01-01T10:00:00Z"))
        #expect(reason(#"{"paper": {"id": "2501.00001", "title": "T", "publishedAt": "2025-01-01"}}"#)
                == #"field `paper.publishedAt`: "2025-01-01" is not an ISO 8601 timestamp"#)
        #expect(reason(#"{"paper": {"id": "2501.00001", "title": "T"}, "publishedAt": "soon"}"#)
                == #"field `publishedAt`: "soon" is not an ISO 8601 timestamp"#)
    }

    @Test func countsAreWholeAndClamped() throws {
        #expect(try decode(#"{"paper": {"id": "2501.00001", "title": "T", "upvotes": "12", "githubStars": 3}}"#).upvotes == 12)
        #expect(try decode(#"{"paper": {"id": "2501.00001", "title": "T", "upvotes": -4}}"#).upvotes == 0)
        #expect(try decode(#"{"paper": {"id": "2501.00001", "title": "T"}, "upvotes": 7}"#).upvotes == 7)
        #expect(try decode(#"{"paper": {"id": "2501.00001", "title": "T", "upvotes": null}}"#).upvotes == 0)
        #expect(reason(#"{"paper": {"id": "2501.00001", "title": "T", "upvotes": "many"}}"#) == "field `paper.upvotes`: expected a number, found a string")
        #expect(reason(#"{"paper": {"id": "2501.00001", "title": "T", "upvotes": 2.5}}"#) == "field `paper.upvotes` must be a whole number, got 2.5")
        #expect(reason(#"{"paper": {"id": "2501.00001", "title": "T", "githubStars": true}}"#) == "field `paper.githubStars`: expected a number, found true or false")
    }

    @Test func organizationAndSubmitter() throws {
        let both = try decode(#"{"paper": {"id": "2501.00001", "title": "T", "organization": {"name": "p"}, "submittedOnDailyBy": {"name": "fallback"}}, "organization": {"name": "lab", "fullname": "The Lab"}, "submittedBy": {"name": "reader"}}"#)
        #expect(both.organization == "The Lab" && both.submittedBy == "reader")
        let paperOnly = try decode(#"{"paper": {"id": "2501.00001", "title": "T", "organization": "handle", "submittedOnDailyBy": {"name": "fallback"}}}"#)
        #expect(paperOnly.organization == "handle" && paperOnly.submittedBy == "fallback")
        #expect(reason(#"{"paper": {"id": "2501.00001", "title": "T"}, "organization": 5}"#) == "field `organization`: expected an object or a string, found a number")
    }
}
