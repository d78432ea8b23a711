import Foundation
import Testing
import Web

/// Reader comments: each supported piece of markup, and the guarantee that
/// nothing a reader types becomes HTML of its own.
@Suite struct CommentMarkupTests {
    static let linkAttributes = #"rel="nofollow ugc noopener" target="_blank""#

    static func link(_ href: String, _ text: String) -> String {
        "<a href=\"\(href)\" \(linkAttributes)>\(text)</a>"
    }

    // MARK: - Markup

    @Test func emptyAndPlainText() {
        #expect(CommentMarkup.html("") == "")
        #expect(CommentMarkup.html(" \n\t\n ") == "")
        #expect(CommentMarkup.html("a < b && c > \"d\" 'e'") == "<p>a &lt; b &amp;&amp; c &gt; &quot;d&quot; &#39;e&#39;</p>")
    }

    @Test func paragraphsAndLineBreaks() {
        #expect(CommentMarkup.html("one\ntwo\n\n\nthree") == "<p>one<br>\ntwo</p>\n<p>three</p>")
        #expect(CommentMarkup.html("one\r\ntwo\rthree") == "<p>one<br>\ntwo<br>\nthree</p>")
        #expect(CommentMarkup.html("  padded  \n  lines  ") == "<p>padded<br>\nlines</p>")
    }

    @Test func emphasisAndStrong() {
        #expect(CommentMarkup.html("*one* _two_ **three**") == "<p><em>one</em> <em>two</em> <strong>three</strong></p>")
        #expect(CommentMarkup.html("***both***") == "<p><em><strong>both</strong></em></p>")
        #expect(CommentMarkup.html("**bold *and em* inside**") == "<p><strong>bold <em>and em</em> inside</strong></p>")
        #expect(CommentMarkup.html("*across\nlines*") == "<p><em>across<br>\nlines</em></p>")
    }

    @Test func delimitersThatAreNotEmphasis() {
        #expect(CommentMarkup.html("snake_case_name and 2 * 3 * 4") == "<p>snake_case_name and 2 * 3 * 4</p>")
        #expect(CommentMarkup.html("*unclosed and **also") == "<p>*unclosed and **also</p>")
        #expect(CommentMarkup.html("****four****") == "<p>****four****</p>")
        #expect(CommentMarkup.html(#"\*escaped\* \_too\_ \\"#) == #"<p>*escaped* _too_ \</p>"#)
    }

    @Test func inlineCode() {
        #expect(CommentMarkup.html("use `x < *y*` here") == "<p>use <code>x &lt; *y*</code> here</p>")
        #expect(CommentMarkup.html("``a ` b``") == "<p><code>a ` b</code></p>")
        #expect(CommentMarkup.html("`` `ticks` ``") == "<p><code>`ticks`</code></p>")
        #expect(CommentMarkup.html("no `closing") == "<p>no `closing</p>")
        #expect(CommentMarkup.html("`[x](https://a.com)`") == "<p><code>[x](https://a.com)</code></p>")
    }

    @Test func fencedCode() {
        let text = "Try:\n```swift\nlet ok = 1 < 2 && true\n\n*not em* [no](https://link.example)\n```\nafter"
        #expect(CommentMarkup.html(text) == """
            <p>Try:</p>
            <pre><code>let ok = 1 &lt; 2 &amp;&amp; true

            *not em* [no](https://link.example)</code></pre>
            <p>after</p>
            """)
        // An unclosed fence runs to the end of the comment.
        #expect(CommentMarkup.html("````\ncode\n```\nstill code") == "<pre><code>code\n```\nstill code</code></pre>")
        // Backticks after the fence make it inline code instead.
        #expect(CommentMarkup.html("```inline```") == "<p><code>inline</code></p>")
    }

    @Test func quotes() {
        #expect(CommentMarkup.html("> quoted *text*\n>more\n\nreply") == """
            <blockquote>
            <p>quoted <em>text</em><br>
            more</p>
            </blockquote>
            <p>reply</p>
            """)
        #expect(CommentMarkup.html("> outer\n> > inner") == """
            <blockquote>
            <p>outer</p>
            <blockquote>
            <p>inner</p>
            </blockquote>
            </blockquote>
            """)
        // Nesting stops at four levels; deeper `>` are text.
        let deep = CommentMarkup.html(String(repeating: ">", count: 10) + " x")
        #expect(deep.components(separatedBy: "<blockquote>").count - 1 == 4)
        #expect(deep.contains("<p>&gt;&gt;&gt;&gt;&gt;&gt; x</p>"))
    }

    @Test func lists() {
        #expect(CommentMarkup.html("Points:\n- one\n* two **b**\n  continued\nAfter") == """
            <p>Points:</p>
            <ul>
            <li>one</li>
            <li>two <strong>b</strong><br>
            continued</li>
            </ul>
            <p>After</p>
            """)
        #expect(CommentMarkup.html("-not a list\n*em*") == "<p>-not a list<br>\n<em>em</em></p>")
    }

    @Test func links() {
        #expect(CommentMarkup.html("[the *paper*](https://example.com/a?b=1&c=2)")
            == "<p>" + Self.link("https://example.com/a?b=1&amp;c=2", "the <em>paper</em>") + "</p>")
        #expect(CommentMarkup.html("[Wiki](https://en.wikipedia.org/wiki/Foo_(bar))")
            == "<p>" + Self.link("https://en.wikipedia.org/wiki/Foo_(bar)", "Wiki") + "</p>")
        #expect(CommentMarkup.html("[](HTTP://Example.com)") == "<p>" + Self.link("HTTP://Example.com", "HTTP://Example.com") + "</p>")
        // No link inside link text.
        #expect(CommentMarkup.html("[see https://b.example](https://a.example)")
            == "<p>" + Self.link("https://a.example", "see https://b.example") + "</p>")
    }

    @Test func linksToOtherSchemesStayText() {
        #expect(CommentMarkup.html("[x](javascript:alert(1))") == "<p>[x](javascript:alert(1))</p>")
        #expect(CommentMarkup.html("[x](/relative)") == "<p>[x](/relative)</p>")
        #expect(CommentMarkup.html("[x]( https://a.example)") == "<p>[x]( " + Self.link("https://a.example", "https://a.example") + ")</p>")
    }

    @Test func bareURLs() {
        #expect(CommentMarkup.html("See https://example.com/x_(y). Done")
            == "<p>See " + Self.link("https://example.com/x_(y)", "https://example.com/x_(y)") + ". Done</p>")
        #expect(CommentMarkup.html("(http://a.example/b), *https://c.example*")
            == "<p>(" + Self.link("http://a.example/b", "http://a.example/b") + "), <em>"
                + Self.link("https://c.example", "https://c.example") + "</em></p>")
        #expect(CommentMarkup.html("https://a.example/\"quoted\"")
            == "<p>" + Self.link("https://a.example/", "https://a.example/") + "&quot;quoted&quot;</p>")
        #expect(CommentMarkup.html("xhttps://a.example https:// ftp://a.example")
            == "<p>xhttps://a.example https:// ftp://a.example</p>")
    }

    @Test func arxivMentions() {
        #expect(CommentMarkup.html("See arXiv:2410.12345v2.") == #"<p>See <a href="/papers/2410.12345">arXiv:2410.12345v2</a>.</p>"#)
        #expect(CommentMarkup.html("ARXIV:hep-th/9901001") == #"<p><a href="/papers/hep-th/9901001">ARXIV:hep-th/9901001</a></p>"#)
        #expect(CommentMarkup.html("arXiv:1234 and xarXiv:2410.12345") == "<p>arXiv:1234 and xarXiv:2410.12345</p>")
    }

    @Test func controlCharactersAndSeparators() {
        #expect(CommentMarkup.html("a\u{0}b\u{7}c\u{9F}d") == "<p>a\u{FFFD}bcd</p>")
        #expect(CommentMarkup.html("a\u{2028}b\u{2029}\u{2029}c") == "<p>a<br>\nb</p>\n<p>c</p>")
    }

    @Test func longInputIsCut() {
        let html = CommentMarkup.html(String(repeating: "a", count: CommentMarkup.maxInputLength + 50_000))
        #expect(html == "<p>" + String(repeating: "a", count: CommentMarkup.maxInputLength) + "</p>")
    }

    /// Inputs that make naive parsers quadratic (or worse) still render fast.
    @Test(arguments: [
        "*a ", "_a ", "**a ", "*", "a*", "*a_", "[", "]", "[a](", "[a](b", "[a](https://x", "(", "`", "`` ` ",
        "``` ", "\\", "> ", ">", "- ", "https://", "https://a", "arXiv:", "arXiv:2410.", "<", "&", "\n", "\n\n",
    ])
    func pathologicalInputIsFast(unit: String) {
        let text = String(repeating: unit, count: 100_000 / unit.utf8.count)
        let clock = ContinuousClock()
        var html = ""
        let elapsed = clock.measure { html = CommentMarkup.html(text) }
        #expect(elapsed < .seconds(3), "\(unit.debugDescription) × \(text.count) took \(elapsed)")
        #expect(Self.violations(in: html).isEmpty)
    }

    /// A benchmark, not a test (bench/markup_bench.sh runs it with
    /// QUIRE_BENCH=1; timed assertions fail on a loaded machine): how the time
    /// grows with the length of nested and mixed constructs. A linear parser
    /// takes about 4× as long for 4× the input, a quadratic one 16×.
    /// `pathologicalInputIsFast` is the test that no input hangs.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["QUIRE_BENCH"] != nil))
    func timeGrowth() {
        let unit = "[a *b `c (https://d.example/[e]( _f arXiv:2410.1234"
        // The best of three runs, so that another process on the machine
        // does not decide the figure.
        func time(_ copies: Int) -> Duration {
            let text = String(repeating: unit, count: copies)
            return (0..<3).map { _ in ContinuousClock().measure { _ = CommentMarkup.html(text) } }.min() ?? .zero
        }
        _ = time(50) // warm up
        let small = time(500), large = time(2_000) // 24 000 and 96 000 characters
        let ratio = large / small
        print("comment markup: 24,000 characters \(small), 96,000 characters \(large): "
            + "\(String(format: "%.1f", ratio))× the time for 4× the input (linear ≈ 4, quadratic ≈ 16)")
    }

    // MARK: - XSS payloads

    /// Tests/QuireTests/Fixtures/xss-payloads.txt: one payload per line, UTF-8.
    /// Characters a line cannot hold are written `\n`, `\r`, `\t`, `\0` or
    /// `\u{HEX}`; any other backslash is literal.
    static let payloads: [String] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/xss-payloads.txt")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() } // the file's final newline
        return lines.map { decodePayload(String($0)) }
    }()

    static func decodePayload(_ line: String) -> String {
        var out = ""
        var rest = Substring(line)
        while let c = rest.first {
            rest = rest.dropFirst()
            guard c == "\\", let next = rest.first else { out.append(c); continue }
            switch next {
            case "n": out.append("\n"); rest = rest.dropFirst()
            case "r": out.append("\r"); rest = rest.dropFirst()
            case "t": out.append("\t"); rest = rest.dropFirst()
            case "0": out.append("\u{0}"); rest = rest.dropFirst()
            case "u" where rest.dropFirst().first == "{":
                if let close = rest.firstIndex(of: "}"),
                   let value = UInt32(rest[rest.index(rest.startIndex, offsetBy: 2)..<close], radix: 16),
                   let scalar = Unicode.Scalar(value) {
                    out.unicodeScalars.append(scalar)
                    rest = rest[rest.index(after: close)...]
                } else {
                    out.append(c)
                }
            default: out.append(c)
            }
        }
        return out
    }

    @Test func payloadFileIsThere() {
        #expect(Self.payloads.count >= 40)
        #expect(Self.payloads.contains("<script>alert(1)</script>"))
        #expect(Self.payloads.contains { $0.contains("\u{0}") })
        #expect(Self.payloads.contains { $0.contains("\u{2028}") })
    }

    /// Identified by line number, so test names stay printable.
    @Test(arguments: payloads.indices)
    func payloadRendersHarmlessly(line: Int) {
        let payload = Self.payloads[line]
        let html = CommentMarkup.html(payload)
        #expect(Self.violations(in: html).isEmpty, "line \(line + 1): \(payload.debugDescription) → \(html)")
        // Each payload also inside the other block kinds and as link text.
        for wrapped in ["> " + payload, "- " + payload, "*" + payload + "*", "[" + payload + "](https://a.example)",
                        "```\n" + payload + "\n```", "`" + payload + "`"] {
            let html = CommentMarkup.html(wrapped)
            #expect(Self.violations(in: html).isEmpty, "line \(line + 1): \(wrapped.debugDescription) → \(html)")
        }
    }

    @Test func theCheckerCatchesWhatItShould() {
        #expect(!Self.violations(in: "<script>x</script>").isEmpty)
        #expect(!Self.violations(in: #"<a href="javascript:x">y</a>"#).isEmpty)
        #expect(!Self.violations(in: #"<a href="https://a" onclick="x">y</a>"#).isEmpty)
        #expect(!Self.violations(in: #"<p title="x">y</p>"#).isEmpty)
        #expect(!Self.violations(in: "<em>x</strong>").isEmpty)
        #expect(!Self.violations(in: "<p>a \" b</p>").isEmpty)
        #expect(!Self.violations(in: "<p>a &#106; b</p>").isEmpty)
        #expect(Self.violations(in: "<p>" + Self.link("https://a.example/?a=1&amp;b", "x") + "<br></p>").isEmpty)
    }

    // MARK: - The checker

    static let allowedTags: Set<String> = ["p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "li", "a"]

    /// Reads the fragment as a browser would and lists everything in it that
    /// the renderer may not produce: a tag or attribute off the whitelist, an
    /// href that is not http(s) or /papers/, an event handler, a quote or `>`
    /// or an entity other than the five `esc` writes in text, unbalanced tags.
    static func violations(in html: String) -> [String] {
        var problems: [String] = []
        var open: [String] = []
        let s = Array(html.unicodeScalars)
        var i = 0
        while i < s.count {
            switch s[i] {
            case "<":
                guard let end = s[i...].firstIndex(of: ">") else { problems.append("unclosed tag"); return problems }
                let tag = String(String.UnicodeScalarView(s[(i + 1)..<end]))
                problems += checkTag(tag, open: &open)
                i = end + 1
            case "&":
                let rest = String(String.UnicodeScalarView(s[i..<min(s.count, i + 6)]))
                if !["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].contains(where: { rest.hasPrefix($0) }) {
                    problems.append("unexpected entity or bare & at \(rest)")
                }
                i += 1
            case ">", "\"", "'":
                problems.append("unescaped \(s[i]) in text")
                i += 1
            default:
                i += 1
            }
        }
        if !open.isEmpty { problems.append("unclosed elements \(open)") }
        return problems
    }

    private static func checkTag(_ tag: String, open: inout [String]) -> [String] {
        if tag.hasPrefix("/") {
            let name = String(tag.dropFirst())
            guard open.last == name else { return ["</\(name)> does not close \(open.last ?? "nothing")"] }
            open.removeLast()
            return []
        }
        let name = String(tag.prefix(while: { $0.isLetter }))
        guard allowedTags.contains(name) else { return ["tag <\(tag)> not allowed"] }
        var problems: [String] = []
        var attributes: [String: String] = [:]
        var rest = Substring(tag.dropFirst(name.count))
        while !rest.isEmpty {
            // Attributes are written ` name="value"`, with a value free of quotes and `<`.
            guard rest.first == " ", let equals = rest.firstIndex(of: "="),
                  rest[rest.index(after: equals)...].first == "\"" else { return problems + ["malformed attributes in <\(tag)>"] }
            let attribute = String(rest[rest.index(after: rest.startIndex)..<equals])
            let valueStart = rest.index(equals, offsetBy: 2)
            guard let valueEnd = rest[valueStart...].firstIndex(of: "\"") else { return problems + ["unterminated value in <\(tag)>"] }
            let value = String(rest[valueStart..<valueEnd])
            if value.contains("<") || value.contains("'") { problems.append("raw < or ' in attribute of <\(tag)>") }
            attributes[attribute] = decodeEntities(value)
            rest = rest[rest.index(after: valueEnd)...]
        }
        for (attribute, value) in attributes {
            if attribute.lowercased().hasPrefix("on") { problems.append("event handler \(attribute)") }
            guard name == "a", ["href", "rel", "target"].contains(attribute) else {
                problems.append("attribute \(attribute) not allowed on \(name)"); continue
            }
            switch attribute {
            case "href":
                let lower = value.lowercased()
                if !(lower.hasPrefix("http://") || lower.hasPrefix("https://") || value.hasPrefix("/papers/")) {
                    problems.append("href \(value)")
                }
                if lower.contains("javascript:") { problems.append("javascript: in href \(value)") }
                if value.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
                    problems.append("whitespace or control character in href \(value.debugDescription)")
                }
            case "rel": if value != "nofollow ugc noopener" { problems.append("rel \(value)") }
            default: if value != "_blank" { problems.append("target \(value)") }
            }
        }
        if name == "a", let href = attributes["href"], !href.hasPrefix("/papers/"),
           attributes["rel"] != "nofollow ugc noopener" || attributes["target"] != "_blank" {
            problems.append("outside link without rel and target")
        }
        if name == "a", attributes["href"] == nil { problems.append("a without href") }
        if name != "br" { open.append(name) }
        return problems
    }

    private static func decodeEntities(_ value: String) -> String {
        value.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
