import Foundation
import Testing
@testable import Ingest

/// `ArxivSnapshotRecordReader`, the shortcut past `JSONDecoder` for snapshot
/// lines: whatever it returns must be exactly what `JSONDecoder` makes of the
/// line, and it must take the real snapshot's lines (or it saves nothing).
@Suite struct SnapshotRecordReaderTests {
    static func foundation(_ line: String) -> ArxivSnapshotParser.Record? {
        try? JSONDecoder().decode(ArxivSnapshotParser.Record.self, from: Data(line.utf8))
    }

    static func lines(_ url: URL) throws -> [String] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func readsEveryLineOfTheRealSnapshotAsJSONDecoderDoes() throws {
        let lines = try Self.lines(ImportTests.snapshot)
        #expect(lines.count == 200)
        for (k, line) in lines.enumerated() {
            let fast = ArxivSnapshotRecordReader.read(Data(line.utf8))
            #expect(fast != nil, "line \(k + 1) fell back to JSONDecoder")
            #expect(fast == Self.foundation(line), "line \(k + 1)")
        }
    }

    @Test func neverAcceptsWhatJSONDecoderReadsOtherwise() throws {
        let versions = #""versions":[{"version":"v1","created":"Mon, 1 Jan 2024 10:00:00 GMT"}]"#
        let edgeCases = try Self.lines(ImportTests.fixture("broken-snapshot.jsonl")) + [
            // Escapes, a surrogate pair, non-ASCII text, nulls, unknown fields of every kind.
            #"{"id":"2401.00001","title":"A \"quoted\" \\ \/ title\u00e9\ud83d\ude00\n\t","abstract":"Ünïcode ☃","#
                + #""authors":null,"comments":null,"doi":null,"license":null,"journal-ref":null,"categories":null,"#
                + #""authors_parsed":null,"submitter":{"a":[1,2.5e3,true,false,null,{"b":"c"}]},"#
                + #""update_date":"2024-01-02","report-no":-7,"# + versions + "}",
            #" { "id" : "2401.00002" , "title" : "t" , "abstract" : "a" , "# + versions + #" , "authors_parsed" : [ [ "Doe" , "Jane" , "" ] , [ ] ] } "#,
            #"{"id":"2401.00003","title":"t","abstract":"a","# + versions + #","versions":[]}"#, // a repeated field
            #"{"id":"2401.00004","title":"t","abstract":"a","# + versions + "} x", // something after the record
            #"{"id":"2401.00005","title":"t","abstract":"a","# + versions + #","doi":5}"#, // a number for a string
            #"{"id":"2401.00006","title":null,"abstract":"a","# + versions + "}", // null where required
            #"{"id":"2401.00007","title":"\ud83d","abstract":"a","# + versions + "}", // a lone surrogate
            #"{"id":"2401.00008","title":"\ude00 x","abstract":"a","# + versions + "}",
            #"{"id":"2401.00009","title":"t","abstract":"a","# + versions + #","authors_parsed":[["a",1]]}"#,
            #"{"id":"2401.00010","title":"bad \x escape","abstract":"a","# + versions + "}",
            #"{"id":"2401.00011","title":"t","abstract":"a","versions":[{"version":"v1"}]}"#,
            #"{"id":"2401.00012","title":"t","abstract":"a","versions":[{"version":"v1","created":"x","extra":[1]}]}"#,
            "[]", "", "{", #"{"id":"2401.00013","title":"cut"#,
        ]
        for line in edgeCases {
            guard let fast = ArxivSnapshotRecordReader.read(Data(line.utf8)) else { continue } // JSONDecoder decides
            #expect(fast == Self.foundation(line), "\(line)")
        }
        // Invalid UTF-8 anywhere, a skipped field included, is left to JSONDecoder.
        var bytes = Array(#"{"id":"2401.00001","title":"t","abstract":"a","submitter":"x"#.utf8) + [0xFF]
        bytes += Array(#"","# .utf8) + Array(versions.utf8) + Array("}".utf8)
        #expect(ArxivSnapshotRecordReader.read(Data(bytes)) == nil)
    }

    @Test func badLinesKeepTheirPreciseReasons() throws {
        // The reasons come from JSONDecoder, as before the shortcut.
        let parser = ArxivSnapshotParser()
        let versions = #""versions":[{"version":"v1","created":"Mon, 1 Jan 2024 10:00:00 GMT"}]"#
        #expect(throws: RecordError("field `doi`: expected a string, found a number")) {
            try parser.paper(from: Data((#"{"id":"2401.00005","title":"t","abstract":"a","# + versions + #","doi":5}"#).utf8))
        }
        #expect(throws: RecordError("missing field `title`")) {
            try parser.paper(from: Data((#"{"id":"2401.00005","abstract":"a","# + versions + "}").utf8))
        }
    }
}
