import Embedding
import Foundation
import QuireCore
@testable import Search
import Storage
import Testing

/// What a search result is (issue 15, "Search that stops"): a paper holding
/// every word, one close enough in meaning (`SearchService.semanticThreshold`),
/// or one by the author the query names; counted exactly, paged without
/// gaps or repeats, and filtered and excluded like any other.
@Suite(.serialized) struct SearchMatchTests {
    static let papers: [Paper] = [
        Paper(id: "2501.00001", title: "Denoising diffusion models for image synthesis",
              abstract: "We train a diffusion model that turns noise into images step by step.",
              authors: ["Zesen Cheng", "Ann Lee"], categories: ["cs.CV"], dailyDate: Day("2025-01-10")),
        Paper(id: "2501.00002", title: "Latent diffusion for text-to-video generation",
              abstract: "A diffusion model in latent space generates video clips from text prompts.",
              authors: ["Bob Stone"], categories: ["cs.CV"], dailyDate: Day("2025-03-01")),
        Paper(id: "2501.00003", title: "Generating video clips by reversing a noising process",
              abstract: "Our generative model learns to denoise video frames, producing short clips from noise.",
              authors: ["Cora Diaz"], categories: ["cs.CV"], dailyDate: Day("2025-02-01")),
        Paper(id: "2501.00004", title: "Diffusion of innovations among farmers",
              abstract: "A survey of how diffusion of new seeds spreads through rural diffusion networks.",
              authors: ["Dan Park"], categories: ["econ.GN"], dailyDate: Day("2024-12-01")),
        Paper(id: "2501.00005", title: "A contrastive loss for sentence embeddings",
              abstract: "Contrastive learning with an InfoNCE loss pulls paraphrases together.",
              authors: ["Balázs Kégl"], categories: ["cs.CL"], dailyDate: Day("2024-06-01")),
        Paper(id: "2501.00006", title: "Hearing loss in elderly patients",
              abstract: "A clinical study of age-related hearing loss and hearing aids.",
              authors: ["Eve Moss"], categories: ["q-bio.NC"], dailyDate: Day("2025-06-01")),
        Paper(id: "2501.00007", title: "Quantum error correction with surface codes",
              abstract: "Surface codes protect logical qubits from noise.",
              authors: ["Zesen Cheng"], categories: ["quant-ph"], dailyDate: Day("2023-01-01")),
        Paper(id: "2501.00008", title: "Protein structure prediction with graph networks",
              abstract: "Message passing over residue graphs predicts protein folds.",
              authors: ["Finn Hale"], categories: ["q-bio.BM"], dailyDate: Day("2025-05-01")),
    ]

    static let shared = Task { try await makeService() }

    static func makeService() async throws -> SearchService {
        let store = try TestSupport.temporaryStore()
        _ = try await store.upsert(papers)
        let embedder = try SentenceEmbedder(modelDirectory: SentenceEmbedder.locateModel(explicit: nil))
        let semantic = SemanticIndex(embedder: embedder, store: store)
        _ = try await semantic.embedMissing()
        return SearchService(store: store, semantic: semantic)
    }

    func ids(_ text: String, sort: SearchSort = .relevance) async throws -> [String] {
        try await Self.shared.value.search(SearchQuery.parse(text), sort: sort, limit: 50).hits.map(\.paper.id)
    }

    @Test func theTotalIsExactAndPagesNeitherRepeatNorSkip() async throws {
        let search = try await Self.shared.value
        for sort in SearchSort.allCases {
            let all = try await search.search(SearchQuery.parse("diffusion"), sort: sort, limit: 50)
            #expect(all.total == all.hits.count && all.total >= 3)
            var paged: [String] = []
            for page in 0..<(all.total + 1) {
                let results = try await search.search(SearchQuery.parse("diffusion"), sort: sort, page: page, limit: 1)
                #expect(results.total == all.total, "page \(page) by \(sort) counts \(results.total), page 0 \(all.total)")
                paged += results.hits.map(\.paper.id)
            }
            #expect(paged == all.hits.map(\.paper.id), "by \(sort)")
        }
    }

    @Test func nonsenseMatchesNothingAndSaysWhatWouldMatch() async throws {
        let search = try await Self.shared.value
        let nonsense = try await search.search(SearchQuery.parse("qwxzvb plorkt zzyzx"), limit: 10)
        #expect(nonsense.total == 0 && nonsense.hits.isEmpty)
        // A real word with a filter nothing passes: the suggestion drops the filter.
        let filtered = try SearchQuery.parse("diffusion cat:math.CO")
        #expect(try await search.search(filtered, limit: 10).total == 0)
        let suggestions = try await search.suggestions(for: filtered)
        #expect(suggestions.first?.change == "without the filters")
        #expect(suggestions.first.map { $0.total > 0 && $0.query.typed == "diffusion" } == true)
    }

    @Test func exclusionsAndFiltersApplyToMatchesInMeaning() async throws {
        let diffusion = try await ids("diffusion -video")
        let texts = Self.papers.filter { diffusion.contains($0.id) }.map { ($0.title + " " + $0.abstract).lowercased() }
        #expect(!texts.isEmpty && !texts.contains { $0.contains("video") })
        #expect(try await ids("diffusion cat:econ").allSatisfy { $0 == "2501.00004" })
    }

    @Test func sortingByDateSortsMatchesOnly() async throws {
        // "loss" alone is in a newer paper on hearing; it holds one word of two and means something else.
        let byDate = try await ids("contrastive loss", sort: .date)
        #expect(byDate.first == "2501.00005")
        #expect(!byDate.contains("2501.00006"))
    }

    @Test func anAuthorsNameFindsTheirPapersFirst() async throws {
        #expect(Set(try await ids("Zesen Cheng").prefix(2)) == ["2501.00001", "2501.00007"])
        #expect(Set(try await ids("zesen cheng").prefix(2)) == ["2501.00001", "2501.00007"])
        #expect(try await ids("Balazs Kegl").first == "2501.00005", "folded: Balazs finds Balázs")
        #expect(Set(try await ids(#"author:"Zesen Cheng""#)) == ["2501.00001", "2501.00007"])
        #expect(try await ids(#"author:"Zesen Cheng" quantum"#).first == "2501.00007")
        #expect(try await ids("author:balazs") == ["2501.00005"])
    }

    @Test func quotedOperatorValuesKeepTheirSpaces() throws {
        let query = try SearchQuery.parse(#"diffusion author:"Zesen Cheng" org:"Deep Lab" -"text to video""#)
        #expect(query.words == ["diffusion"])
        #expect(query.filters.author == "Zesen Cheng" && query.filters.organization == "Deep Lab")
        #expect(query.excluded == ["text to video"])
        #expect(try SearchQuery.parse(#"author:"Zesen Cheng"#).filters.author == "Zesen Cheng", "an unclosed quote runs to the end")
        #expect(try SearchQuery.parse("author:Zesen Cheng").words == ["Cheng"], "unquoted, a value ends at the space")
        #expect(try SearchQuery.parse(query.typed) == query)
        #expect(throws: SearchQueryError.self) { try SearchQuery.parse(#"author:"""#) }
    }
}
