import Foundation

/// Turns the TeX that arXiv metadata carries in names and titles into plain
/// Unicode: accents (`\'a` → á, `{\"u}` → ü, `\v{s}` → š, `\c c` → ç), the
/// special letters (`\aa` å, `\o` ø, `\ss` ß, `\l` ł, `{\i}` ı) and escaped
/// punctuation (`\&`). Math (`$...$`, `$$...$$`) is copied untouched, and so
/// is any command it does not know (`\alpha`, `\cite{x}`).
public enum TeXAccents {
    /// Decodes accents and removes braces that only group ("{Ki(z)} Functions"
    /// → "Ki(z) Functions"); for titles and names.
    public static func clean(_ text: String) -> String {
        render(text, stripGroups: true)
    }

    /// Decodes accents only, keeping every other brace and command; for
    /// abstracts, where braces are more often meaningful TeX.
    public static func decodeAccents(_ text: String) -> String {
        render(text, stripGroups: false)
    }

    // MARK: - Tables

    /// Accents written with a symbol: `\'a`, `\"{o}`.
    static let symbolAccents: [Unicode.Scalar: Unicode.Scalar] = [
        "'": "\u{0301}", "`": "\u{0300}", "^": "\u{0302}", "\"": "\u{0308}",
        "~": "\u{0303}", "=": "\u{0304}", ".": "\u{0307}",
    ]

    /// Accents written with a letter: `\c{c}`, `\v s`, `\H{o}`.
    static let letterAccents: [String: Unicode.Scalar] = [
        "c": "\u{0327}", "v": "\u{030C}", "H": "\u{030B}", "u": "\u{0306}",
        "k": "\u{0328}", "r": "\u{030A}", "d": "\u{0323}", "b": "\u{0331}",
        "t": "\u{0361}",
    ]

    /// Letters that are commands of their own.
    static let letters: [String: String] = [
        "aa": "å", "AA": "Å", "o": "ø", "O": "Ø", "ss": "ß", "SS": "SS",
        "l": "ł", "L": "Ł", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
        "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð", "th": "þ", "TH": "Þ",
        "ng": "ŋ", "NG": "Ŋ",
    ]

    /// Commands that only style their argument; the argument is kept.
    static let styleCommands: Set<String> = [
        "emph", "textit", "textbf", "textsc", "textrm", "texttt", "textsf",
        "textup", "textsl", "textnormal", "mbox", "text",
    ]

    /// Old-style switches (`{\em graphs}`): dropped with the space after them.
    static let styleSwitches: Set<String> = ["em", "it", "bf", "sc", "rm", "tt", "sf", "sl", "bfseries", "itshape", "upshape", "normalfont"]

    /// `\&` and friends.
    static let escapedPunctuation: Set<Unicode.Scalar> = ["&", "%", "_", "#", "{", "}", "$"]

    // MARK: - Rendering

    static func render(_ text: String, stripGroups: Bool) -> String {
        // Fast path: most titles and names have nothing to decode.
        if !text.utf8.contains(where: { $0 == UInt8(ascii: "\\") || (stripGroups && ($0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "}"))) }) {
            return text
        }
        var r = Renderer(Array(text.unicodeScalars), stripGroups: stripGroups)
        r.run()
        let result = String(r.out)
        return r.composed ? result.precomposedStringWithCanonicalMapping : result
    }

    struct Renderer {
        let s: [Unicode.Scalar]
        let stripGroups: Bool
        var i = 0
        var out = String.UnicodeScalarView()
        var composed = false

        init(_ s: [Unicode.Scalar], stripGroups: Bool) { self.s = s; self.stripGroups = stripGroups }

        func at(_ k: Int) -> Unicode.Scalar? { k < s.count ? s[k] : nil }

        static func isLetter(_ c: Unicode.Scalar) -> Bool {
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z")
        }

        mutating func run() {
            while i < s.count {
                let c = s[i]
                switch c {
                case "$":
                    copyMath()
                case "\\":
                    if let (decoded, next) = command(at: i) {
                        out.append(contentsOf: decoded.unicodeScalars); i = next
                    } else {
                        copyCommandVerbatim()
                    }
                case "{":
                    // `{\"u}`: a group holding just one accent is the accent.
                    if at(i + 1) == "\\", let (decoded, next) = command(at: i + 1), at(next) == "}" {
                        out.append(contentsOf: decoded.unicodeScalars); i = next + 1
                    } else {
                        if !stripGroups { out.append(c) }
                        i += 1
                    }
                case "}":
                    if !stripGroups { out.append(c) }
                    i += 1
                default:
                    out.append(c); i += 1
                }
            }
        }

        /// Copies `$...$` or `$$...$$` as it is (and the rest of the text when
        /// the math is never closed).
        mutating func copyMath() {
            let display = at(i + 1) == "$"
            var k = i + (display ? 2 : 1)
            while k < s.count {
                if s[k] == "\\" { k += 2; continue }
                if s[k] == "$" {
                    if !display { k += 1; break }
                    if at(k + 1) == "$" { k += 2; break }
                }
                k += 1
            }
            k = min(k, s.count)
            out.append(contentsOf: s[i..<k]); i = k
        }

        /// Copies an unknown command and, if it has one, its braced argument.
        mutating func copyCommandVerbatim() {
            var k = i + 1
            if k < s.count, Renderer.isLetter(s[k]) {
                while k < s.count, Renderer.isLetter(s[k]) { k += 1 }
                if at(k) == "{", let close = matchingBrace(k) { k = close + 1 }
            } else {
                k = min(k + 1, s.count)
            }
            out.append(contentsOf: s[i..<k]); i = k
        }

        func matchingBrace(_ open: Int) -> Int? {
            var depth = 0
            var k = open
            while k < s.count {
                switch s[k] {
                case "\\": k += 1
                case "{": depth += 1
                case "}": depth -= 1; if depth == 0 { return k }
                default: break
                }
                k += 1
            }
            return nil
        }

        /// Decodes the command starting at the backslash at `start`; nil when it
        /// is not one this decoder knows.
        mutating func command(at start: Int) -> (String, Int)? {
            guard let c = at(start + 1) else { return nil }
            if let mark = TeXAccents.symbolAccents[c] {
                return accent(mark, argumentAt: start + 2, allowSpace: false)
            }
            if TeXAccents.escapedPunctuation.contains(c) {
                // Keep `\$`, `\{`, `\}` escaped when braces and math stay TeX.
                if !stripGroups && (c == "$" || c == "{" || c == "}") { return ("\\" + String(c), start + 2) }
                return (String(c), start + 2)
            }
            guard Renderer.isLetter(c) else { return nil }
            var k = start + 1
            while k < s.count, Renderer.isLetter(s[k]) { k += 1 }
            let name = String(String.UnicodeScalarView(s[(start + 1)..<k]))
            if let mark = TeXAccents.letterAccents[name] {
                return accent(mark, argumentAt: k, allowSpace: true)
            }
            if let letter = TeXAccents.letters[name] {
                // TeX swallows the spaces after a control word ("Stra\ss e"),
                // and `\ss{}` is the same letter.
                var next = k
                if at(next) == " " {
                    while at(next) == " " { next += 1 }
                    // ... unless the word ends there ("\o and") — keep one space
                    // when what follows is not a letter continuing the word.
                    if let n = at(next), !Renderer.isLetter(n) { next = k }
                }
                if at(next) == "{", at(next + 1) == "}" { next += 2 }
                return (letter, next)
            }
            if stripGroups, TeXAccents.styleCommands.contains(name) {
                return ("", k) // the argument's braces are then dropped as a group
            }
            if stripGroups, TeXAccents.styleSwitches.contains(name) {
                var next = k
                while at(next) == " " { next += 1 }
                return ("", next)
            }
            return nil
        }

        /// The accented letter for `mark` applied to the argument at `k`:
        /// `a`, `{a}`, `\i`, `{\i}`, ` a` (letter accents only).
        mutating func accent(_ mark: Unicode.Scalar, argumentAt start: Int, allowSpace: Bool) -> (String, Int)? {
            var k = start
            if allowSpace { while at(k) == " " { k += 1 } }
            guard let first = at(k) else { return nil }
            var base: [Unicode.Scalar]
            var next: Int
            if first == "{" {
                guard let close = matchingBrace(k) else { return nil }
                let inner = Array(s[(k + 1)..<close])
                if inner.count == 2, inner[0] == "\\", inner[1] == "i" || inner[1] == "j" {
                    base = [inner[1]]
                } else if inner.count == 3, inner[0] == "\\", inner[1] == "i" || inner[1] == "j", inner[2] == " " {
                    base = [inner[1]]
                } else if !inner.isEmpty, inner.allSatisfy({ $0.properties.isAlphabetic }) {
                    base = inner
                } else {
                    return nil
                }
                next = close + 1
            } else if first == "\\", let l = at(k + 1), l == "i" || l == "j", !(at(k + 2).map(Renderer.isLetter) ?? false) {
                base = [l]
                next = k + 2
                while at(next) == " " { next += 1 } // TeX swallows the space after `\i`
                if at(next) == "{", at(next + 1) == "}" { next += 2 }
            } else if first.properties.isAlphabetic {
                if allowSpace && k == start { return nil } // `\cdot` is not `\c` + "dot"
                base = [first]
                next = k + 1
            } else {
                return nil
            }
            var result = String.UnicodeScalarView()
            result.append(base[0])
            result.append(mark)
            result.append(contentsOf: base.dropFirst())
            composed = true
            return (String(result), next)
        }
    }
}
