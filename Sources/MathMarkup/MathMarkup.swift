import QuireCore

/// TeX in titles and abstracts, shown as MathML on pages.
///
/// arXiv titles and abstracts carry TeX between dollars (`$\Xi_{cc}^{+}$`,
/// `$\mathcal{O}(n \log n)$`). Browsers render MathML Core without any
/// script (Chromium since 109, Firefox for long), so the server writes
/// MathML and the page stays plain HTML. A formula the parser does not fully
/// understand (an author's own macro, an alignment) stays as its TeX source,
/// dollars included: a reader of arXiv can read that, and nothing is lost.
/// Feeds and mail keep plain text and never come here.
public enum MathMarkup {
    /// `text` as HTML: the text between formulas goes through `renderText`
    /// (by default plain escaping; search pages pass their highlighter), each
    /// formula becomes a `<math>` element, or its escaped source.
    public static func html(_ text: String, renderText: (String) -> String = HTML.escape) -> String {
        var out = ""
        for segment in MathSpans.segments(of: text) {
            switch segment {
            case .text(let plain):
                out += renderText(plain)
            case .math(let formula):
                out += MathML.element(for: formula) ?? renderText(formula.source)
            }
        }
        return out
    }

    /// Where the formulas of `text` are, so an excerpt can avoid cutting one in half.
    public static func formulaRanges(in text: String) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        var position = text.unicodeScalars.startIndex
        for segment in MathSpans.segments(of: text) {
            let length = switch segment {
            case .text(let plain): plain.unicodeScalars.count
            case .math(let formula): formula.source.unicodeScalars.count
            }
            let end = text.unicodeScalars.index(position, offsetBy: length)
            if case .math = segment { ranges.append(position..<end) }
            position = end
        }
        return ranges
    }
}
