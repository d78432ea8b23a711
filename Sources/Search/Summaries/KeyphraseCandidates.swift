import Foundation

/// A phrase of a paper's title or abstract that could be one of its keyphrases.
public struct KeyphraseCandidate: Sendable, Equatable {
    /// As shown: the words as written, a capitalised first letter made lower
    /// case ("Diffusion" → "diffusion"; "GPT-4", "LLMs" and "ImageNet" stay).
    public var text: String
    /// The stemmed words (the keyword index's tokens): "diffusion models" and
    /// "Diffusion Model" are one candidate.
    public var key: String
    public var wordCount: Int
    /// Occurrences, a title's counting twice more: it names what matters.
    public var count: Int
    /// Where it first occurs (in words from the title's start): breaks ties.
    public var firstPosition: Int
}

/// Candidate keyphrases: runs of words between stop words and punctuation
/// (noun-phrase-like, as KeyBERT's and YAKE's candidates are) and the one-
/// to three-word pieces of each run. TeX math and web addresses end a run
/// and give no words; so do numbers on their own.
public enum KeyphraseCandidates {
    /// Up to `limit` candidates, those with most occurrences (longer phrases
    /// weighing more) first, ties in order of first occurrence.
    public static func extract(title: String, abstract: String, maxWords: Int = 3, limit: Int = 48) -> [KeyphraseCandidate] {
        var byKey: [String: KeyphraseCandidate] = [:]
        var position = 0
        for (text, weight) in [(title, 3), (abstract, 1)] {
            for run in runs(text) {
                for start in run.indices {
                    for length in 1...max(1, maxWords) where start + length <= run.count {
                        let words = Array(run[start..<(start + length)])
                        if length == 1, KeyphraseStopWords.genericAlone.contains(words[0].lowercased()) { continue }
                        // A noun phrase ends in a noun, not a participle ("model trained").
                        if let last = words.last?.lowercased(), last.count > 4, last.hasSuffix("ed") { continue }
                        let key = KeywordTokenizer.tokens(words.joined(separator: " ")).joined(separator: " ")
                        guard !key.isEmpty else { continue }
                        if var known = byKey[key] {
                            known.count += weight
                            byKey[key] = known
                        } else {
                            byKey[key] = KeyphraseCandidate(text: words.map(shown).joined(separator: " "), key: key, wordCount: length,
                                                            count: weight, firstPosition: position + start)
                        }
                    }
                }
                position += run.count + 1
            }
        }
        // One word is a keyphrase only when the paper says it twice (or in its title): else it is a passing word.
        let ranked = byKey.values.filter { $0.wordCount > 1 || $0.count >= 2 }.sorted { a, b in
            let (x, y) = (a.count * (a.wordCount + 1), b.count * (b.wordCount + 1))
            if x != y { return x > y }
            if a.firstPosition != b.firstPosition { return a.firstPosition < b.firstPosition }
            return a.key < b.key
        }
        return Array(ranked.prefix(max(0, limit)))
    }

    /// The runs of phrase words of `text`, in order.
    static func runs(_ text: String) -> [[String]] {
        var runs: [[String]] = []
        var run: [String] = []
        func endRun() { if !run.isEmpty { runs.append(run); run = [] } }
        for token in tokens(text) {
            switch token {
            case .word(let word) where isPhraseWord(word): run.append(word)
            default: endRun()
            }
        }
        endRun()
        return runs
    }

    enum Token: Equatable { case word(String), boundary }

    /// Words (letters and digits, with inner hyphens and apostrophes) and the
    /// boundaries between them: punctuation, TeX math, web addresses.
    static func tokens(_ text: String) -> [Token] {
        let chars = Array(text)
        var tokens: [Token] = []
        var word = ""
        var i = 0
        func endWord() {
            // Trailing hyphens and apostrophes belong to no word ("models'").
            while let last = word.last, last == "-" || last == "'" || last == "\u{2019}" { word.removeLast() }
            if !word.isEmpty { tokens.append(.word(word)) }
            word = ""
        }
        while i < chars.count {
            let c = chars[i]
            if c.isLetter || c.isNumber {
                if word.isEmpty, startsAddress(chars, at: i) {
                    tokens.append(.boundary)
                    while i < chars.count, !chars[i].isWhitespace { i += 1 }
                    continue
                }
                word.append(c)
            } else if (c == "-" || c == "'" || c == "\u{2019}"), !word.isEmpty {
                word.append(c)
            } else if c.isWhitespace || c == "{" || c == "}" {
                // Braces group TeX's text (`\emph{diffusion} models`): they end a word, not a run.
                endWord()
            } else {
                endWord()
                if c == "\\" { // a TeX command: a style (`\emph`) is no boundary, others (`\cite`) are
                    var name = ""
                    i += 1
                    while i < chars.count, chars[i].isLetter { name.append(chars[i]); i += 1 }
                    if name.isEmpty { i += 1 } // an escaped character (`\$`, `\%`)
                    if !textStyles.contains(name) { tokens.append(.boundary) }
                    continue
                }
                tokens.append(.boundary)
                if c == "$" { // math to its closing `$` or `$$` (or the end) is one boundary
                    i += 1
                    if i < chars.count, chars[i] == "$" { i += 1 }
                    while i < chars.count, chars[i] != "$" { i += chars[i] == "\\" ? 2 : 1 }
                    while i + 1 < chars.count, chars[i + 1] == "$" { i += 1 }
                }
            }
            i += 1
        }
        endWord()
        return tokens
    }

    static let textStyles: Set<String> = ["emph", "textit", "textbf", "textsc", "texttt", "textrm", "textsf", "em", "it", "bf"]

    static func startsAddress(_ chars: [Character], at i: Int) -> Bool {
        for prefix in ["http://", "https://", "www."] {
            let p = Array(prefix)
            if i + p.count <= chars.count, chars[i..<(i + p.count)].map({ Character($0.lowercased()) }) == p { return true }
        }
        return false
    }

    static func isPhraseWord(_ word: String) -> Bool {
        let lower = word.lowercased()
        guard word.contains(where: \.isLetter), word.count <= 40, !KeyphraseStopWords.all.contains(lower) else { return false }
        // Adverbs ("significantly") are no part of a noun phrase.
        if lower.count > 5, lower.hasSuffix("ly"), !KeyphraseStopWords.nounsInLy.contains(lower) { return false }
        return word.count > 1 || word.first?.isUppercase == true
    }

    /// A word as a keyphrase shows it: lower case when only its first letter
    /// is a capital (the start of a sentence or a title's capitalisation).
    static func shown(_ word: String) -> String {
        let rest = word.dropFirst()
        guard word.first?.isUppercase == true, !rest.contains(where: { $0.isUppercase || $0.isNumber }) else { return word }
        return word.lowercased()
    }
}
