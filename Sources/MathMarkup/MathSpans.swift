/// A formula found in running text, with the delimiters it was written with
/// (kept so a formula that cannot be rendered shows exactly as written).
struct Formula: Equatable {
    /// What is between the delimiters.
    var tex: String
    /// The formula as written, delimiters included.
    var source: String
    /// `$$…$$` and `\[…\]` are set apart; `$…$` and `\(…\)` run in the text.
    var display: Bool
}

enum TextSegment: Equatable {
    case text(String)
    case math(Formula)
}

/// Splits text into plain runs and formulas.
///
/// Dollars follow pandoc's rule, which keeps prices and lone dollars as
/// text: an opening `$` has a non-space character right after it, the closing
/// one a non-space character right before it and no digit right after it.
/// `\$` is a dollar sign, never a delimiter. A formula longer than
/// `maximumLength` scalars, or never closed, is text.
enum MathSpans {
    static let maximumLength = 2_000

    static func segments(of text: String) -> [TextSegment] {
        let s = Array(text.unicodeScalars)
        var segments: [TextSegment] = []
        var plainStart = 0
        var i = 0
        func flushPlain(upTo end: Int) {
            if end > plainStart { segments.append(.text(string(s[plainStart..<end]))) }
        }
        while i < s.count {
            let c = s[i]
            guard c == "$" || c == "\\" else { i += 1; continue }
            if let (formula, end) = formula(in: s, at: i) {
                flushPlain(upTo: i)
                segments.append(.math(formula))
                i = end
                plainStart = end
            } else {
                // An escaped character (`\$`) is skipped whole, so its dollar never opens a formula.
                i += c == "\\" ? 2 : 1
            }
        }
        flushPlain(upTo: s.count)
        return segments
    }

    /// The formula that starts at `start`, and the index just after it.
    private static func formula(in s: [Unicode.Scalar], at start: Int) -> (Formula, Int)? {
        let next = start + 1 < s.count ? s[start + 1] : nil
        if s[start] == "\\" {
            switch next {
            case "(": return delimited(s, start: start, open: 2, close: ["\\", ")"], display: false)
            case "[": return delimited(s, start: start, open: 2, close: ["\\", "]"], display: true)
            default: return nil
            }
        }
        if next == "$" { return delimited(s, start: start, open: 2, close: ["$", "$"], display: true) }
        // Pandoc's rule for single dollars.
        guard let first = next, !first.properties.isWhitespace else { return nil }
        var j = start + 1
        while j < s.count, j - start <= maximumLength {
            if s[j] == "\\" { j += 2; continue }
            if s[j] == "$" {
                let afterClose = j + 1 < s.count ? s[j + 1] : nil
                if !s[j - 1].properties.isWhitespace, !(afterClose?.properties.numericType != nil) {
                    return (make(s, start: start, bodyStart: start + 1, bodyEnd: j, end: j + 1, display: false), j + 1)
                }
                return nil
            }
            j += 1
        }
        return nil
    }

    private static func delimited(_ s: [Unicode.Scalar], start: Int, open: Int, close: [Unicode.Scalar],
                                  display: Bool) -> (Formula, Int)? {
        var j = start + open
        while j + 1 < s.count, j - start <= maximumLength {
            if s[j] == close[0], s[j + 1] == close[1] {
                guard j > start + open else { return nil }
                return (make(s, start: start, bodyStart: start + open, bodyEnd: j, end: j + 2, display: display), j + 2)
            }
            // `\\` and `\$` inside `$$…$$` are content, not a close.
            j += s[j] == "\\" && close[0] != "\\" ? 2 : 1
        }
        return nil
    }

    private static func make(_ s: [Unicode.Scalar], start: Int, bodyStart: Int, bodyEnd: Int, end: Int,
                             display: Bool) -> Formula {
        Formula(tex: string(s[bodyStart..<bodyEnd]), source: string(s[start..<end]), display: display)
    }

    private static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars)
        return String(out)
    }
}
