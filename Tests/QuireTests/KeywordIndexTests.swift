import Foundation
import QuireCore
@testable import Search
@testable import Storage
import Testing

/// Search's in-memory keyword index (`KeywordSearch`) must rank exactly as
/// FTS5's `bm25()` does, with its own tokenizer, and follow every change to
/// the papers through the store's `PaperTextFeed`, whoever makes it.
@Suite struct KeywordIndexTests {
    /// What FTS5 alone answers: every match scored, no in-memory index.
    static func exactFTS5(_ store: SQLiteStore, _ words: [String], phrases: [String] = [], limit: Int = 100) throws -> [KeywordHit] {
        try store.readBlocking { try SQLiteKeywordSearch.search($0, words: words, phrases: phrases, limit: limit, scoringBudget: nil) }
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

    static func sciFactQueries(_ count: Int) throws -> [[String]] {
        try String(contentsOf: TestSupport.sharedFile("data/scifact/queries.jsonl"), encoding: .utf8)
            .split(separator: "\n").prefix(count).map { line in
                SearchQuery.plainText((try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any])["text"] as! String).words
            }
    }

    @Test func ranksSciFactQueriesExactlyAsFTS5() async throws {
        let store = try await Self.sciFactStore()
        let queries = try Self.sciFactQueries(300)
        let index = KeywordSearch(feed: store)
        try await index.load()
        #expect(index.count == 5_183)
        var severalTokens = 0
        for words in queries {
            // Words of several tokens ("IL-6", "1,000") are checked for adjacency on the papers' text.
            if words.contains(where: { KeywordTokenizer.tokens($0).count > 1 }) { severalTokens += 1 }
            let memory = try await index.search(words: words, phrases: [], limit: 100)
            Self.expectSameRanking(memory, try Self.exactFTS5(store, words), words.joined(separator: " "))
        }
        #expect(severalTokens > 20, "the queries include words of several tokens")
    }

    /// Quoted phrases and all-words matching, against FTS5's: each query's
    /// two longest words as a phrase ("in the", "bone marrow") and as words.
    @Test func phrasesAndAllWordMatchesAsFTS5() async throws {
        let store = try await Self.sciFactStore()
        let index = KeywordSearch(feed: store)
        try await index.load()
        var matched = 0
        for words in try Self.sciFactQueries(120) where words.count >= 3 {
            let phrase = words[1] + " " + words[2], rest = [words[0]] + words.dropFirst(3)
            let memory = try await index.search(words: rest, phrases: [phrase], limit: 50)
            Self.expectSameRanking(memory, try Self.exactFTS5(store, rest, phrases: [phrase], limit: 50), "\(rest) \"\(phrase)\"")
            for (w, p) in [(Array(words.prefix(2)), [String]()), ([words[0]], [phrase]), (words, [])] {
                let mine = try await index.matches(words: w, phrases: p), fts5 = try await store.keywordMatches(words: w, phrases: p)
                #expect(Set(mine) == Set(fts5), "all of \(w) and \(p)")
                matched += fts5.count
            }
        }
        #expect(matched > 100, "the comparisons match papers")
    }

    @Test func followsPapersAddedEditedAndDeletedByAnotherConnection() async throws {
        let store = try await SearchIndexTests.keywordStore()
        let index = KeywordSearch(feed: store)
        try await index.load()
        let other = try SQLiteStore(path: store.path) // as another process would
        _ = try await other.upsert([Paper(id: "2502.00001", title: "Zebrafish fins regrow", abstract: "rare zebrafish regeneration")])
        #expect(try await index.search(words: ["zebrafish"], phrases: [], limit: 10).map(\.id) == ["2502.00001"])

        try await other.write { try $0.run("UPDATE papers SET abstract = 'nothing about fish' WHERE id = '2502.00001'") }
        try await other.write { try $0.run("UPDATE papers SET title = 'rare rare rare' WHERE id = '2501.00003'") }
        try await other.write { try $0.run("DELETE FROM papers WHERE id = '2501.00150'") }
        for words in [["zebrafish"], ["rare"], ["rare", "frequent"], ["common", "frequent", "fish"], ["filler3", "rare"]] {
            let memory = try await index.search(words: words, phrases: [], limit: 50)
            Self.expectSameRanking(memory, try Self.exactFTS5(store, words, limit: 50), words.joined(separator: " "))
        }
        #expect(try await index.search(words: ["rare"], phrases: [], limit: 1).first?.id == "2501.00003")
        #expect(try await index.search(words: ["regeneration"], phrases: [], limit: 10).isEmpty)
        #expect(try await index.matches(words: ["regeneration"], phrases: []).isEmpty)
        #expect(index.count == 300)
    }

    @Test func concurrentSearchesApplyEachChangeOnce() async throws {
        let store = try await SearchIndexTests.keywordStore()
        let index = KeywordSearch(feed: store)
        try await index.load()
        let other = try SQLiteStore(path: store.path)
        _ = try await other.upsert((0..<3_000).map { Paper(id: "2503.\(String(format: "%05d", $0))", title: "Kelp forest \($0)", abstract: "kelp rare") })
        // Eight searches at once, each catching up on the 3,000 new papers.
        let results = try await withThrowingTaskGroup(of: [KeywordHit].self) { group in
            for _ in 0..<8 { group.addTask { try await index.search(words: ["kelp", "rare"], phrases: [], limit: 300) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let exact = try Self.exactFTS5(store, ["kelp", "rare"], limit: 300)
        for result in results { Self.expectSameRanking(result, exact, "one of 8 concurrent searches") }
        #expect(index.count == 3_300)
        #expect(index.positions == 3_300, "no paper added twice")
        // 3,000 papers hold both "kelp" and "rare": over the limit, left to the store.
        #expect(!index.answersCheaply(words: ["kelp-rare"], phrases: []))
        #expect(!index.answersCheaply(words: ["zebra"], phrases: ["kelp forest"]))
        #expect(index.answersCheaply(words: ["kelp", "rare"], phrases: ["rare zebra"]))
    }

    /// No snapshot while loading: papers written during the load are read
    /// from the change feed afterwards, none missed, none counted twice.
    @Test func loadsWhileAnotherConnectionWrites() async throws {
        let store = try await SearchIndexTests.keywordStore()
        let other = try SQLiteStore(path: store.path)
        let index = KeywordSearch(feed: store)
        async let loading: Void = index.load()
        for round in 0..<20 {
            _ = try await other.upsert((0..<500).map { Paper(id: "2504.\(String(format: "%05d", round * 500 + $0))", title: "Moss \(round)", abstract: "moss rare \($0)") })
            try await other.write { try $0.run("UPDATE papers SET abstract = 'moss edited' WHERE id = ?", ["2504.\(String(format: "%05d", round * 500))"]) }
        }
        try await loading
        let memory = try await index.search(words: ["moss", "rare", "edited"], phrases: [], limit: 300)
        Self.expectSameRanking(memory, try Self.exactFTS5(store, ["moss", "rare", "edited"], limit: 300), "moss rare edited")
        #expect(index.count == 10_300)
    }

    /// The same index over the in-memory store: the feed is all it needs.
    @Test func followsTheInMemoryStore() async throws {
        let store = InMemoryStore()
        _ = try await store.upsert([Paper(id: "2505.00001", title: "GPT-4 evaluations", abstract: "a large language model"),
                                    Paper(id: "2505.00002", title: "Four GPT models", abstract: "gpt 3 and 4 compared")])
        let index = KeywordSearch(feed: store)
        try await index.load()
        #expect(try await index.matches(words: ["GPT-4"], phrases: []) == ["2505.00001"])
        #expect(try await index.search(words: ["models"], phrases: [], limit: 10).map(\.id).sorted() == ["2505.00001", "2505.00002"])
        _ = try await store.upsert([Paper(id: "2505.00002", title: "Four GPT models", abstract: "GPT-4 compared with GPT-4o")])
        _ = try await store.upsert([Paper(id: "2505.00003", title: "Kelp", abstract: "nothing else")])
        #expect(try await index.matches(words: ["GPT-4"], phrases: []).sorted() == ["2505.00001", "2505.00002"])
        #expect(try await index.search(words: ["kelp"], phrases: [], limit: 10).map(\.id) == ["2505.00003"])
        #expect(try await index.search(words: [], phrases: ["gpt 4 compared"], limit: 10).map(\.id) == ["2505.00002"])
        #expect(index.count == 3)
    }

    @Test func tokenizesAsFTS5Does() throws {
        let store = try TestSupport.temporaryStore()
        let text = "Naïve Models, GPT-4 and 東京 running"
        let tokens = try store.readBlocking { try FTS5.Tokenizer($0).tokens(text) }
        #expect(tokens == ["naiv", "model", "gpt", "4", "and", "東京", "run"])
        #expect(KeywordTokenizer.tokens(text) == tokens)
    }
}
