import Foundation
import Testing
import QuireCore
import Storage
@testable import Ingest

/// The batched write path of an import: the store loads a whole batch's
/// stored papers at once, so what one paper of a batch does must not leak
/// into another. Real SQLite files, batches of 500 papers (smaller than the
/// import's default, so that 1,200 lines make several).
@Suite struct ImportBatchTests {
    static let batchSize = 500

    /// A snapshot line for paper `n` (ids 2401.10000 + n) with `versions` versions.
    static func line(_ n: Int, versions: Int = 1, title: String? = nil) -> String {
        let list = (1...versions).map { #"{"version":"v\#($0)","created":"Mon, \#($0) Jan 2024 10:00:00 GMT"}"# }
        let authors = (0..<(n % 4 + 1)).map { #"["Author\#((n + $0) % 37)","A.",""]"# }.joined(separator: ",")
        return #"{"id":"2401.\#(10000 + n)","title":"\#(title ?? "Paper \(n)")","abstract":"Abstract of paper \#(n).","#
            + #""categories":"cs.LG stat.ML","versions":[\#(list.joined(separator: ","))],"authors_parsed":[\#(authors)]}"#
    }

    @Test func aBadLineInsideABigBatchIsRejectedByNumberAndItsNeighboursAreStored() async throws {
        var lines = (1...1_200).map { Self.line($0) }
        let bad = [1, 250, 499, 500, 501, 777, 1_200] // 1-based line numbers, at and around batch edges
        for number in bad { lines[number - 1] = String(lines[number - 1].prefix(40)) } // cut mid-record
        let store = try ImportTests.makeStore()
        let file = try ImportTests.tempFile(lines.joined(separator: "\n") + "\n")
        let summary = try await Importer(store: store, batchSize: Self.batchSize).importFile(file, format: .arxivSnapshot)

        #expect(summary.lines == 1_200)
        #expect(summary.inserted == 1_200 - bad.count)
        #expect(summary.rejections.map(\.line) == bad)
        #expect(summary.rejections.allSatisfy { $0.reason.hasPrefix("truncated JSON") }, "\(summary.rejections)")
        for number in bad {
            #expect(try await store.paper(id: "2401.\(10000 + number)") == nil)
            for neighbour in [number - 1, number + 1] where (1...1_200).contains(neighbour) && !bad.contains(neighbour) {
                #expect(try await store.paper(id: "2401.\(10000 + neighbour)")?.title == "Paper \(neighbour)")
            }
        }
        #expect(try await store.stats().papers == 1_200 - bad.count)
    }

    @Test func importingTheSameBigFileTwiceChangesNothing() async throws {
        let store = try ImportTests.makeStore()
        let file = try ImportTests.tempFile((1...1_200).map { Self.line($0) }.joined(separator: "\n"))
        let importer = Importer(store: store, batchSize: Self.batchSize)
        let first = try await importer.importFile(file, format: .arxivSnapshot)
        #expect(first.inserted == 1_200 && first.rejected == 0)
        let stored = try await store.papers(ids: (1...1_200).map { "2401.\(10000 + $0)" })

        let again = try await importer.importFile(file, format: .arxivSnapshot)
        #expect(again.unchanged == 1_200)
        #expect(again.inserted == 0 && again.updated == 0 && again.rejected == 0)
        #expect(try await store.papers(ids: (1...1_200).map { "2401.\(10000 + $0)" }) == stored)

        // A newer version of a few papers, spread over the batches, updates only those.
        var newer = (1...1_200).map { Self.line($0) }
        for n in [3, 600, 1_199] { newer[n - 1] = Self.line(n, versions: 2, title: "Paper \(n), revised") }
        let third = try await importer.importFile(try ImportTests.tempFile(newer.joined(separator: "\n")), format: .arxivSnapshot)
        #expect(third.updated == 3 && third.unchanged == 1_197)
        #expect(try await store.paper(id: "2401.10600")?.title == "Paper 600, revised")
        #expect(try await store.paper(id: "2401.10600")?.version == 2)
        #expect(try await store.paper(id: "2401.10601")?.title == "Paper 601")
    }

    @Test func theSameIDTwiceInOneBatchMergesLikeTwoBatches() async throws {
        let parser = ArxivSnapshotParser()
        let v1 = try parser.paper(from: Data(Self.line(1).utf8))
        let v2 = try parser.paper(from: Data(Self.line(1, versions: 2, title: "Second title").utf8))
        let other = try parser.paper(from: Data(Self.line(2).utf8))

        let batched = try ImportTests.makeStore()
        #expect(try await batched.upsert([v1, other, v2, v2, v1]) == [.inserted, .inserted, .updated, .unchanged, .unchanged])

        let oneByOne = try ImportTests.makeStore()
        for paper in [v1, other, v2, v2, v1] { _ = try await oneByOne.upsert([paper]) }
        for id in [v1.id, other.id] {
            #expect(try await batched.paper(id: id) == oneByOne.paper(id: id))
        }
        let merged = try #require(try await batched.paper(id: v1.id))
        #expect(merged.title == "Second title" && merged.version == 2)
        #expect(merged.submittedAt == v1.submittedAt)
        #expect(try await batched.stats().papers == 2)
        // The full-text index holds each paper's final text, once.
        try batched.writeBlocking { db in try db.execute("INSERT INTO papers_fts(papers_fts) VALUES ('integrity-check')") }
        let hits = try batched.readBlocking { db in
            try db.query("SELECT rowid FROM papers_fts WHERE papers_fts MATCH 'second'") { $0.int(0) }
        }
        #expect(hits.count == 1)
        #expect(try batched.readBlocking { db in
            try db.queryOne("SELECT count(*) FROM papers_fts WHERE papers_fts MATCH 'title : \"paper 1\"'") { $0.int(0) }
        } == 0) // the first title is gone from the index
    }
}
