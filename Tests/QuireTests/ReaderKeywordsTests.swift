import Foundation
import QuireCore
import Recommendations
@testable import Search
import Storage
import Testing

/// The reader's words in "For you" (`KeywordSearch.readerTerms`, summed in by
/// `Recommender`): the words that weigh most in the liked papers, scored as
/// the keyword index scores a search, and a ranking that separates papers the
/// vectors alone cannot. Over a real SQLite store and the in-memory index the
/// server uses.
@Suite struct ReaderKeywordsTests {
    /// Papers "a0"…"a11" close around one direction, "b0"…"b149" spread
    /// around another, and texts in which half of topic a is about graphene,
    /// half about superconductors: the vectors do not tell these halves
    /// apart (as MiniLM blurs two materials measured the same way), the
    /// words do.
    static func corpus() async throws -> (VectorIndex, KeywordSearch) {
        let store = try TestSupport.temporaryStore()
        var papers: [Paper] = []
        for number in 0..<12 {
            let subject = number < 6 ? "graphene sheets" : "superconductor vortices"
            papers.append(Paper(id: "a\(number)", title: "Measurements of \(subject) \(number)",
                                abstract: "We report measurements of \(subject) in a cryostat, paper \(number)."))
        }
        for number in 0..<150 {
            papers.append(Paper(id: "b\(number)", title: "Protein folding study \(number)",
                                abstract: "We report a study of protein folding kinetics, paper \(number)."))
        }
        _ = try await store.upsert(papers)
        let keywords = KeywordSearch(feed: store)
        try await keywords.load()
        let index = VectorIndex(dimension: 16)
        var random = SeededGenerator(state: 7)
        for (topic, axis, count, spread) in [("a", 0, 12, Float(0.02)), ("b", 1, 150, Float(0.3))] {
            for number in 0..<count {
                var v = (0..<16).map { _ in Float.random(in: -spread...spread, using: &random) }
                v[axis] += 1
                let norm = sqrt(v.reduce(0) { $0 + $1 * $1 })
                index.add(id: "\(topic)\(number)", vector: v.map { $0 / norm })
            }
        }
        return (index, keywords)
    }

    @Test func theReadersWordsAreTheirPapersDistinctiveOnes() async throws {
        let (_, keywords) = try await Self.corpus()
        let terms = keywords.readerTerms(of: ["a0", "a1", "a2"], limit: 5)
        #expect(terms.count == 5)
        #expect(Set(terms.prefix(2).map(\.term)) == Set(KeywordTokenizer.tokens("graphene sheets")))
        #expect(zip(terms, terms.dropFirst()).allSatisfy { $0.weight >= $1.weight })
        // Words of papers the index does not hold: none.
        #expect(keywords.readerTerms(of: ["nope"], limit: 5).isEmpty)
        #expect(keywords.readerTerms(of: ["a0"], limit: 0).isEmpty)
    }

    @Test func oneWordOfWeightOneScoresAsASearchForIt() async throws {
        let (_, keywords) = try await Self.corpus()
        let word = KeywordTokenizer.tokens("graphene")[0]
        let scored = Dictionary(uniqueKeysWithValues: keywords.scores(of: [WeightedTerm(term: word, weight: 1)]).map { ($0.id, $0.score) })
        let searched = try await keywords.search(words: ["graphene"], phrases: [], limit: 100)
        #expect(scored.count == 6 && searched.count == 6)
        for hit in searched { #expect(abs((scored[hit.id] ?? 0) - hit.score) < 1e-12) }
        // Weights scale each word's share.
        let doubled = keywords.scores(of: [WeightedTerm(term: word, weight: 2)])
        for hit in doubled { #expect(abs(hit.score - 2 * (scored[hit.id] ?? 0)) < 1e-12) }
    }

    @Test func theWordsSeparateWhatTheVectorsCannot() async throws {
        let (index, keywords) = try await Self.corpus()
        let profile = ReaderProfile(id: "r", liked: ["a0", "a1", "a2"])
        let withWords = try Recommender(index: index, keywords: keywords).recommendBlocking(profile, limit: 9).items.map(\.id)
        #expect(Set(withWords.prefix(3)) == ["a3", "a4", "a5"])
        var vectorsOnly = RecommenderSettings()
        vectorsOnly.keywordWeight = 0
        let model = try Recommender(index: index, keywords: keywords, settings: vectorsOnly).trainBlocking(profile)
        #expect(model.keywordTerms.isEmpty)
        // The vectors alone still find topic a, in an order the words do not set.
        let alone = try Recommender(index: index, keywords: keywords, settings: vectorsOnly).recommendBlocking(profile, limit: 9).items.map(\.id)
        #expect(alone.allSatisfy { $0.hasPrefix("a") })
    }

    @Test func oneLikedPaperOrEveryPaperSignalledIsRanked() async throws {
        let (index, keywords) = try await Self.corpus()
        let recommender = Recommender(index: index, keywords: keywords)
        let one = try recommender.recommendBlocking(ReaderProfile(id: "one", liked: ["a7"]), limit: 5).items.map(\.id)
        #expect(one.count == 5 && one.allSatisfy { $0.hasPrefix("a") && $0 != "a7" })
        #expect(one.prefix(4).allSatisfy { (6..<12).map { "a\($0)" }.contains($0) })
        let liked = (0..<6).map { "a\($0)" } + (0..<94).map { "b\($0)" }, disliked = (94..<150).map { "b\($0)" } + (6..<12).map { "a\($0)" }
        let many = try recommender.recommendBlocking(ReaderProfile(id: "many", liked: liked, disliked: disliked), limit: 10)
        #expect(many.items.isEmpty) // every paper was given: nothing left to rank, and no error
        let most = try recommender.recommendBlocking(ReaderProfile(id: "most", liked: liked, disliked: Array(disliked.prefix(56))), limit: 10)
        #expect(most.items.count == 6 && most.items.allSatisfy { $0.score.isFinite })
    }
}
