import ArgumentParser
import Foundation
import QuireCore
import Search

struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search from the command line, one query or a file of them.",
        discussion: """
        With --queries FILE, reads JSON lines {"_id": ..., "text": ...} and writes one JSON line per query:
        {"query_id": ..., "results": [{"id": ..., "score": ...}, ...]}. Batch queries are taken as plain text (no operators).
        """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var model: ModelOptions
    @Option(help: "How many results.") var limit = 10
    @Option(help: "hybrid, keyword or semantic.") var mode: String = "hybrid"
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "A JSON-lines file of queries to run in batch.") var queries: String?
    @Argument(help: "The query, with operators such as author:name, cat:cs.CL, \"a phrase\", -word.") var query: [String] = []

    func validate() throws {
        guard (1...1000).contains(limit) else { throw ValidationError("--limit must be from 1 to 1000") }
        guard SearchService.Mode(rawValue: mode) != nil else { throw ValidationError("--mode must be hybrid, keyword or semantic") }
        guard (queries == nil) != query.isEmpty else { throw ValidationError("give either a QUERY or --queries FILE") }
    }

    func run() async throws {
        try await store.withStore { papers in try await search(papers) }
    }

    private func search(_ papers: any StoreOptions.CommandStore) async throws {
        let searchMode = SearchService.Mode(rawValue: mode)!
        let semantic = searchMode == .keyword ? nil : try await model.loadSemanticIndex(store: papers)
        let service = SearchService(store: papers, semantic: semantic)
        if let queries {
            try await service.keywordIndex?.load() // seconds once, then milliseconds per query
            try await runBatch(queries, service: service, mode: searchMode)
            return
        }
        let parsed: SearchQuery
        do { parsed = try SearchQuery.parse(query.joined(separator: " ")) } catch let error as SearchQueryError { throw ValidationError(error.message) }
        guard !parsed.isEmpty else { throw ValidationError("nothing to search for: add some words") }
        let results = try await service.search(parsed, limit: limit, mode: searchMode)
        if json {
            let rows = results.hits.map { ["id": $0.paper.id, "title": $0.paper.title, "score": String(format: "%.5f", $0.score)] }
            print(String(decoding: try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys]), as: UTF8.self))
        } else {
            for (rank, hit) in results.hits.enumerated() { print("\(rank + 1). [\(hit.paper.id)] \(hit.paper.title)") }
            print("\(results.total) matching")
        }
    }

    private func runBatch(_ path: String, service: SearchService, mode: SearchService.Mode) async throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("cannot read \(path)") }
        for (number, line) in text.split(separator: "\n").enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let id = object["_id"].map({ "\($0)" }), let queryText = object["text"] as? String else {
                FileHandle.standardError.write("\(path):\(number + 1): expected {\"_id\": ..., \"text\": ...}\n".data(using: .utf8)!)
                continue
            }
            let results = try await service.search(SearchQuery.plainText(queryText), limit: limit, mode: mode)
            let row: [String: Any] = ["query_id": id, "results": results.hits.map { ["id": $0.paper.id, "score": $0.score] }]
            print(String(decoding: try JSONSerialization.data(withJSONObject: row, options: [.sortedKeys]), as: UTF8.self))
        }
    }
}
