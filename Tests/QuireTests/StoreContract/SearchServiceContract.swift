import Foundation
import Ingest
import QuireCore
import Search
import Storage
import Testing

/// The same papers give the same search results on every store: ranking is
/// Search's in-memory BM25 over each store's text feed, filters and authors
/// are each store's SQL of the same `FilterRule`. Compared with a SQLite
/// store built from the same files, itself answering from FTS5 before its
/// index is loaded and from memory after.
@Suite(.postgresSchemas) struct SearchServiceContract {
    static let files = ["data/seed-papers.jsonl", "fixtures/arxiv-snapshot/first200.jsonl"].map(TestSupport.sharedFile)

    static let queries = [
        "large language models", "video generation diffusion", "reinforcement learning reasoning", "\"language model\"",
        "agents benchmark -video", "gluon", "quantum cat:hep-ph", "cat:math", "author:cheng", "attention org:tencent",
        "multimodal after:2025-10-01", "cat:cs.CL", "before:2008-01-01", "calculation of prompt diphoton",
    ]

    static func loaded(_ store: any SearchableStore) async throws {
        for file in files { _ = try await Importer(store: store).importFile(file) }
    }

    static func results(_ service: SearchService) async throws -> [[String]] {
        var all: [[String]] = []
        for text in queries {
            for sort in [SearchSort.relevance, .date] {
                all.append(try await service.search(try SearchQuery.parse(text), sort: sort, page: 0, limit: 20, mode: .keyword).hits
                    .map { "\($0.paper.id) \(String(format: "%.6f", $0.score))" })
            }
        }
        return all
    }

    @Test(arguments: StoreImplementation.allCases)
    func sameResultsAsSQLiteOnTheSamePapers(_ implementation: StoreImplementation) async throws {
        let reference = try TestSupport.temporaryStore()
        try await Self.loaded(reference)
        let fts5 = try await Self.results(SearchService(store: reference))
        let sqlite = SearchService(store: reference)
        try await sqlite.keywordIndex?.load()
        let expected = try await Self.results(sqlite)
        #expect(expected == fts5, "FTS5 and the in-memory index agree")
        #expect(expected.filter { !$0.isEmpty }.count > Self.queries.count, "most queries find papers")

        let store = try await implementation.make(as: (any SearchableStore).self)
        try await Self.loaded(store)
        // A store without a search of its own waits for the index to load;
        // one with (the in-memory store's is a plain fake) answers from it once loaded.
        let service = SearchService(store: store)
        if store is any StoreKeywordSearch { try await service.keywordIndex?.load() }
        let found = try await Self.results(service)
        for (i, (got, want)) in zip(found, expected).enumerated() {
            #expect(got == want, "\(Self.queries[i / 2]) (\(i % 2 == 0 ? "relevance" : "date"))")
        }
    }
}
