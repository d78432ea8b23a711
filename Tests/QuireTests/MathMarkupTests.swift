import Foundation
import Testing
@testable import MathMarkup
@testable import Web

/// TeX in titles and abstracts becomes MathML; what is not understood stays as written.
struct MathMarkupTests {
    /// The MathML of the formula inside `$…$`, without the wrapper and annotation.
    private func body(_ tex: String) -> String? {
        let html = MathMarkup.html("$\(tex)$")
        guard html.hasPrefix("<math><semantics><mrow>"), let end = html.range(of: "</mrow><annotation") else { return nil }
        return String(html[html.index(html.startIndex, offsetBy: 23)..<end.lowerBound])
    }

    @Test func scriptsGreekAndFractions() {
        #expect(body(#"\Xi_{cc}^{+}"#) == #"<msubsup><mi mathvariant="normal">Ξ</mi><mrow><mi>c</mi><mi>c</mi></mrow><mo>+</mo></msubsup>"#)
        #expect(body(#"10^{-3}"#) == "<msup><mn>10</mn><mrow><mo>−</mo><mn>3</mn></mrow></msup>")
        #expect(body(#"x^23"#) == "<msup><mi>x</mi><mn>2</mn></msup><mn>3</mn>", "TeX takes one digit after ^")
        #expect(body(#"\frac{a}{b}"#) == "<mfrac><mi>a</mi><mi>b</mi></mfrac>")
        #expect(body(#"\sqrt[3]{x}"#) == "<mroot><mi>x</mi><mn>3</mn></mroot>")
        #expect(body(#"y'"#) == "<msup><mi>y</mi><mo>′</mo></msup>")
        #expect(body(#"\alpha\le 1"#) == "<mi>α</mi><mo>≤</mo><mn>1</mn>")
        #expect(body(#"\not= 0"#) == "<mo>=\u{0338}</mo><mn>0</mn>")
    }

    @Test func alphabetsAndText() {
        #expect(body(#"\mathcal{O}(n)"#) == #"<mi>𝒪</mi><mo stretchy="false">(</mo><mi>n</mi><mo stretchy="false">)</mo>"#)
        #expect(body(#"\mathbb{R}^n"#) == "<msup><mi>ℝ</mi><mi>n</mi></msup>")
        #expect(body(#"\mathbf{x}"#) == "<mi>𝐱</mi>")
        #expect(body(#"{\bf v}"#) == "<mi>𝐯</mi>")
        #expect(body(#"M_{\rm A}"#) == #"<msub><mi>M</mi><mi mathvariant="normal">A</mi></msub>"#)
        #expect(body(#"\text{if } x"#) == "<mtext>if </mtext><mi>x</mi>")
        #expect(body(#"\log n"#) == "<mi>log</mi><mi>n</mi>")
        #expect(body(#"\hat{x}"#) == #"<mover accent="true"><mi>x</mi><mo stretchy="false">^</mo></mover>"#)
        #expect(body(#"\left( \frac{1}{2} \right)"#) == #"<mrow><mo stretchy="true">(</mo><mfrac><mn>1</mn><mn>2</mn></mfrac><mo stretchy="true">)</mo></mrow>"#)
    }

    @Test func chemistryScriptsWithoutBase() {
        #expect(MathMarkup.html("H$_2$O").hasPrefix("H<math><semantics><mrow><msub><mrow></mrow><mn>2</mn></msub></mrow>"))
    }

    @Test func displayAndParenthesisDelimiters() {
        #expect(MathMarkup.html("$$x$$").hasPrefix("<math display=\"block\">"))
        #expect(MathMarkup.html(#"\[x\]"#).hasPrefix("<math display=\"block\">"))
        #expect(MathMarkup.html(#"a \(x\) b"#).hasPrefix("a <math><semantics>"))
    }

    /// Prices, lone and escaped dollars are text (pandoc's rule).
    @Test func dollarsThatAreNotFormulas() {
        #expect(MathMarkup.html("it costs $5 and $10 a month") == "it costs $5 and $10 a month")
        #expect(MathMarkup.html(#"a \$ sign and $x$"#).hasPrefix(#"a \$ sign and <math>"#))
        #expect(MathMarkup.html("an unclosed $x formula") == "an unclosed $x formula")
        #expect(MathMarkup.html("$ x$") == "$ x$")
    }

    /// Authors' own macros, alignments and broken TeX stay exactly as written, escaped.
    @Test func whatIsNotUnderstoodStaysAsSource() {
        #expect(MathMarkup.html(#"mass $\le 10^{15}\msun$ here"#) == #"mass $\le 10^{15}\msun$ here"#)
        #expect(MathMarkup.html(#"$a & b$"#) == #"$a &amp; b$"#)
        #expect(MathMarkup.html(#"$x^{1$"#) == #"$x^{1$"#)
        #expect(MathMarkup.html(#"$x^1^2$"#) == #"$x^1^2$"#)
        #expect(MathMarkup.html("$<script>$ <b>") == "<math><semantics><mrow><mo>&lt;</mo><mi>s</mi><mi>c</mi><mi>r</mi><mi>i</mi><mi>p</mi><mi>t</mi><mo>&gt;</mo></mrow><annotation encoding=\"application/x-tex\">&lt;script&gt;</annotation></semantics></math> &lt;b&gt;")
    }

    @Test func deepNestingEndsInText() {
        let deep = "$" + String(repeating: "{", count: 5_000) + "x" + String(repeating: "}", count: 5_000) + "$"
        #expect(MathMarkup.html(deep) == deep)
        let nested = "$" + String(repeating: #"\frac{"#, count: 200) + "$"
        #expect(MathMarkup.html(nested) == nested)
        let bare = "$" + String(repeating: #"\frac"#, count: 300) + "ab$"
        #expect(MathMarkup.html(bare) == bare)
    }

    @Test func highlighterRunsOnTextOnly() {
        let html = MathMarkup.html("alpha $\\alpha$ alpha") { "[\($0)]" }
        #expect(html.hasPrefix("[alpha ]<math>") && html.hasSuffix("</math>[ alpha]"))
    }

    /// An excerpt never ends inside a formula.
    @Test func excerptsStopBeforeAFormula() {
        let text = String(repeating: "word ", count: 58) + #"$\mathcal{O}(n \log n)$ and more words"#
        let excerpt = PaperListView.excerpt(text)
        #expect(!excerpt.contains("$"))
        #expect(excerpt.hasSuffix("word…"))
    }

    /// Every formula in the first 200 records of the real arXiv snapshot:
    /// most render, and those that do not are authors' macros or broken TeX.
    @Test func realAbstractFormulas() throws {
        let lines = try String(contentsOf: TestSupport.sharedFile("fixtures/arxiv-snapshot/first200.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        var formulas: [Formula] = []
        for line in lines {
            let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            for field in ["title", "abstract"] {
                for case .math(let formula) in MathSpans.segments(of: record[field] as? String ?? "") { formulas.append(formula) }
            }
        }
        let failed = formulas.filter { MathML.element(for: $0) == nil }
        let macros = Set(failed.compactMap { formula -> String? in
            do { _ = try TeXParser.parse(formula.tex) } catch { if case TeXParser.Failure.unknownCommand(let name) = error { return name } }
            return nil
        })
        #expect(formulas.count > 250)
        // Authors' own macros in these records; everything else renders.
        #expect(macros.isSubset(of: ["XQM", "rsun", "msun", "lam", "kms", "Q", "F", "cla", "si"]), "\(macros)")
        #expect(Double(failed.count) / Double(formulas.count) < 0.1, "\(failed.count) of \(formulas.count) stay as source: \(failed.map(\.source))")
    }
}
