import ArgumentParser
import Foundation
import Recommendations
import Search

/// `quire recommend`: "For you" in batch, for evaluation and scripts, with
/// exactly the model the feed uses.
struct RecommendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend",
        abstract: "Rank papers for readers' profiles, with the model of the \"For you\" feed.",
        discussion: """
        Reads JSON lines {"_id": ..., "liked": ["paper id", ...], "disliked": ["paper id", ...]} \
        ("weakly_liked": [...], optional: positives weighing a quarter of a like, as opened papers do in the feed) \
        and writes one JSON line per profile: {"profile_id": ..., "results": [{"id": ..., "score": ...}, ...]}, \
        ranking every paper in the database except the ones given. A malformed line or a profile \
        that cannot be ranked is reported on standard error as FILE:LINE: reason and skipped; \
        the exit status is 1 if any was.
        """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var model: ModelOptions
    @Option(help: "How many papers per profile.") var limit = 100
    @Option(help: "A JSON-lines file of profiles.") var profiles: String
    // For bench/foryou_eval.sh's ablations only: the feed uses the defaults.
    @Option(help: .hidden) var linearWeight = RecommenderSettings().linearWeight
    @Option(help: .hidden) var nearestWeight = RecommenderSettings().nearestWeight
    @Option(help: .hidden) var meanWeight = RecommenderSettings().meanWeight
    @Option(help: .hidden) var l2 = RecommenderSettings().l2
    @Option(help: .hidden) var sampledNegatives = RecommenderSettings().sampledNegatives
    @Option(help: .hidden) var keywordWeight = RecommenderSettings().keywordWeight
    @Option(help: .hidden) var keywordTerms = RecommenderSettings().keywordTerms
    @Option(help: .hidden) var dislikeWeight = RecommenderSettings().dislikeWeight
    // For bench/foryou_speed.sh: each profile's training and ranking time, as JSON lines on standard error.
    @Flag(help: .hidden) var timings = false
    // For bench/foryou_speed.sh's day's picks: rank only the papers listed in this file (one id a line).
    @Option(help: .hidden) var among: String?

    func validate() throws {
        guard (1...1_000_000).contains(limit) else { throw ValidationError("--limit must be from 1 to 1000000") }
        guard l2 >= 0, l2.isFinite, sampledNegatives >= 0 else { throw ValidationError("--l2 and --sampled-negatives must not be negative") }
        guard keywordWeight.isFinite, keywordTerms >= 0, dislikeWeight >= 0, dislikeWeight.isFinite else {
            throw ValidationError("--keyword-weight must be a number, --keyword-terms and --dislike-weight not negative")
        }
    }

    func run() async throws {
        guard let text = try? String(contentsOfFile: profiles, encoding: .utf8) else { throw ValidationError("cannot read \(profiles)") }
        let candidates = try among.map { path in
            guard let list = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("cannot read \(path)") }
            return Set(list.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
        var settings = RecommenderSettings()
        settings.linearWeight = linearWeight
        settings.nearestWeight = nearestWeight
        settings.meanWeight = meanWeight
        settings.l2 = l2
        settings.sampledNegatives = sampledNegatives
        settings.keywordWeight = keywordWeight
        settings.keywordTerms = keywordTerms
        settings.dislikeWeight = dislikeWeight
        // The vectors and the words are loaded into memory, as the server holds them.
        let refused = try await store.withStore { store in
            let semantic = try await model.loadSemanticIndex(store: store)
            let keywords = KeywordSearch(feed: store)
            try await keywords.load()
            return try await recommend(text, source: profiles, recommender: Recommender(index: semantic.index, keywords: keywords, settings: settings),
                                       among: candidates, limit: limit, timings: timings)
        }
        if refused > 0 { throw ExitCode(1) }
    }
}

/// Ranks every profile of a JSON-lines text, printing one line per profile;
/// returns how many lines were refused (each reported as SOURCE:LINE: reason).
func recommend(_ text: String, source: String, recommender: Recommender, among: Set<String>? = nil, limit: Int,
               timings: Bool = false) async throws -> Int {
    var refused = 0
    func refuse(_ number: Int, _ reason: String) {
        FileHandle.standardError.write(Data("\(source):\(number): \(reason)\n".utf8))
        refused += 1
    }
    // Split on "\n" alone so that line numbers match an editor's even with CRLF ends.
    for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
    where !line.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
        let number = offset + 1
        let profile: ReaderProfile
        do { profile = try ReaderProfile.parse(jsonLine: line) } catch { refuse(number, error.reason); continue }
        let ranked: Recommendations
        do {
            let (recommendations, training, ranking) = try await recommender.recommendTimed(profile, among: among, limit: limit)
            ranked = recommendations
            if timings {
                let line: [String: Any] = ["profile_id": profile.id, "papers": recommender.index.count, "liked": profile.liked.count,
                                           "disliked": profile.disliked.count, "train_ms": milliseconds(training), "rank_ms": milliseconds(ranking)]
                FileHandle.standardError.write(try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]) + Data("\n".utf8))
            }
        } catch let error as RecommendationError {
            refuse(number, "profile \(profile.id): \(error)"); continue
        }
        if !ranked.unknownIDs.isEmpty {
            FileHandle.standardError.write(Data("\(source):\(number): profile \(profile.id): ignored unknown papers \(ranked.unknownIDs.joined(separator: ", "))\n".utf8))
        }
        let row: [String: Any] = ["profile_id": profile.id, "results": ranked.items.map { ["id": $0.id, "score": Double($0.score)] as [String: Any] }]
        print(String(decoding: try JSONSerialization.data(withJSONObject: row, options: [.sortedKeys]), as: UTF8.self))
    }
    return refused
}

private func milliseconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) * 1000 + Double(attoseconds) / 1e15
}
