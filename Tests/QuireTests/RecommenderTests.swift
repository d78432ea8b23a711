import Foundation
import QuireCore
import Recommendations
import Search
import Testing

/// The reader's model of "For you" on a small made-up corpus of two topics:
/// what it ranks first, that it ranks the same way every time, and how it
/// refuses what it cannot rank. Its quality on real data is measured in
/// bench/foryou_eval.sh, not here.
@Suite struct RecommenderTests {
    static let dimension = 16

    /// Papers "a0"…"a11" near one direction, "b0"…"b149" near another: as in
    /// a real corpus, a reader's topic is a small part of it (the model's
    /// negatives are sampled from everything else).
    static func twoTopics() -> VectorIndex {
        let index = VectorIndex(dimension: dimension)
        var random = SeededGenerator(state: 7)
        for (topic, axis, count) in [("a", 0, 12), ("b", 1, 150)] {
            for number in 0..<count {
                var v = (0..<dimension).map { _ in Float.random(in: -0.3...0.3, using: &random) }
                v[axis] += 1
                let norm = sqrt(v.reduce(0) { $0 + $1 * $1 })
                index.add(id: "\(topic)\(number)", vector: v.map { $0 / norm })
            }
        }
        return index
    }

    @Test func aReaderOfOneTopicGetsThatTopicFirst() throws {
        let recommender = Recommender(index: Self.twoTopics())
        let profile = ReaderProfile(id: "r", liked: ["a1", "a2", "a3"], disliked: ["b5"])
        let ranked = try recommender.recommendBlocking(profile, limit: 200).items.map(\.id)
        #expect(ranked.count == 158) // every paper but the four given
        #expect(ranked.prefix(9).allSatisfy { $0.hasPrefix("a") })
        #expect(!ranked.contains { ["a1", "a2", "a3", "b5"].contains($0) })
    }

    @Test func scoresAreTheSameOnEveryRun() throws {
        let profile = ReaderProfile(id: "r", liked: ["b1", "a7"])
        let first = try Recommender(index: Self.twoTopics()).recommendBlocking(profile, limit: 20).items
        let second = try Recommender(index: Self.twoTopics()).recommendBlocking(profile, limit: 20).items
        #expect(first.map(\.id) == second.map(\.id))
        #expect(first.map(\.score) == second.map(\.score))
    }

    @Test func anEmptyOrUnknownLikedListIsRefusedPrecisely() throws {
        let recommender = Recommender(index: Self.twoTopics())
        #expect(throws: RecommendationError.noLikedPapers) {
            try recommender.recommendBlocking(ReaderProfile(id: "r", liked: [], disliked: ["a1"]), limit: 10)
        }
        #expect(throws: RecommendationError.unknownLikedPapers(["nope", "2401.99999"])) {
            try recommender.recommendBlocking(ReaderProfile(id: "r", liked: ["nope", "2401.99999"]), limit: 10)
        }
        // Some known: ranked, the unknown ones reported.
        let partly = try recommender.recommendBlocking(ReaderProfile(id: "r", liked: ["a1", "nope"]), limit: 5)
        #expect(partly.unknownIDs == ["nope"])
        #expect(partly.items.count == 5)
    }

    /// A reader of both topics, more of b than of a, dismisses papers of
    /// topic b: weighed as liked papers are (`dislikeWeight` 1, an ablation)
    /// the dismissals push topic b down; as a few more of a thousand sampled
    /// negatives (the default, measured better) they hardly move it.
    @Test func dismissalsWeighedHarderPushTheirTopicDown() throws {
        let profile = ReaderProfile(id: "r", liked: ["a1", "b1", "b2"], disliked: ["b3", "b4", "b5", "b6", "b7", "b8"])
        var hardNegatives = RecommenderSettings()
        hardNegatives.dislikeWeight = 1
        func topicBInTopTen(_ settings: RecommenderSettings) throws -> Int {
            try Recommender(index: Self.twoTopics(), settings: settings).recommendBlocking(profile, limit: 10).items.filter { $0.id.hasPrefix("b") }.count
        }
        let hard = try topicBInTopTen(hardNegatives), sampled = try topicBInTopTen(RecommenderSettings())
        #expect(hard < sampled)
    }

    /// Ranking only among some papers (the day's new ones) scores only those,
    /// and orders them as ranking everything would.
    @Test func rankingAmongSomePapersKeepsTheirOrder() throws {
        let recommender = Recommender(index: Self.twoTopics())
        let model = try recommender.trainBlocking(ReaderProfile(id: "r", liked: ["a1", "b2"]))
        let among: Set<String> = ["a4", "a5", "b7", "b8", "b9", "a1"]
        let some = recommender.rankBlocking(model, among: among, limit: 10).map(\.id)
        let all = recommender.rankBlocking(model, limit: 200).map(\.id).filter(among.contains)
        #expect(some == all)
        #expect(!some.contains("a1") && some.count == 5)
    }

    @Test func profileLinesAreParsedOrRefusedWithAReason() throws {
        let profile = try ReaderProfile.parse(jsonLine: #"{"_id": "p1", "liked": ["a1"], "disliked": ["b2"]}"#)
        #expect(profile == ReaderProfile(id: "p1", liked: ["a1"], disliked: ["b2"]))
        #expect(try ReaderProfile.parse(jsonLine: #"{"_id": 7, "liked": []}"#) == ReaderProfile(id: "7", liked: []))
        for (line, reason) in [
            (#"{"_id": "p", "liked": ["a1"#, "not valid JSON"),
            (#"["a1"]"#, "expected a JSON object {\"_id\": ..., \"liked\": [...], \"disliked\": [...]}"),
            (#"{"liked": ["a1"]}"#, "missing field `_id`"),
            (#"{"_id": "p"}"#, "missing field `liked`"),
            (#"{"_id": "p", "liked": "a1"}"#, "field `liked`: expected an array of paper ids"),
            (#"{"_id": "p", "liked": ["a1"], "disliked": ["b1", 3]}"#, "field `disliked`: element 2 is not a string"),
        ] {
            #expect(throws: ProfileLineError(reason: reason)) { try ReaderProfile.parse(jsonLine: line) }
        }
    }
}
