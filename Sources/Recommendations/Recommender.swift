import CBLAS
import Foundation
import QuireCore
import Search

/// How a reader's model is built; the defaults are what the feed uses and
/// what bench/foryou_eval.sh measured best.
public struct RecommenderSettings: Sendable, Equatable {
    /// Papers drawn from the corpus as negatives: a reader has few dislikes,
    /// and a random paper is very likely one they would not pick.
    public var sampledNegatives = 1_000
    public var l2: Float = 0.01
    public var iterations = 200
    /// Weights of the three standardised scores that are summed: the linear
    /// model's, the highest similarity to one liked paper (a reader's several
    /// interests stay apart) and the mean similarity to the liked papers.
    /// Measured (bench/foryou_eval.sh --ablations, on the tuning readers):
    /// nDCG@10 0.451 alone, 0.459 with 0.3 of the nearest, 0.458 with l2
    /// 0.003, 0.455 with l2 0.001: within the noise of 19 readers (the
    /// bootstrap interval of a difference is about ±0.03), while summing in
    /// a similarity costs a product of the corpus by every liked vector at
    /// each ranking (150 liked: 40 times the linear model's). So the feed
    /// uses the linear model alone.
    public var linearWeight: Float = 1
    public var nearestWeight: Float = 0
    public var meanWeight: Float = 0
    /// The reader's words (`KeywordSearch.readerTerms`): the `keywordTerms`
    /// words weighing most in their liked papers, every paper scored by the
    /// BM25 of those words, and that score's logarithm standardised and
    /// summed in with `keywordWeight`. The vectors place a paper by its
    /// topic; the words catch what MiniLM blurs (a method's or an object's
    /// name). The logarithm: a BM25 sum over 100 words is heavy-tailed, and
    /// standardised raw it lets a few long papers full of common words crowd
    /// the top. Measured in bench/foryou_eval.sh --ablations.
    public var keywordWeight: Float = 0.5
    public var keywordTerms = 100
    /// How much one dismissed paper weighs against one liked paper (`train`);
    /// 0 makes it weigh as a sampled negative. Measured 0: in the simulated
    /// "Not interested" loop of bench/foryou_eval.sh --ablations (readers
    /// dismiss the picks of their top 10 that are not theirs), nDCG@10 on
    /// the tuning readers was 0.684 with 0, 0.667 with 0.1 and 0.558 with
    /// 1: a dismissed pick is near the reader's topic, and weighed hard it
    /// pushes the model off the papers around it that the reader wants. The
    /// dismissed paper itself never comes back either way.
    public var dislikeWeight: Float = 0
    public init() {}
}

/// One profile's ranking, best first, and the given ids that are not papers
/// with a vector (ignored; reported so that the caller can say so).
public struct Recommendations: Sendable {
    public var items: [(id: String, score: Float)]
    public var unknownIDs: [String]
}

/// A reader's model, "For you": trained on their liked papers (positives),
/// disliked papers and papers sampled from the corpus (negatives), over the
/// MiniLM vectors of the semantic index, then scoring every other paper.
/// Deterministic: the sample is seeded by the profile's papers.
public final class Recommender: Sendable {
    public let index: VectorIndex
    /// The papers' words, for the reader's keyword profile; without it the
    /// model is the vectors' alone.
    public let keywords: KeywordSearch?
    public let settings: RecommenderSettings

    public init(index: VectorIndex, keywords: KeywordSearch? = nil, settings: RecommenderSettings = RecommenderSettings()) {
        self.index = index
        self.keywords = keywords
        self.settings = settings
    }

    /// Catches the keyword index up with the store, so that the reader's
    /// words are found in papers added since (the vectors are caught up by
    /// their own loader).
    public func refreshKeywords() async throws {
        if let keywords = loadedKeywords { try await keywords.refresh() }
    }

    /// The keyword index once it holds every paper: a model trained on a
    /// half-loaded one (the server's first seconds) would keep half a
    /// profile of words until the reader's next signal, so until then the
    /// vectors rank alone.
    var loadedKeywords: KeywordSearch? {
        keywords.flatMap { $0.isLoaded ? $0 : nil }
    }

    /// The best `limit` papers for `profile`, leaving out the papers it gives.
    /// Runs on `ModelThreads`; the caller suspends meanwhile.
    public func recommend(_ profile: ReaderProfile, limit: Int) async throws -> Recommendations {
        try await recommendTimed(profile, limit: limit).recommendations
    }

    /// `recommend`, and how long training and ranking each took (bench/foryou_speed.sh).
    /// Only papers in `among` when it is given (the day's new papers, bench/foryou_speed.sh).
    public func recommendTimed(_ profile: ReaderProfile, among: Set<String>? = nil,
                               limit: Int) async throws -> (recommendations: Recommendations, training: Duration, ranking: Duration) {
        try await refreshKeywords()
        return try await ModelThreads.pool.runIfActive {
            let model = try self.trainBlocking(profile)
            let started = ContinuousClock.now
            // Weak positives are not left out by the model (a followed author's new paper is a fine pick): `recommend` leaves out every paper given.
            let items = self.rankBlocking(model, leavingOut: Set(profile.weaklyLiked), among: among, limit: limit)
            return (Recommendations(items: items, unknownIDs: model.unknownIDs), model.trainingTime, ContinuousClock.now - started)
        }
    }

    public func recommendBlocking(_ profile: ReaderProfile, limit: Int) throws(RecommendationError) -> Recommendations {
        let model = try trainBlocking(profile)
        return Recommendations(items: rankBlocking(model, leavingOut: Set(profile.weaklyLiked), limit: limit), unknownIDs: model.unknownIDs)
    }

    /// Trains the reader's model (a few milliseconds: see bench/foryou_speed.sh).
    /// The feed keeps it (`ReaderModelCache`) until the reader's signals change.
    public func trainBlocking(_ profile: ReaderProfile) throws(RecommendationError) -> ReaderModel {
        guard !profile.liked.isEmpty else { throw RecommendationError.noLikedPapers }
        let dimension = index.dimension
        let settings = self.settings
        let started = ContinuousClock.now
        // A `Result` out of the closure: `withVectors` rethrows untyped errors.
        return try index.withVectors { (ids, rows, matrix) -> Result<ReaderModel, RecommendationError> in
            let liked = Array(Set(profile.liked.compactMap { rows[$0] })).sorted()
            let disliked = Array(Set(profile.disliked.compactMap { rows[$0] }).subtracting(liked)).sorted()
            // A paper both disliked and weakly liked (opened, then dismissed) is a negative.
            let weak = Array(Set(profile.weaklyLiked.compactMap { rows[$0] }).subtracting(liked).subtracting(disliked)).sorted()
            let unknown = (profile.liked + profile.disliked + profile.weaklyLiked).filter { rows[$0] == nil }
            guard !liked.isEmpty else { return .failure(.unknownLikedPapers(profile.liked)) }
            let sampled = Self.sample(settings.sampledNegatives, of: ids.count, avoiding: Set(liked).union(disliked).union(weak),
                                      seed: stableHash(profile.liked.sorted().joined(separator: "\n")))
            let model = Self.train(liked: liked, weaklyLiked: weak, disliked: disliked, sampled: sampled, matrix: matrix, dimension: dimension,
                                   settings: settings)
            let terms = settings.keywordWeight == 0 ? [] : loadedKeywords?.readerTerms(of: liked.map { ids[$0] }, limit: settings.keywordTerms) ?? []
            return .success(ReaderModel(profile: profile, linear: model, keywordTerms: terms, unknownIDs: unknown,
                                        trainingTime: ContinuousClock.now - started))
        }.get()
    }

    /// The best `limit` papers for a trained model, best first, leaving out
    /// the papers its profile gives and `leavingOut`; only papers in `among`
    /// when it is given.
    public func rankBlocking(_ model: ReaderModel, leavingOut: Set<String> = [], among: Set<String>? = nil, limit: Int) -> [(id: String, score: Float)] {
        let dimension = index.dimension
        let settings = self.settings
        return index.withVectors { ids, rows, matrix in
            let n = ids.count
            let liked = Array(Set(model.profile.liked.compactMap { rows[$0] })).sorted()
            let given = Set((model.profile.liked + model.profile.disliked + leavingOut).compactMap { rows[$0] })
            // The papers being ranked: every one not given, or those of `among`
            // (the day's new papers): then only they are scored, a few
            // thousand dot products where the whole corpus is a 150 MB read.
            let allowed = among.map { Set($0.compactMap { rows[$0] }) }
            let ranked = allowed.map { $0.subtracting(given).sorted() } ?? (0..<n).filter { !given.contains($0) }
            let linear = allowed == nil ? Self.linearScores(model.linear, matrix: matrix, count: n, dimension: dimension)
                : Self.linearScores(model.linear, of: ranked, matrix: matrix, count: n, dimension: dimension)
            var total = [Float](repeating: 0, count: n)
            for weight in [settings.linearWeight] where weight != 0 {
                let standardised = Self.standardised(linear, over: ranked)
                for i in ranked { total[i] += weight * standardised[i] }
            }
            if !liked.isEmpty, settings.nearestWeight != 0 || settings.meanWeight != 0 {
                let (nearest, mean) = Self.similarities(to: liked, matrix: matrix, count: n, dimension: dimension)
                for (scores, weight) in [(nearest, settings.nearestWeight), (mean, settings.meanWeight)] where weight != 0 {
                    let standardised = Self.standardised(scores, over: ranked)
                    for i in ranked { total[i] += weight * standardised[i] }
                }
            }
            if settings.keywordWeight != 0, let keywords, !model.keywordTerms.isEmpty {
                var scores = [Float](repeating: 0, count: n)
                for hit in keywords.scores(of: model.keywordTerms) {
                    if let row = rows[hit.id] { scores[row] = Float(log1p(hit.score)) }
                }
                let standardised = Self.standardised(scores, over: ranked)
                for i in ranked { total[i] += settings.keywordWeight * standardised[i] }
            }
            var best = TopK<Float>(k: limit)
            for i in ranked where best.wouldAccept(total[i]) { best.insert(i, total[i]) }
            return best.sortedDescending().map { (ids[$0.index], $0.score) }
        }
    }

    /// Up to `count` distinct rows of `0..<n` outside `avoiding`, drawn with a seeded generator.
    static func sample(_ count: Int, of n: Int, avoiding: Set<Int>, seed: UInt64) -> [Int] {
        var candidates = (0..<n).filter { !avoiding.contains($0) }
        guard candidates.count > count else { return candidates }
        var generator = SeededGenerator(state: seed)
        // A partial Fisher–Yates shuffle: the first `count` are a uniform sample.
        for i in 0..<count { candidates.swapAt(i, Int.random(in: i..<candidates.count, using: &generator)) }
        return Array(candidates.prefix(count))
    }

    /// Classes weighted to balance (each class carries half the loss), as a
    /// handful of likes faces a thousand negatives. Inside the positives, a
    /// weak one (`ReaderProfile.weakWeight`) weighs a fraction of a like. A
    /// dismissed paper ("Not interested") weighs as a sampled one by default;
    /// with `dislikeWeight` above 0 as that share of a liked paper (the
    /// dismissals together at most as much as all the sampled negatives).
    static func train(liked: [Int], weaklyLiked weak: [Int] = [], disliked: [Int], sampled: [Int], matrix: UnsafeBufferPointer<Float>,
                      dimension: Int, settings: RecommenderSettings) -> LogisticRegression {
        let examples = liked + weak + disliked + sampled
        var rows = [Float](); rows.reserveCapacity(examples.count * dimension)
        for row in examples { rows.append(contentsOf: matrix[row * dimension..<(row + 1) * dimension]) }
        let labels = (liked + weak).map { _ in Float(1) } + (disliked + sampled).map { _ in Float(0) }
        let positiveMass = Float(liked.count) + ReaderProfile.weakWeight * Float(weak.count)
        let positiveWeight = 0.5 / positiveMass, sampledWeight = 0.5 / Float(max(sampled.count, 1))
        let dislikedWeight = max(sampledWeight, min(settings.dislikeWeight * positiveWeight, 0.5 / Float(max(disliked.count, 1))))
        let weights = liked.map { _ in positiveWeight } + weak.map { _ in positiveWeight * ReaderProfile.weakWeight }
            + disliked.map { _ in dislikedWeight } + sampled.map { _ in sampledWeight }
        return LogisticRegression.train(rows: rows, dimension: dimension, labels: labels, sampleWeights: weights,
                                        l2: settings.l2, iterations: settings.iterations)
    }

    /// The model's logit of every paper: one `sgemv`.
    static func linearScores(_ model: LogisticRegression, matrix: UnsafeBufferPointer<Float>, count n: Int, dimension: Int) -> [Float] {
        var scores = [Float](repeating: model.bias, count: n)
        model.weights.withUnsafeBufferPointer { w in
            scores.withUnsafeMutableBufferPointer { out in
                cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(n), Int32(dimension), 1,
                            matrix.baseAddress, Int32(dimension), w.baseAddress, 1, 1, out.baseAddress, 1)
            }
        }
        return scores
    }

    /// The model's logit of the papers `rows` (the others left at 0): a dot product each.
    static func linearScores(_ model: LogisticRegression, of rows: [Int], matrix: UnsafeBufferPointer<Float>, count n: Int,
                             dimension: Int) -> [Float] {
        var scores = [Float](repeating: 0, count: n)
        model.weights.withUnsafeBufferPointer { w in
            for row in rows {
                scores[row] = model.bias + cblas_sdot(Int32(dimension), matrix.baseAddress.map { $0 + row * dimension }, 1, w.baseAddress, 1)
            }
        }
        return scores
    }

    /// Every paper's highest and mean cosine similarity to the liked papers
    /// (vectors are unit length): one `sgemm` of the corpus by the liked vectors.
    static func similarities(to liked: [Int], matrix: UnsafeBufferPointer<Float>, count n: Int, dimension: Int) -> (nearest: [Float], mean: [Float]) {
        let k = liked.count
        var likedRows = [Float](); likedRows.reserveCapacity(k * dimension)
        for row in liked { likedRows.append(contentsOf: matrix[row * dimension..<(row + 1) * dimension]) }
        var products = [Float](repeating: 0, count: n * k)
        likedRows.withUnsafeBufferPointer { l in
            products.withUnsafeMutableBufferPointer { out in
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(k), Int32(dimension), 1,
                            matrix.baseAddress, Int32(dimension), l.baseAddress, Int32(dimension), 0, out.baseAddress, Int32(k))
            }
        }
        var nearest = [Float](repeating: -.greatestFiniteMagnitude, count: n), mean = [Float](repeating: 0, count: n)
        for i in 0..<n {
            for j in 0..<k {
                let value = products[i * k + j]
                nearest[i] = max(nearest[i], value)
                mean[i] += value / Float(k)
            }
        }
        return (nearest, mean)
    }

    /// Scores shifted and scaled to mean 0 and standard deviation 1 over the
    /// papers being ranked (`rows`), so that scores of different kinds can be summed.
    static func standardised(_ scores: [Float], over rows: [Int]) -> [Float] {
        var sum = 0.0, squares = 0.0
        for i in rows { sum += Double(scores[i]); squares += Double(scores[i]) * Double(scores[i]) }
        guard !rows.isEmpty else { return scores }
        let count = Double(rows.count), mean = sum / count
        let deviation = max(squares / count - mean * mean, 0).squareRoot()
        let scale = deviation > 1e-12 ? 1 / deviation : 0
        return scores.map { Float((Double($0) - mean) * scale) }
    }
}
