import Foundation

/// The sentences of an abstract, for picking its summary sentence.
///
/// A sentence ends at `.`, `?` or `!` (and any closing brackets or quotes
/// after it) followed by white space and then something that can start a
/// sentence: a capital, a digit, an opening bracket or quote, or TeX. Not an
/// end: a period inside TeX math (`$x = 1.5.$`), inside a number (`3.5`), or
/// after an abbreviation abstracts use (`e.g.`, `Fig. 2`, `et al.`) or an
/// initial (`J. Smith`). Text is returned as written, TeX included, with
/// runs of white space (line breaks of the arXiv metadata) made one space.
public enum SentenceSplitter {
    public static func sentences(_ text: String) -> [String] {
        let chars = Array(text)
        var sentences: [String] = []
        var current = ""
        var inMath = false // between `$` signs (`$$` counts as one)
        var i = 0
        func finish() {
            let sentence = current.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if !sentence.isEmpty { sentences.append(sentence) }
            current = ""
        }
        while i < chars.count {
            let c = chars[i]
            current.append(c)
            if c == "\\", i + 1 < chars.count {
                // An escaped character (`\$`, `\.`) neither opens math nor ends a sentence.
                current.append(chars[i + 1]); i += 2; continue
            }
            if c == "$" {
                if i + 1 < chars.count, chars[i + 1] == "$" { current.append("$"); i += 1 }
                inMath.toggle()
                i += 1; continue
            }
            i += 1
            guard !inMath, c == "." || c == "?" || c == "!" else { continue }
            // Closing brackets and quotes belong to the sentence they end.
            while i < chars.count, closers.contains(chars[i]) { current.append(chars[i]); i += 1 }
            guard i < chars.count else { break }
            guard chars[i].isWhitespace else { continue }
            var next = i
            while next < chars.count, chars[next].isWhitespace { next += 1 }
            guard next < chars.count, canStartSentence(chars[next]) else { continue }
            if c == ".", endsWithAbbreviation(current) { continue }
            finish()
        }
        finish()
        return sentences
    }

    static let closers: Set<Character> = [")", "]", "\"", "'", "\u{201D}", "\u{2019}"]

    static func canStartSentence(_ c: Character) -> Bool {
        c.isUppercase || c.isNumber || "([\"'\u{201C}\u{2018}$\\".contains(c)
    }

    /// Whether the text before its final period is an abbreviation or an
    /// initial rather than the end of a sentence.
    static func endsWithAbbreviation(_ text: String) -> Bool {
        var body = Substring(text)
        while let last = body.last, closers.contains(last) { body = body.dropLast() }
        guard body.last == "." else { return false }
        body = body.dropLast()
        // The last word: letters and inner periods back to a space or bracket.
        let word = body.reversed().prefix { $0.isLetter || $0 == "." }
        let token = String(word.reversed())
        guard !token.isEmpty else { return false }
        if token.count == 1, token.first?.isUppercase == true { return true } // an initial: "J. Smith"
        if token.contains(".") { return true } // "e.g", "i.e", "U.S"
        return abbreviations.contains(token.lowercased())
    }

    /// Abbreviations abstracts use before a capital or a number.
    static let abbreviations: Set<String> = [
        "al", "fig", "figs", "eq", "eqs", "eqn", "sec", "secs", "ref", "refs", "tab", "vs", "cf", "approx", "resp",
        "no", "nos", "vol", "pp", "ch", "thm", "lem", "prop", "def", "alg", "app", "appx", "dr", "mr", "ms", "prof",
        "st", "jr", "sr", "inc", "ltd", "co", "viz", "ca", "est", "max", "min", "corr",
    ]
}
