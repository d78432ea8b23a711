import Foundation
import QuireCore

/// A paper's extractive summary and keyphrases from the sentence model alone
/// (no service, no other model):
///
/// - summary: the abstract sentence closest in meaning to the whole paper
///   (title and abstract, the paper's own vector), and a second one when the
///   first is short, picked by maximal marginal relevance (MMR: closeness to
///   the paper less closeness to the sentence already picked), so it adds
///   something. Shown in the abstract's order.
/// - keyphrases: candidate phrases (KeyphraseCandidates) ranked by closeness
///   to the paper with MMR for diversity, as KeyBERT does; a phrase whose
///   words hold or are held by one already picked is left out.
///
/// Deterministic: the same text gives the same result (ties go to the
/// earlier sentence or phrase).
public struct PaperSummarizer: Sendable {
    public struct Input: Sendable {
        public var title: String
        public var abstract: String
        /// The paper's vector when known (the semantic index has it); else
        /// the title and abstract are embedded along with the pieces.
        public var vector: [Float]?
        public init(title: String, abstract: String, vector: [Float]?) { self.title = title; self.abstract = abstract; self.vector = vector }
    }

    /// Unit vectors of texts, in order: the sentence model's `embed`.
    let embed: @Sendable ([String]) -> [[Float]]
    /// Trade-off of closeness against novelty in MMR (1 is closeness only).
    var sentenceLambda: Float = 0.7
    var keyphraseLambda: Float = 0.6
    /// Candidates embedded per paper: the cost of keyphrases grows with it.
    var candidateLimit = 30

    public init(embed: @escaping @Sendable ([String]) -> [[Float]]) { self.embed = embed }

    /// One summary per input, embedding the pieces of all of them in one call
    /// (long and short texts pack better in the model's batches).
    public func summarize(_ inputs: [Input]) -> [PaperSummary] {
        struct Pieces { var document: Int?; var sentences: [String]; var candidates: [KeyphraseCandidate]; var first: Int }
        var texts: [String] = []
        let pieces: [Pieces] = inputs.map { input in
            let first = texts.count
            var document: Int?
            if input.vector == nil { document = texts.count; texts.append(input.title + " " + input.abstract) }
            let sentences = SentenceSplitter.sentences(input.abstract)
            // One sentence is its own summary: nothing to rank.
            if sentences.count > 1 { texts += sentences }
            let candidates = KeyphraseCandidates.extract(title: input.title, abstract: input.abstract, limit: candidateLimit)
            texts += candidates.map(\.text)
            return Pieces(document: document, sentences: sentences, candidates: candidates, first: first)
        }
        let vectors = texts.isEmpty ? [] : embed(texts)
        guard vectors.count == texts.count else { return inputs.map { _ in PaperSummary(text: "", keyphrases: []) } }
        return zip(inputs, pieces).map { input, piece in
            var next = piece.first
            func take(_ n: Int) -> [[Float]] { defer { next += n }; return Array(vectors[next..<(next + n)]) }
            let document = piece.document.map { _ in take(1)[0] } ?? input.vector ?? []
            let text: String
            if piece.sentences.count > 1 {
                text = summary(piece.sentences, vectors: take(piece.sentences.count), document: document)
            } else {
                text = piece.sentences.first ?? ""
            }
            let keyphrases = rankKeyphrases(piece.candidates, vectors: take(piece.candidates.count), document: document,
                                            wanted: Self.keyphraseCount(abstract: input.abstract))
            return PaperSummary(text: text, keyphrases: keyphrases)
        }
    }

    /// 3 keyphrases for a short abstract, one more per 25 words, at most 10.
    static func keyphraseCount(abstract: String) -> Int {
        min(10, max(3, abstract.split(whereSeparator: \.isWhitespace).count / 25))
    }

    func summary(_ sentences: [String], vectors: [[Float]], document: [Float]) -> String {
        // Sentences too short to say much or too long for a line or two, items of a list ("(3) At …"),
        // or pointing at code, are picked only when nothing else is left.
        let eligible = sentences.indices.filter { i in
            let sentence = sentences[i]
            return (40...320).contains(sentence.count) && !sentence.hasPrefix("(") && !sentence.contains("http")
                && !sentence.lowercased().contains("github")
        }
        let pool = eligible.isEmpty ? Array(sentences.indices) : eligible
        let order = MMR.select(from: pool, vectors: vectors, document: document, count: 2, lambda: sentenceLambda)
        guard let best = order.first else { return "" }
        var picked = [best]
        // A second sentence only when the first leaves room on one line or two.
        if let second = order.dropFirst().first, sentences[best].count < 160, sentences[best].count + sentences[second].count <= 320 {
            picked.append(second)
        }
        return picked.sorted().map { sentences[$0] }.joined(separator: " ")
    }

    func rankKeyphrases(_ candidates: [KeyphraseCandidate], vectors: [[Float]], document: [Float], wanted: Int) -> [String] {
        var picked: [Int] = []
        var pickedWords: [Set<String>] = []
        var remaining = Array(candidates.indices)
        while picked.count < wanted, !remaining.isEmpty {
            guard let best = MMR.best(of: remaining, picked: picked, vectors: vectors, document: document, lambda: keyphraseLambda) else { break }
            remaining.removeAll { $0 == best }
            let words = Set(candidates[best].key.split(separator: " ").map(String.init))
            if pickedWords.contains(where: { $0.isSubset(of: words) || words.isSubset(of: $0) }) { continue }
            picked.append(best)
            pickedWords.append(words)
        }
        return picked.map { candidates[$0].text }
    }
}

/// Maximal marginal relevance over unit vectors (Carbonell & Goldstein 1998):
/// each pick maximises λ·sim(item, document) − (1−λ)·max sim(item, picked).
enum MMR {
    static func select(from pool: [Int], vectors: [[Float]], document: [Float], count: Int, lambda: Float) -> [Int] {
        var picked: [Int] = []
        var remaining = pool
        while picked.count < count, let best = best(of: remaining, picked: picked, vectors: vectors, document: document, lambda: lambda) {
            picked.append(best)
            remaining.removeAll { $0 == best }
        }
        return picked
    }

    /// The best next pick (the earliest on a tie); nil when none remain.
    static func best(of remaining: [Int], picked: [Int], vectors: [[Float]], document: [Float], lambda: Float) -> Int? {
        var best: (index: Int, score: Float)?
        for i in remaining {
            let redundancy = picked.map { dot(vectors[i], vectors[$0]) }.max() ?? 0
            let score = lambda * dot(vectors[i], document) - (1 - lambda) * redundancy
            if let current = best, score < current.score || (score == current.score && i > current.index) { continue }
            best = (i, score)
        }
        return best?.index
    }

    static func dot(_ a: [Float], _ b: [Float]) -> Float {
        var sum: Float = 0
        for i in 0..<min(a.count, b.count) { sum += a[i] * b[i] }
        return sum
    }
}
