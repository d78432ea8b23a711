import Foundation

/// The words of a text as the keyword index holds them, and Quire's own
/// copy of how SQLite's FTS5 makes them (`tokenize='porter unicode61
/// remove_diacritics 2'`, migration 1):
///
/// - letters, digits and private-use characters make words; everything else
///   separates them (`unicode61`);
/// - each character is lower-cased and loses its diacritics (`é` → `e`,
///   `ǖ` → `u`), and combining accents inside a word are dropped;
/// - each word of 3 to 64 bytes is then stemmed by FTS5's Porter stemmer
///   (`models` → `model`, `learning` → `learn`).
///
/// Why a copy: a keyword index and highlighter that do not depend on SQLite
/// rank and mark the same words whichever database holds the papers.
/// `KeywordTokenizerTests` checks it against FTS5 itself, on every character
/// of the Basic Multilingual Plane and on thousands of real abstracts.
public enum KeywordTokenizer {
    /// The tokens of `text`, in order.
    public static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        forEachToken(text) { tokens.append(String(decoding: $0, as: UTF8.self)) }
        return tokens
    }

    /// Calls `body` with the UTF-8 bytes of each token of `text`, in order.
    public static func forEachToken(_ text: String, _ body: ([UInt8]) -> Void) {
        var word: [UInt8] = []
        word.reserveCapacity(64)
        var inWord = false
        func finishWord() {
            guard inWord else { return }
            PorterStemmer.stem(&word)
            body(word)
            word.removeAll(keepingCapacity: true)
            inWord = false
        }
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                let byte = UInt8(truncatingIfNeeded: value)
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): word.append(byte)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): word.append(byte | 0x20)
                default: finishWord(); continue
                }
                inWord = true
            } else if isWordCharacter(scalar) || (inWord && isDiacritic(value)) {
                // A diacritic starts no word (FTS5 skips it with the separators)
                // and folds to nothing inside one.
                if let folded = fold(scalar) { UTF8.encode(folded) { word.append($0) } }
                inWord = true
            } else {
                finishWord()
            }
        }
        finishWord()
    }

    /// `unicode61`'s default word characters, the categories L*, N* and Co,
    /// as SQLite's tables have them: from Unicode 6.1, where a character
    /// unknown then (unassigned, or added since) counts as a word character.
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if isNewerThanFTS5Tables(scalar) { return true }
        if let changed = changedSinceFTS5Tables.first(where: { $0.range.contains(scalar.value) }) { return changed.wasWord }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber, .privateUse, .unassigned:
            return true
        default:
            return false
        }
    }

    /// Unassigned in Unicode 6.1, the version of SQLite's character tables.
    static func isNewerThanFTS5Tables(_ scalar: Unicode.Scalar) -> Bool {
        guard let age = scalar.properties.age else { return true }
        return age.major > 6 || (age.major == 6 && age.minor > 1)
    }

    /// Characters whose category changed since Unicode 6.1, and whether
    /// they made words then: New Tai Lue vowel signs and two Vedic signs
    /// (marks then, letters now), two Mongolian letters (marks now), and the
    /// two noncharacters at the end of the BMP, which SQLite's table separates.
    static let changedSinceFTS5Tables: [(range: ClosedRange<UInt32>, wasWord: Bool)] = [
        (0x19B0...0x19C0, false), (0x19C8...0x19C9, false), (0x1CF2...0x1CF3, false),
        (0x1885...0x1886, true), (0xFFFE...0xFFFF, false),
    ]

    /// The combining accents `unicode61` keeps inside a word (and then drops):
    /// its own list, a subset of U+0300–U+0331.
    static func isDiacritic(_ value: UInt32) -> Bool {
        guard (0x300...0x331).contains(value) else { return false }
        let (low, high): (UInt32, UInt32) = (0x0802_9FDF, 0x0003_61F8)
        return value < 0x320 ? low & (1 << (value - 0x300)) != 0 : high & (1 << (value - 0x320)) != 0
    }

    /// Lower case without diacritics; nil for a diacritic, which leaves
    /// nothing. FTS5 folds case only in the BMP (and the Deseret block), and
    /// removes diacritics only where a Latin letter is left.
    static func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        let value = scalar.value
        if isDiacritic(value) { return nil }
        if value >= 0x10000 {
            return (0x10400..<0x10428).contains(value) ? Unicode.Scalar(value + 40) : scalar
        }
        if isNewerThanFTS5Tables(scalar) { return scalar }
        return withoutDiacritics(caseFolded(scalar))
    }

    /// Simple case folding (`µ` → `μ`, `ς` → `σ`, `ſ` → `s`): the fold of
    /// one character that is one character.
    static func caseFolded(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        guard scalar.properties.changesWhenCaseFolded else { return scalar }
        let folded = String(scalar).folding(options: .caseInsensitive, locale: nil).unicodeScalars
        if folded.count == 1, let only = folded.first { return only }
        return scalar.properties.lowercaseMapping.unicodeScalars.first ?? scalar
    }

    /// The ASCII letter under `scalar` when its canonical decomposition is
    /// that letter and combining marks only (`ǖ` = u + ̈ + ̄), else `scalar`.
    static func withoutDiacritics(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        // SQLite's table keeps these two (a with dot above and macron).
        guard scalar.value >= 0xC0, scalar.value != 0x1E0, scalar.value != 0x1E1 else { return scalar }
        let decomposed = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars
        guard let base = decomposed.first, base.isASCII, base.properties.isAlphabetic, decomposed.count > 1,
              decomposed.dropFirst().allSatisfy({ $0.properties.generalCategory == .nonspacingMark }) else { return scalar }
        return base
    }
}
