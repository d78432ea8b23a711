import Embedding
import Foundation
import QuireCore
import Storage
import Testing
@testable import Search

/// Sentence splitting, keyphrase candidates and the summarizer's ranking.
struct SentenceSplitterTests {
    @Test func splitsAtSentenceEndsOnly() {
        let text = """
        We study transformers, e.g. BERT and GPT, on 3.5 billion tokens. As shown in Fig. 2 and Eq. 3, \
        accuracy rises. Smith et al. Report less. Prior work (J. Doe) found 12.5% gains! Does it hold? Yes.
        """
        #expect(SentenceSplitter.sentences(text) == [
            "We study transformers, e.g. BERT and GPT, on 3.5 billion tokens.",
            "As shown in Fig. 2 and Eq. 3, accuracy rises.",
            "Smith et al. Report less.",
            "Prior work (J. Doe) found 12.5% gains!",
            "Does it hold?",
            "Yes.",
        ])
    }

    @Test func texMathAndEscapesNeverEndASentence() {
        let text = "The rate is $O(n^{1.5}). A$ bound holds. With $$x = 1. Y$$ too. A cost of \\$5. Then more."
        #expect(SentenceSplitter.sentences(text) == [
            "The rate is $O(n^{1.5}). A$ bound holds.",
            "With $$x = 1. Y$$ too.",
            "A cost of \\$5.",
            "Then more.",
        ])
    }

    @Test func closersStayWithTheirSentenceAndLineBreaksBecomeSpaces() {
        let text = "It works (see i.e. the appendix.) Then\n  it   stops.\" Next one."
        #expect(SentenceSplitter.sentences(text) == ["It works (see i.e. the appendix.)", "Then it stops.\"", "Next one."])
        #expect(SentenceSplitter.sentences("") == [])
        #expect(SentenceSplitter.sentences("   \n ") == [])
        #expect(SentenceSplitter.sentences("no end") == ["no end"])
        // A lower-case word after a period is not a new sentence (an abbreviation we do not know).
        #expect(SentenceSplitter.sentences("We use approx. ten runs. Done.") == ["We use approx. ten runs.", "Done."])
    }
}

struct KeyphraseCandidateTests {
    @Test func candidatesAreRunsBetweenStopWordsAndPunctuation() {
        let runs = KeyphraseCandidates.runs("We propose Sparse Attention for long documents, achieving $O(n)$ cost with GPT-4 (see https://example.org/x.html).")
        #expect(runs == [["Sparse", "Attention"], ["long", "documents"], ["cost"], ["GPT-4"]])
        // Adverbs, numbers alone and TeX commands end runs too.
        #expect(KeyphraseCandidates.runs("significantly faster inference 2024 \\emph{diffusion} models'") == [["faster", "inference"], ["diffusion", "models"]])
        #expect(KeyphraseCandidates.runs("spin chains $$H = J \\sum S_i$$ ground states \\$5 \\cite{x} bound") == [["spin", "chains"], ["ground", "states"], ["bound"]])
        // Verb forms and adverbs never start or end a candidate: "revolutionized high-fidelity" is none.
        let opening = KeyphraseCandidates.extract(title: "", abstract: "Diffusion models have revolutionized high-fidelity video synthesis, yet remain slow; hence sparse attention.")
            .map(\.text)
        #expect(!opening.contains { $0.hasPrefix("revolutionized") || $0.hasSuffix("revolutionized") || $0.hasPrefix("hence") })
        #expect(opening.contains("high-fidelity video synthesis") && opening.contains("sparse attention"))
    }

    @Test func candidatesMergeFormsAndRankByWeightedCount() {
        let candidates = KeyphraseCandidates.extract(
            title: "Diffusion Models for Video",
            abstract: "Video diffusion models generate video. We train diffusion models on clips.")
        let byText = Dictionary(candidates.map { ($0.text, $0) }, uniquingKeysWith: { a, _ in a })
        // "Diffusion Models" (title) and "diffusion models" are one candidate, shown in lower case.
        #expect(byText["diffusion models"]?.count == 3 + 1 + 1)
        #expect(byText["Diffusion Models"] == nil)
        // Generic words are no keyphrase alone, but are inside one.
        #expect(byText["models"] == nil)
        #expect(candidates.first?.text == "diffusion models")
        // Acronyms and mixed case keep their form.
        #expect(KeyphraseCandidates.extract(title: "LLMs meet ImageNet", abstract: "").map(\.text).contains("LLMs"))
        #expect(KeyphraseCandidates.extract(title: "", abstract: "", limit: 10).isEmpty)
    }
}

struct PaperSummarizerTests {
    /// A stand-in model: each text a unit bag of its stemmed words, hashed
    /// into 64 dimensions (deterministic, and close texts share words).
    static let bagOfWords: @Sendable ([String]) -> [[Float]] = { texts in
        texts.map { text in
            var v = [Float](repeating: 0, count: 64)
            for token in KeywordTokenizer.tokens(text) { v[Int(stableHash(token) % 64)] += 1 }
            let norm = max(sqrt(v.reduce(0) { $0 + $1 * $1 }), 1e-6)
            return v.map { $0 / norm }
        }
    }

    static let abstract = """
    Diffusion models generate images from noise. We present a distillation method for diffusion models that samples \
    images in four steps. On ImageNet, the distilled diffusion sampler matches the teacher's image quality. \
    Code is at https://github.com/x/y.
    """

    @Test func summaryIsAnAbstractSentenceAndKeyphrasesAreDiverse() {
        let summarizer = PaperSummarizer(embed: Self.bagOfWords)
        let input = PaperSummarizer.Input(title: "Distilling diffusion models", abstract: Self.abstract, vector: nil)
        let summary = summarizer.summarize([input])[0]
        let sentences = SentenceSplitter.sentences(Self.abstract)
        // One or two whole sentences of the abstract, in its order, never the one pointing at code.
        #expect(!summary.text.isEmpty)
        #expect(!summary.text.contains("github"))
        #expect(sentences.contains { summary.text.hasPrefix($0) })
        #expect((3...10).contains(summary.keyphrases.count))
        // No keyphrase repeats the words of another.
        let keys = summary.keyphrases.map { Set(KeywordTokenizer.tokens($0)) }
        for (i, a) in keys.enumerated() { for b in keys[(i + 1)...] { #expect(!a.isSubset(of: b) && !b.isSubset(of: a)) } }
    }

    @Test func rankingIsDeterministicAndBatchIndependent() {
        let summarizer = PaperSummarizer(embed: Self.bagOfWords)
        let a = PaperSummarizer.Input(title: "Distilling diffusion models", abstract: Self.abstract, vector: nil)
        let b = PaperSummarizer.Input(title: "Graph networks", abstract: "Message passing on graphs. Graph networks learn on molecules.", vector: nil)
        let alone = summarizer.summarize([a])
        #expect(summarizer.summarize([a]) == alone)
        #expect(summarizer.summarize([b, a, b])[1] == alone[0])
    }

    @Test func shortAndEmptyAbstracts() {
        let summarizer = PaperSummarizer(embed: Self.bagOfWords)
        let one = summarizer.summarize([PaperSummarizer.Input(title: "Sparse attention", abstract: "We make attention sparse.", vector: nil)])[0]
        #expect(one.text == "We make attention sparse.")
        let none = summarizer.summarize([PaperSummarizer.Input(title: "Sparse attention", abstract: "", vector: nil)])[0]
        #expect(none.text == "")
        #expect(none.keyphrases == ["sparse attention"])
        #expect(summarizer.summarize([]) == [])
    }

    /// With the real model, on a real abstract from the shared data.
    @Test func theRealModelPicksATopicalSentenceAndPhrases() async throws {
        let embedder = try SentenceEmbedder(modelDirectory: SentenceEmbedder.locateModel(explicit: nil))
        let summarizer = PaperSummarizer(embed: { embedder.embed($0) })
        let title = "Denoising diffusion probabilistic models for image synthesis"
        let abstract = """
        We present high quality image synthesis results using diffusion probabilistic models, a class of latent \
        variable models inspired by considerations from nonequilibrium thermodynamics. Our best results are obtained \
        by training on a weighted variational bound designed according to a novel connection between diffusion \
        probabilistic models and denoising score matching with Langevin dynamics. On the unconditional CIFAR10 \
        dataset, we obtain an Inception score of 9.46 and a state-of-the-art FID score of 3.17. Our implementation \
        is available at https://github.com/hojonathanho/diffusion.
        """
        let first = summarizer.summarize([PaperSummarizer.Input(title: title, abstract: abstract, vector: nil)])[0]
        let withVector = summarizer.summarize([PaperSummarizer.Input(title: title, abstract: abstract, vector: embedder.embed(title + " " + abstract))])[0]
        #expect(first == withVector)
        #expect(first.text.hasPrefix("We present high quality image synthesis"))
        #expect(first.keyphrases.contains { $0.contains("diffusion") })
        #expect(!first.keyphrases.contains { $0.contains("github") || $0.contains("implementation") })
    }
}
