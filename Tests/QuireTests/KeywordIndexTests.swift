import Foundation
import QuireCore
import Search
@testable import Storage
import Testing

/// The in-memory keyword index must rank exactly as FTS5's `bm25()` does, and
/// follow every change to the papers, whoever makes it.
@Suite struct KeywordIndexTests {
    /// What FTS5 alone answers: every match scored, no in-memory index.
    static func exactFTS5(_ store: SQLiteStore, _ words: [String], limit: Int = 100) throws -> [KeywordHit] {
        try store.readBlocking { try SQLiteKeywordSearch.search($0, words: words, phrases: [], limit: limit, scoringBudget: nil) }
    }

    /// Same papers and the same scores; where scores tie the order is free,
    /// and a tie at the cut-off may let either paper in.
    static func expectSameRanking(_ memory: [KeywordHit], _ fts5: [KeywordHit], _ label: String) {
        #expect(memory.count == fts5.count, "\(label): \(memory.count) hits, FTS5 \(fts5.count)")
        for (a, b) in zip(memory, fts5) {
            #expect(abs(a.score - b.score) <= 1e-9 * max(1, abs(b.score)), "\(label): score \(a.score) against FTS5 \(b.score)")
        }
        let cutOff = fts5.last?.score ?? 0
        let clear = { (hits: [KeywordHit]) in Set(hits.filter { abs($0.score - cutOff) > 1e-9 }.map(\.id)) }
        #expect(clear(memory) == clear(fts5), "\(label): the same papers above the last score")
    }

    static func sciFactStore() async throws -> SQLiteStore {
        let store = try TestSupport.temporaryStore()
        let text = try String(contentsOf: TestSupport.sharedFile("data/scifact/corpus.jsonl"), encoding: .utf8)
        var batch: [Paper] = []
        for line in text.split(separator: "\n") {
            let row = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            batch.append(Paper(id: "\(row["_id"]!)", title: row["title"] as? String ?? "", abstract: row["text"] as! String))
        }
        _ = try await store.upsert(batch)
        return store
    }

    @Test func ranksSciFactQueriesExactlyAsFTS5() async throws {
        let store = try await Self.sciFactStore()
        let queries = try String(contentsOf: TestSupport.sharedFile("data/scifact/queries.jsonl"), encoding: .utf8)
            .split(separator: "\n").prefix(300).map { line in
                SearchQuery.plainText((try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any])["text"] as! String).words
            }
        let exact = try queries.map { try Self.exactFTS5(store, $0) }
        try store.loadKeywordIndex()
        #expect(store.keywordIndex.count == 5_183)
        var phrases = 0
        for (words, fts5) in zip(queries, exact) {
            // Words of several tokens ("IL-6", "1,000") go through FTS5's phrase matching.
            if words.contains(where: { $0.contains(where: { !$0.isLetter && !$0.isNumber }) }) { phrases += 1 }
            let memory = try await store.keywordSearch(words: words, phrases: [], limit: 100)
            Self.expectSameRanking(memory, fts5, words.joined(separator: " "))
        }
        #expect(phrases > 20, "the queries include words of several tokens")
    }

    @Test func followsPapersAddedEditedAndDeletedByAnotherConnection() async throws {
        let store = try await SearchIndexTests.keywordStore()
        try store.loadKeywordIndex()
        let other = try SQLiteStore(path: store.path) // as another process would
        _ = try await other.upsert([Paper(id: "2502.00001", title: "Zebrafish fins regrow", abstract: "rare zebrafish regeneration")])
        #expect(try await store.keywordSearch(words: ["zebrafish"], phrases: [], limit: 10).map(\.id) == ["2502.00001"])

        try await other.write { try $0.run("UPDATE papers SET abstract = 'nothing about fish' WHERE id = '2502.00001'") }
        try await other.write { try $0.run("UPDATE papers SET title = 'rare rare rare' WHERE id = '2501.00003'") }
        try await other.write { try $0.run("DELETE FROM papers WHERE id = '2501.00150'") }
        for words in [["zebrafish"], ["rare"], ["rare", "frequent"], ["common", "frequent", "fish"], ["filler3", "rare"]] {
            let memory = try await store.keywordSearch(words: words, phrases: [], limit: 50)
            Self.expectSameRanking(memory, try Self.exactFTS5(store, words, limit: 50), words.joined(separator: " "))
        }
        #expect(try await store.keywordSearch(words: ["rare"], phrases: [], limit: 1).first?.id == "2501.00003")
        #expect(try await store.keywordSearch(words: ["regeneration"], phrases: [], limit: 10).isEmpty)
        #expect(store.keywordIndex.count == 300)
    }

    @Test func concurrentSearchesApplyEachChangeOnce() async throws {
        let store = try await SearchIndexTests.keywordStore()
        try store.loadKeywordIndex()
        let other = try SQLiteStore(path: store.path)
        _ = try await other.upsert((0..<3_000).map { Paper(id: "2503.\(String(format: "%05d", $0))", title: "Kelp forest \($0)", abstract: "kelp rare") })
        // Eight threads at once, each catching up on the 3,000 new papers.
        var results = [[KeywordHit]](repeating: [], count: 8)
        results.withUnsafeMutableBufferPointer { buffer in
            let results = UncheckedSendable(buffer) // each thread writes its own element
            DispatchQueue.concurrentPerform(iterations: buffer.count) { i in
                results.value[i] = (try? store.readBlocking { try store.searchKeywordIndex($0, words: ["kelp", "rare"], limit: 300) }) ?? []
            }
        }
        let exact = try Self.exactFTS5(store, ["kelp", "rare"], limit: 300)
        for result in results { Self.expectSameRanking(result, exact, "one of 8 concurrent searches") }
        #expect(store.keywordIndex.count == 3_300)
        #expect(store.keywordIndex.positions == 3_300, "no paper added twice")
    }

    @Test func tokenizesAsFTS5Does() throws {
        let store = try TestSupport.temporaryStore()
        let tokens = try store.readBlocking { try FTS5.Tokenizer($0).tokens("Naïve Models, GPT-4 and 東京 running") }
        #expect(tokens == ["naiv", "model", "gpt", "4", "and", "東京", "run"])
    }
}
