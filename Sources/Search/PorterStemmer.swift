/// Martin Porter's stemmer exactly as SQLite's FTS5 runs it
/// (`fts5_tokenize.c`), quirks included, so that `KeywordTokenizer` gives
/// FTS5's tokens: it works on bytes (a non-ASCII byte is a consonant),
/// leaves words under 3 or over 64 bytes alone, counts `y` as a vowel after
/// the first letter in the `*v*` test, and within a step stops at the first
/// suffix that matches, whether or not its condition holds.
///
/// Stems in place and allocates nothing: loading the keyword index stems
/// every word of every paper.
enum PorterStemmer {
    static func stem(_ w: inout [UInt8]) {
        guard (3...64).contains(w.count) else { return }

        // Step 1a: plurals.
        if w.last == s {
            if w.at(-2) == e {
                let dropsTwo = (w.count > 4 && w.at(-4) == s && w.at(-3) == s) || (w.count > 3 && w.at(-3) == i)
                w.removeLast(dropsTwo ? 2 : 1)
            } else if w.at(-2) != s {
                w.removeLast()
            }
        }
        // Step 1b: -ed, -ing, and what they leave behind.
        if step1b(&w), !w.apply(step1bRepairs, .always) {
            let c = w[w.count - 1]
            if !isVowel(c, yIsVowel: false), c != l, c != s, c != z, w.count >= 2, c == w.at(-2) {
                w.removeLast()
            } else if w.measureIsOne(w.count), w.endsConsonantVowelConsonant(w.count) {
                w.append(e)
            }
        }
        // Step 1c: y → i after a vowel.
        if w.last == y, w.hasVowel(w.count - 1) { w[w.count - 1] = i }
        // Steps 2 to 4: suffixes.
        w.apply(step2, .measureAboveZero)
        w.apply(step3, .measureAboveZero)
        w.apply(step4, .measureAboveOne)
        // Step 5a: a final e.
        if w.last == e {
            let stem = w.count - 1
            if w.measureAboveOne(stem) || (w.measureIsOne(stem) && !w.endsConsonantVowelConsonant(stem)) { w.removeLast() }
        }
        // Step 5b: -ll.
        if w.count > 1, w.last == l, w.at(-2) == l, w.measureAboveOne(w.count - 1) { w.removeLast() }
    }

    /// Step 1b, which reports whether it removed -ed or -ing.
    private static func step1b(_ w: inout [UInt8]) -> Bool {
        if w.endsWith(eed) {
            if w.measureAboveZero(w.count - 3) { w.removeLast() }
            return false
        }
        for suffix in [ed, ing] where w.endsWith(suffix) {
            let stem = w.count - suffix.count
            guard w.hasVowel(stem) else { return false }
            w.removeLast(suffix.count)
            return true
        }
        return false
    }

    /// When a rule's replacement applies to the stem before its suffix.
    enum Condition {
        case always, measureAboveZero, measureAboveOne
        /// Step 4's -ion: m > 1 and the stem ends in s or t.
        case measureAboveOneAfterSOrT
    }

    /// A step's rules by the next-to-last byte of their suffix, as FTS5's
    /// generated code switches: only the rules that could match are tried.
    struct Step {
        private let rulesByByte: [[Rule]]

        init(_ rules: [Rule]) {
            var table = [[Rule]](repeating: [], count: 128)
            for rule in rules { table[Int(rule.suffix[rule.suffix.count - 2])].append(rule) }
            rulesByByte = table
        }

        /// The first rule, in the order given, whose suffix ends `word`.
        func rule(for word: [UInt8]) -> Rule? {
            guard word.count >= 2 else { return nil }
            let byte = Int(word[word.count - 2])
            guard byte < 128 else { return nil }
            return rulesByByte[byte].first { word.endsWith($0.suffix) }
        }
    }

    struct Rule {
        let suffix: [UInt8], replacement: [UInt8], condition: Condition?
        init(_ suffix: String, _ replacement: String, _ condition: Condition? = nil) {
            self.suffix = Array(suffix.utf8)
            self.replacement = Array(replacement.utf8)
            self.condition = condition
        }
    }

    private static let (s, e, i, l, y, z) = (UInt8(ascii: "s"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "l"), UInt8(ascii: "y"), UInt8(ascii: "z"))
    private static let (eed, ed, ing) = (Array("eed".utf8), Array("ed".utf8), Array("ing".utf8))

    private static let step1bRepairs = Step([Rule("at", "ate"), Rule("bl", "ble"), Rule("iz", "ize")])
    private static let step2 = Step([
        Rule("ational", "ate"), Rule("tional", "tion"),
        Rule("enci", "ence"), Rule("anci", "ance"),
        Rule("izer", "ize"),
        Rule("logi", "log"),
        Rule("bli", "ble"), Rule("alli", "al"), Rule("entli", "ent"), Rule("eli", "e"), Rule("ousli", "ous"),
        Rule("ization", "ize"), Rule("ation", "ate"), Rule("ator", "ate"),
        Rule("alism", "al"), Rule("iveness", "ive"), Rule("fulness", "ful"), Rule("ousness", "ous"),
        Rule("aliti", "al"), Rule("iviti", "ive"), Rule("biliti", "ble"),
    ])
    private static let step3 = Step([
        Rule("ical", "ic"), Rule("ness", ""), Rule("icate", "ic"), Rule("iciti", "ic"), Rule("ful", ""), Rule("ative", ""), Rule("alize", "al"),
    ])
    private static let step4 = Step([
        Rule("al", ""), Rule("ance", ""), Rule("ence", ""), Rule("er", ""), Rule("ic", ""), Rule("able", ""), Rule("ible", ""),
        Rule("ant", ""), Rule("ement", ""), Rule("ment", ""), Rule("ent", ""), Rule("ion", "", .measureAboveOneAfterSOrT), Rule("ou", ""),
        Rule("ism", ""), Rule("ate", ""), Rule("iti", ""), Rule("ous", ""), Rule("ive", ""), Rule("ize", ""),
    ])

    static func isVowel(_ c: UInt8, yIsVowel: Bool) -> Bool {
        switch c {
        case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"): true
        case UInt8(ascii: "y"): yIsVowel
        default: false
        }
    }
}

/// A word being stemmed: its stems are prefixes of it.
private extension Array where Element == UInt8 {
    /// The byte `offset` from the end (-1 is the last); 0 before the start.
    func at(_ offset: Int) -> UInt8 { count + offset >= 0 ? self[count + offset] : 0 }

    /// Whether the word ends with `suffix` and is longer than it.
    func endsWith(_ suffix: [UInt8]) -> Bool {
        guard count > suffix.count else { return false }
        let start = count - suffix.count
        for k in 0..<suffix.count where self[start + k] != suffix[k] { return false }
        return true
    }

    /// The first rule whose suffix the word ends with is the step's rule:
    /// applied if its condition (or the step's) holds for the stem.
    @discardableResult
    mutating func apply(_ step: PorterStemmer.Step, _ stepCondition: PorterStemmer.Condition) -> Bool {
        guard let rule = step.rule(for: self) else { return false }
        let stem = count - rule.suffix.count
        let holds = switch rule.condition ?? stepCondition {
        case .always: true
        case .measureAboveZero: measureAboveZero(stem)
        case .measureAboveOne: measureAboveOne(stem)
        case .measureAboveOneAfterSOrT: stem > 0 && (self[stem - 1] == UInt8(ascii: "s") || self[stem - 1] == UInt8(ascii: "t")) && measureAboveOne(stem)
        }
        guard holds else { return false }
        removeLast(rule.suffix.count)
        append(contentsOf: rule.replacement)
        return true
    }

    /// From `start`, past a run of consonants, then vowels, then one
    /// consonant (one "VC" of Porter's measure m): the position after it,
    /// or nil when the stem (the first `end` bytes) ends first.
    func afterVowelConsonant(from start: Int, to end: Int, previousIsConsonant: Bool) -> Int? {
        var consonant = previousIsConsonant
        var k = start
        while k < end {
            consonant = !PorterStemmer.isVowel(self[k], yIsVowel: consonant)
            if !consonant { break }
            k += 1
        }
        k += 1
        while k < end {
            consonant = !PorterStemmer.isVowel(self[k], yIsVowel: consonant)
            if consonant { return k + 1 }
            k += 1
        }
        return nil
    }

    /// Porter's m > 0 for the first `stem` bytes.
    func measureAboveZero(_ stem: Int) -> Bool { afterVowelConsonant(from: 0, to: stem, previousIsConsonant: false) != nil }

    func measureAboveOne(_ stem: Int) -> Bool {
        guard let next = afterVowelConsonant(from: 0, to: stem, previousIsConsonant: false) else { return false }
        return afterVowelConsonant(from: next, to: stem, previousIsConsonant: true) != nil
    }

    func measureIsOne(_ stem: Int) -> Bool {
        guard let next = afterVowelConsonant(from: 0, to: stem, previousIsConsonant: false) else { return false }
        return afterVowelConsonant(from: next, to: stem, previousIsConsonant: true) == nil
    }

    /// Porter's *o: the stem ends consonant, vowel, consonant, the last not w, x or y.
    func endsConsonantVowelConsonant(_ stem: Int) -> Bool {
        guard stem >= 1 else { return false }
        let end = self[stem - 1]
        if end == UInt8(ascii: "w") || end == UInt8(ascii: "x") || end == UInt8(ascii: "y") { return false }
        var mask = 0, consonant = false
        for k in 0..<stem {
            consonant = !PorterStemmer.isVowel(self[k], yIsVowel: consonant)
            mask = (mask << 1 | (consonant ? 1 : 0)) & 0b111
        }
        return mask == 0b101
    }

    /// Porter's *v*: a vowel in the first `stem` bytes (y counts after the first).
    func hasVowel(_ stem: Int) -> Bool {
        var k = 0
        while k < stem {
            if PorterStemmer.isVowel(self[k], yIsVowel: k > 0) { return true }
            k += 1
        }
        return false
    }
}
