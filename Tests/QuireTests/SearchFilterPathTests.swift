import Embedding
import Foundation
import QuireCore
import Search
import Storage
import Testing

/// Every search filter gives the same papers through every path a search
/// takes: filters alone (the store's SQL, `filteredPaperIDs`), filters with
/// words (ranked by the keyword index, by meaning, or both, then checked by
/// `SearchFilters.accepts`), and `FilterRule` applied to each paper by hand.
/// The papers are made to tell the paths apart: accents, a name whose slug
/// differs from its spelling, a name with no Latin letters, categories that
/// are prefixes of others, and list days on the edges of the date filters.
@Suite(.serialized) struct SearchFilterPathTests {
    /// Every paper says "model", so the words add no restriction of their own.
    static let papers: [Paper] = [
        Paper(id: "2401.00001", submittedAt: Timestamp.parse("2024-01-01T09:00:00Z"), title: "A convolutional model",
              abstract: "We train a model.", authors: ["Yann LeCun", "Léon Bottou"], categories: ["cs.LG", "stat.ML"],
              organization: "Meta AI"),
        Paper(id: "2401.00002", title: "A language model", abstract: "A model of language.",
              authors: ["S. C. He", "Jean-Luc O'Neil"], categories: ["cs.CL", "cs.AI"], organization: "Google DeepMind",
              dailyDate: Day("2024-01-31")),
        Paper(id: "2402.00003", submittedAt: Timestamp.parse("2024-02-01T00:00:00Z"), title: "Combinatorics of a model",
              abstract: "A model of graphs.", authors: ["Balázs Kégl"], categories: ["math.CO"]),
        Paper(id: "2402.00004", title: "A model with odd categories", abstract: "Its category is a prefix trap for the model.",
              authors: ["Sc He"], categories: ["cs.CLX", "csx.AI"], organization: "Google", dailyDate: Day("2024-02-15")),
        Paper(id: "2402.00005", title: "A model from Tsinghua", abstract: "Our model, by a name in Chinese.",
              authors: ["王小明", "Xiaoming Wang"], categories: ["CS.CV"], organization: "清华大学",
              dailyDate: Day("2024-01-30")),
    ]

    static let shared = Task { try await makeService() }

    static func makeService() async throws -> (SearchService, SQLiteStore) {
        let store = try TestSupport.temporaryStore()
        _ = try await store.upsert(papers)
        let embedder = try SentenceEmbedder(modelDirectory: SentenceEmbedder.locateModel(explicit: nil))
        let semantic = SemanticIndex(embedder: embedder, store: store)
        _ = try await semantic.embedMissing()
        return (SearchService(store: store, semantic: semantic), store)
    }

    /// Papers found through each path, by id.
    func paths(_ filters: SearchFilters) async throws -> [String: Set<String>] {
        let (search, store) = try await Self.shared.value
        var alone = SearchQuery()
        alone.filters = filters
        var withWords = alone
        withWords.words = ["model"]
        var found: [String: Set<String>] = [:]
        found["filters alone"] = Set(try await search.search(alone, limit: 100).hits.map(\.paper.id))
        found["store SQL"] = Set(try await store.filteredPaperIDs(
            author: filters.author, category: filters.category, organization: filters.organization,
            after: filters.after, before: filters.before, limit: 100))
        let reference = Set(Self.papers.filter(filters.accepts).map(\.id))
        for mode in SearchService.Mode.allCases {
            // Every paper holds "model", so by keyword the words match all of them; by
            // meaning only those similar enough do. The filters must keep exactly the
            // matches they accept: the papers the words miss are counted as found.
            var words = SearchQuery()
            words.words = withWords.words
            let missed = Set(Self.papers.map(\.id)).subtracting(try await search.search(words, limit: 100, mode: mode).hits.map(\.paper.id))
            found["with words, \(mode)"] = Set(try await search.search(withWords, limit: 100, mode: mode).hits.map(\.paper.id))
                .union(reference.intersection(missed))
        }
        found["FilterRule by hand"] = reference
        return found
    }

    /// The papers every path agrees on; fails naming the paths that differ.
    func agreed(_ filters: SearchFilters, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Set<String> {
        let found = try await paths(filters)
        let reference = found["FilterRule by hand"] ?? []
        for (path, ids) in found.sorted(by: { $0.key < $1.key }) {
            #expect(ids == reference, "\(filters): \(path) found \(ids.sorted()), FilterRule says \(reference.sorted())",
                    sourceLocation: sourceLocation)
        }
        return reference
    }

    @Test func authorsAreFoundByWhatReadersTypeOrPaste() async throws {
        #expect(try await agreed(SearchFilters(author: "lecun")) == ["2401.00001"])
        #expect(try await agreed(SearchFilters(author: "Yann LeCun")) == ["2401.00001"])
        #expect(try await agreed(SearchFilters(author: "yann-lecun")) == ["2401.00001"])
        #expect(try await agreed(SearchFilters(author: "Leon Bottou")) == ["2401.00001"])
        #expect(try await agreed(SearchFilters(author: "léon")) == ["2401.00001"])
        #expect(try await agreed(SearchFilters(author: "balazs kegl")) == ["2402.00003"])
        // "S. C. He" and "Sc He" slug differently ("s-c-he", "sc-he").
        #expect(try await agreed(SearchFilters(author: "S C He")) == ["2401.00002"])
        #expect(try await agreed(SearchFilters(author: "sc he")) == ["2402.00004"])
        #expect(try await agreed(SearchFilters(author: "o'neil")) == ["2401.00002"])
        #expect(try await agreed(SearchFilters(author: "Jean-Luc O’Neil")) == ["2401.00002"])
        #expect(try await agreed(SearchFilters(author: "王小明")) == ["2402.00005"])
        #expect(try await agreed(SearchFilters(author: "王")) == [], "a name without Latin letters matches whole")
        #expect(try await agreed(SearchFilters(author: "nobody")) == [])
    }

    @Test func categoriesMatchExactlyOrAsAnArchive() async throws {
        #expect(try await agreed(SearchFilters(category: "cs")) == ["2401.00001", "2401.00002", "2402.00004", "2402.00005"])
        #expect(try await agreed(SearchFilters(category: "cs.CL")) == ["2401.00002"])
        #expect(try await agreed(SearchFilters(category: "CS.cl")) == ["2401.00002"])
        #expect(try await agreed(SearchFilters(category: "cs.cv")) == ["2402.00005"])
        #expect(try await agreed(SearchFilters(category: "csx")) == ["2402.00004"])
        #expect(try await agreed(SearchFilters(category: "c")) == [])
        #expect(try await agreed(SearchFilters(category: "cs.%")) == [], "no SQL wildcards")
        #expect(try await agreed(SearchFilters(category: "stat.ML")) == ["2401.00001"])
    }

    @Test func organizationsMatchLikeNames() async throws {
        #expect(try await agreed(SearchFilters(organization: "google")) == ["2401.00002", "2402.00004"])
        #expect(try await agreed(SearchFilters(organization: "DeepMind")) == ["2401.00002"])
        #expect(try await agreed(SearchFilters(organization: "google-deepmind")) == ["2401.00002"])
        #expect(try await agreed(SearchFilters(organization: "meta ai")) == ["2401.00001"])
        #expect(try await agreed(SearchFilters(organization: "清华大学")) == ["2402.00005"])
    }

    @Test func datesIncludeTheirEdges() async throws {
        #expect(try await agreed(SearchFilters(after: Day("2024-01-31"))) == ["2401.00002", "2402.00003", "2402.00004"])
        #expect(try await agreed(SearchFilters(before: Day("2024-01-31"))) == ["2401.00001", "2401.00002", "2402.00005"])
        #expect(try await agreed(SearchFilters(after: Day("2024-01-31"), before: Day("2024-01-31"))) == ["2401.00002"])
        #expect(try await agreed(SearchFilters(after: Day("2024-02-01"), before: Day("2024-02-01"))) == ["2402.00003"])
        #expect(try await agreed(SearchFilters(before: Day("2023-12-31"))) == [])
    }

    @Test func filtersCombine() async throws {
        #expect(try await agreed(SearchFilters(author: "he", category: "cs")) == ["2401.00002", "2402.00004"])
        #expect(try await agreed(SearchFilters(author: "he", category: "cs.CL", organization: "google")) == ["2401.00002"])
        #expect(try await agreed(SearchFilters(category: "cs", organization: "google", after: Day("2024-02-01"))) == ["2402.00004"])
        #expect(try await agreed(SearchFilters(author: "wang", category: "cs", before: Day("2024-01-30"))) == ["2402.00005"])
        #expect(try await agreed(SearchFilters(author: "lecun", organization: "google")) == [])
    }

    /// What readers type goes through the query parser first: `_` is a space.
    @Test func typedQueriesAgreeWithAndWithoutWords() async throws {
        let (search, _) = try await Self.shared.value
        for filters in ["author:Yann_LeCun", "author:S_C_He cat:cs", "org:google after:2024-01-31", "cat:cs.CL before:2024-01-31"] {
            let alone = Set(try await search.search(SearchQuery.parse(filters), limit: 100).hits.map(\.paper.id))
            let withWords = Set(try await search.search(SearchQuery.parse("model " + filters), limit: 100).hits.map(\.paper.id))
            #expect(!alone.isEmpty && alone == withWords, "\(filters): \(alone.sorted()) alone, \(withWords.sorted()) with words")
        }
    }
}
