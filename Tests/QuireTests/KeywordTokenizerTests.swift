import Foundation
import Search
@testable import Storage
import Testing

/// Quire's own tokenizer must give FTS5's tokens (`porter unicode61
/// remove_diacritics 2`), so that a keyword index built without SQLite ranks
/// as FTS5 does. Compared with FTS5 itself through its C API.
@Suite struct KeywordTokenizerTests {
    /// Runs `body` with FTS5's tokenizer of `papers_fts` on a fresh database.
    static func withFTS5<T>(_ body: (FTS5.Tokenizer) throws -> T) throws -> T {
        let db = try SQLiteConnection(path: TestSupport.temporaryDirectory().appendingPathComponent("t.sqlite").path)
        return try body(FTS5.Tokenizer(db))
    }

    /// Every character of the BMP on its own and inside a word, and of the
    /// plane above (mathematical letters, emoji) inside a word: the same word
    /// characters, separators, case folding and diacritics removed.
    @Test func everyCharacterIsReadAsFTS5ReadsIt() throws {
        let differences = try Self.withFTS5 { fts5 in
            var differences: [String] = []
            for value in UInt32(0x20)...0x1FFFF {
                guard let scalar = Unicode.Scalar(value) else { continue } // surrogates
                let contexts = value <= 0xFFFF ? [String(scalar), "ab\(scalar)cd", "\(scalar)x"] : ["ab\(scalar)cd"]
                for text in contexts where KeywordTokenizer.tokens(text) != fts5.tokens(text) {
                    differences.append(String(format: "U+%04X in %@: ours %@, FTS5 %@", value, text.debugDescription,
                                              KeywordTokenizer.tokens(text).description, fts5.tokens(text).description))
                }
            }
            return differences
        }
        #expect(differences.isEmpty, "\(differences.count) differences, the first: \(differences.prefix(20).joined(separator: "; "))")
    }

    /// The stemmer on real text: every title and abstract of SciFact (5,183
    /// abstracts, 1.2 M words) and of the sample papers.
    @Test func realAbstractsGiveFTS5sTokens() throws {
        var texts: [String] = []
        for file in ["data/scifact/corpus.jsonl", "data/seed-papers.jsonl", "fixtures/arxiv-snapshot/first200.jsonl"] {
            let lines = try String(contentsOf: TestSupport.sharedFile(file), encoding: .utf8).split(separator: "\n")
            for line in lines {
                guard let row = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
                texts += ["title", "text", "abstract"].compactMap { row[$0] as? String }
            }
        }
        #expect(texts.count > 10_000)
        let (differences, words) = try Self.withFTS5 { fts5 in
            var differences: [String] = [], words = 0
            for text in texts {
                let ours = KeywordTokenizer.tokens(text), theirs = fts5.tokens(text)
                words += theirs.count
                if ours != theirs {
                    let first = zip(ours, theirs).first { $0 != $1 }.map { "\($0) against \($1)" } ?? "\(ours.count) against \(theirs.count) tokens"
                    differences.append(first)
                }
            }
            return (differences, words)
        }
        #expect(words > 1_000_000)
        #expect(differences.isEmpty, "\(differences.count) texts differ, e.g. \(differences.prefix(20))")
    }

    /// Porter's own examples, and the words that make the stemmer's quirks show.
    @Test func stemsAsPorterAndFTS5Do() throws {
        let words = ["caresses", "ponies", "ties", "caress", "cats", "feed", "agreed", "plastered", "bled", "motoring", "sing",
                     "conflated", "troubled", "sized", "hopping", "tanned", "falling", "hissing", "fizzed", "failing", "filing",
                     "happy", "sky", "relational", "conditional", "rational", "valenci", "hesitanci", "digitizer", "conformabli",
                     "radicalli", "differentli", "vileli", "analogousli", "vietnamization", "predication", "operator", "feudalism",
                     "decisiveness", "hopefulness", "callousness", "formaliti", "sensitiviti", "sensibiliti", "triplicate",
                     "formative", "formalize", "electriciti", "electrical", "hopeful", "goodness", "revival", "allowance",
                     "inference", "airliner", "gyroscopic", "adjustable", "defensible", "irritant", "replacement", "adjustment",
                     "dependent", "adoption", "homologou", "communism", "activate", "angulariti", "homologous", "effective",
                     "bowdlerize", "probate", "rate", "cease", "controll", "roll", "generalizations", "oscillators", "yyy",
                     "eed", "aed", "bing", "abed", "transformers", "learning", "models", "without", "with"]
        let differences = try Self.withFTS5 { fts5 in
            words.filter { KeywordTokenizer.tokens($0) != fts5.tokens($0) }.map { "\($0): \(KeywordTokenizer.tokens($0)) against \(fts5.tokens($0))" }
        }
        #expect(differences.isEmpty, "\(differences)")
        #expect(KeywordTokenizer.tokens("Generalizations of Transformers") == ["gener", "of", "transform"])
    }
}
