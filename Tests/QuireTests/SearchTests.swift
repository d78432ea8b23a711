import Foundation
import Ingest
import QuireCore
import Embedding
@testable import Search
import Storage
import Testing

@Suite struct SearchQueryTests {
    @Test func operatorsPhrasesAndExclusions() throws {
        let q = try SearchQuery.parse(#"diffusion "image editing" -video -"text to speech" author:rombach cat:cs.CV org:Stability_AI after:2024-01-01 before:2025-06-30"#)
        #expect(q.words == ["diffusion"])
        #expect(q.phrases == ["image editing"])
        #expect(q.excluded == ["video", "text to speech"])
        #expect(q.filters == SearchFilters(author: "rombach", category: "cs.CV", organization: "Stability AI",
                                           after: Day("2024-01-01"), before: Day("2025-06-30")))
    }

    @Test(arguments: ["https://arxiv.org/abs/2410.17243v2", "arxiv.org/pdf/2410.17243", "https://huggingface.co/papers/2410.17243", "2410.17243", "arXiv:2410.17243v1"])
    func arxivLinksAreIDs(text: String) throws {
        #expect(try SearchQuery.parse(text).arxivID?.base == "2410.17243")
    }

    @Test func queriesWithNothingUsable() throws {
        #expect(try SearchQuery.parse("").isEmpty)
        #expect(try SearchQuery.parse("   \"\"  - -- !!! ").isEmpty)
        let punctuation = String(repeating: "!?.,;:-()[]{}", count: 800) // ~10 kB
        #expect(try SearchQuery.parse(punctuation).isEmpty)
        #expect(try SearchQuery.parse("Q:A title:words").words == ["Q:A", "title:words"], "unknown operators are words")
    }

    @Test(arguments: [("after:2024-13-01", "after: takes a date"), ("before:soon", "before: takes a date"), ("author:", "author: needs a value"),
                      ("after:2025-01-02 before:2025-01-01", "is later than")])
    func badOperatorsSayWhatToWrite(text: String, message: String) {
        #expect(throws: SearchQueryError.self) { try SearchQuery.parse(text) }
        do { _ = try SearchQuery.parse(text) } catch { #expect("\(error)".contains(message)) }
    }

    @Test func vectorIndexFindsNearestAndReplaces() {
        let index = VectorIndex(dimension: 2)
        index.add(id: "a", vector: [1, 0]); index.add(id: "b", vector: [0, 1]); index.add(id: "c", vector: [0.6, 0.8])
        #expect(index.nearest(to: [1, 0], k: 2).map(\.id) == ["a", "c"])
        index.add(id: "a", vector: [0, -1])
        #expect(index.count == 3)
        #expect(index.nearest(to: [1, 0], k: 1).map(\.id) == ["c"])
        #expect(index.nearest(to: [0, 1], k: 3, exclude: { $0 == "b" }).map(\.id) == ["c", "a"])
    }

    @Test func highlightsMarkWordsAndTheirForms() {
        let spans = Highlighter.spans("Transformers for Long-Context retrieval", terms: ["transformer", "context"])
        #expect(spans.filter(\.highlighted).map(\.text) == ["Transformers", "Context"])
        #expect(spans.map(\.text).joined() == "Transformers for Long-Context retrieval")
        // What the keyword index matches, no more: a stem, not a prefix.
        let forms = Highlighter.spans("Learned without labels, learning with them", terms: ["learning", "with"])
        #expect(forms.filter(\.highlighted).map(\.text) == ["Learned", "learning", "with"])
    }

    @Test func highlightsIgnoreAccentsAndKeepTheTextWhole() {
        for text in ["Étude of naïve Bayes: 東京 results", "E\u{301}tude of nai\u{308}ve Bayes, again"] {
            let spans = Highlighter.spans(text, terms: ["etude", "naive", "東京"])
            #expect(spans.map(\.text).joined() == text)
            #expect(spans.filter(\.highlighted).count == (text.contains("東京") ? 3 : 2), "\(spans)")
            #expect(!spans.contains { $0.highlighted && $0.text.contains(" ") })
        }
    }

    @Test func topKKeepsTheBest() {
        var heap = TopK<Float>(k: 3)
        for (i, s) in [0.1, 0.9, 0.5, 0.7, 0.2, 0.95].enumerated() { heap.insert(i, Float(s)) }
        #expect(heap.sortedDescending().map(\.index) == [5, 1, 3])
    }
}

/// Search against a real SQLite file with the real model: these load
/// all-MiniLM-L6-v2 from the pip package, as `quire serve` does.
@Suite(.serialized) struct HybridSearchTests {
    /// Built once for the suite: embedding the 208 papers is the slow part.
    static let shared = Task { try await makeService() }
    static func service() async throws -> (SearchService, SQLiteStore) { try await shared.value }

    static func makeService() async throws -> (SearchService, SQLiteStore) {
        let store = try TestSupport.temporaryStore()
        let importer = Importer(store: store)
        _ = try await importer.importFile(TestSupport.sharedFile("fixtures/hf-papers/daily_papers-2024-10-25-first8.json"))
        _ = try await importer.importFile(TestSupport.sharedFile("fixtures/arxiv-snapshot/first200.jsonl"))
        let embedder = try SentenceEmbedder(modelDirectory: SentenceEmbedder.locateModel(explicit: nil))
        let semantic = SemanticIndex(embedder: embedder, store: store)
        let embedded = try await semantic.embedMissing()
        guard embedded == 208 else { throw SearchSetupError(message: "embedded \(embedded) papers, expected 208") }
        return (SearchService(store: store, semantic: semantic), store)
    }

    @Test func aVagueDescriptionFindsThePaper() async throws {
        let (search, _) = try await Self.service()
        // Shares almost no words with the title or abstract of 2410.17243.
        let query = SearchQuery.plainText("train CLIP-style models with gigantic batches without running out of GPU RAM")
        let semantic = try await search.search(query, limit: 5, mode: .semantic).hits.map(\.paper.id)
        #expect(semantic.first == "2410.17243")
        let hybrid = try await search.search(query, limit: 5).hits.map(\.paper.id)
        #expect(hybrid.first == "2410.17243")
    }

    @Test func filtersPhrasesExclusionsAndSorting() async throws {
        let (search, _) = try await Self.service()
        let physics = try await search.search(SearchQuery.parse("quantum cat:hep-ph"), limit: 50)
        #expect(!physics.hits.isEmpty)
        #expect(physics.hits.allSatisfy { $0.paper.categories.contains { $0.hasPrefix("hep-ph") } })
        let byAuthor = try await search.search(SearchQuery.parse("author:balazs"), limit: 10)
        #expect(byAuthor.hits.map(\.paper.id).contains("0704.0001"))
        let phrase = try await search.search(SearchQuery.parse(#""knowledge editing""#), limit: 10)
        #expect(phrase.hits.map(\.paper.id) == ["2410.16251"], "the only paper with that phrase")
        #expect(phrase.hits.allSatisfy { $0.paper.abstract.lowercased().contains("knowledge editing") || $0.paper.title.lowercased().contains("knowledge editing") })
        let excluded = try await search.search(SearchQuery.parse("language models -hallucinations"), limit: 50)
        #expect(!excluded.hits.contains { ($0.paper.title + $0.paper.abstract).lowercased().contains("hallucinations") })
        let byVotes = try await search.search(SearchQuery.parse("language models after:2024-10-01"), sort: .upvotes, limit: 20)
        let votes = byVotes.hits.map(\.paper.upvotes)
        #expect(votes == votes.sorted(by: >) && !votes.isEmpty)
    }

    @Test func newPapersAreSearchableOnceStored() async throws {
        let (search, store) = try await Self.makeService()
        let paper = Paper(id: "2501.00001", title: "Zebrafish fin regeneration under microgravity",
                          abstract: "We study how zebrafish regrow fins aboard the space station.")
        _ = try await store.upsert([paper])
        // Keyword index: at once.
        let keyword = try await search.search(SearchQuery.parse("zebrafish microgravity"), limit: 3, mode: .keyword)
        #expect(keyword.hits.first?.paper.id == "2501.00001")
        // Meaning: as soon as its vector is made (the serve worker does this every few seconds).
        #expect(try await search.semantic!.embedMissing() == 1)
        let semantic = try await search.search(SearchQuery.plainText("fish growing back fins in space"), limit: 3, mode: .semantic)
        #expect(semantic.hits.first?.paper.id == "2501.00001")
        let similar = try await search.similar(to: paper, limit: 3)
        #expect(similar.count == 3 && !similar.contains { $0.id == paper.id })
    }
}

struct SearchSetupError: Error { var message: String }
