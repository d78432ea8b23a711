import Foundation
import QuireCore

/// Renders a reader's comment (plain text with links and a small Markdown
/// subset) as an HTML fragment that is safe to put on a page.
///
/// Safety comes from how the renderer is built, not from filtering: the
/// comment is never parsed as HTML, every character a reader typed leaves
/// through `esc`, and the only markup in the output is what this file writes
/// itself: p, br, em, strong, code, pre, blockquote, ul, li and a. A link is
/// made only when its destination literally begins with http:// or https://
/// (checked on the raw text, which is never entity-decoded), or for an arXiv
/// mention, which becomes a relative /papers/ link. So javascript:, data: and
/// every other scheme, however it is spelled or obfuscated, stays plain text.
///
/// Supported: paragraphs (a blank line separates them; a single newline is a
/// <br>), `*em*` / `_em_`, `**strong**`, `` `code` ``, ``` fenced blocks,
/// `> quote` lines, `- item` / `* item` lists, `[text](url)`, bare http(s)
/// URLs, `arXiv:2410.12345`, and backslash escapes (`\*`).
///
/// Every pass is a forward scan or uses matches computed beforehand, so time
/// is linear in the input: no regular expressions, nothing that backtracks.
public enum CommentMarkup {
    /// Longer comments are cut at this many Unicode scalars before rendering;
    /// whoever stores comments should reject longer ones rather than rely on it.
    public static let maxInputLength = 100_000

    public static func html(_ text: String) -> String {
        CommentBlocks(depth: 0).render(CommentText.lines(of: text))
    }
}

// MARK: - Input

/// One line of a comment as Unicode scalars, which the scanners index directly.
fileprivate typealias CommentLine = [Unicode.Scalar]

fileprivate enum CommentText {
    /// Splits the comment into lines, after cutting it to `maxInputLength`.
    /// Every line break (CRLF, CR, NEL, U+2028, U+2029) becomes a line end, so
    /// no exotic separator survives inside a line. NUL becomes U+FFFD (what the
    /// HTML parser would do) and other control characters are dropped: they
    /// have no business in a comment and browsers treat some of them oddly.
    static func lines(of text: String) -> [CommentLine] {
        var lines: [CommentLine] = [[]]
        var count = 0
        var afterCR = false
        for scalar in text.unicodeScalars {
            count += 1
            if count > CommentMarkup.maxInputLength { break }
            let wasCR = afterCR
            afterCR = false
            switch scalar.value {
            case 0x0A where wasCR: continue // the LF of a CRLF
            case 0x0D: afterCR = true; lines.append([])
            case 0x0A, 0x85, 0x2028, 0x2029: lines.append([])
            case 0x00: lines[lines.count - 1].append("\u{FFFD}")
            case 0x09: lines[lines.count - 1].append(scalar)
            case 0x01...0x1F, 0x7F...0x9F: continue
            default: lines[lines.count - 1].append(scalar)
            }
        }
        return lines
    }

    static func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" }

    static func isBlank(_ line: CommentLine) -> Bool { line.allSatisfy(isSpace) }

    static func trimmed(_ line: some Collection<Unicode.Scalar>) -> CommentLine {
        Array(line.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }

    /// Unicode whitespace, with the start and end of the text counting as whitespace
    /// (the rule CommonMark uses to decide whether `*` opens or closes emphasis).
    static func isWhitespace(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return true }
        return c.properties.isWhitespace
    }

    static func isPunctuation(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        switch c.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation,
             .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    static func isASCIIAlphanumeric(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        return ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
    }

    static func isASCIIPunctuation(_ c: Unicode.Scalar) -> Bool {
        c.isASCII && "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".unicodeScalars.contains(c)
    }
}

// MARK: - Blocks

/// Groups lines into paragraphs, fenced code, quotes and lists. Quotes are
/// rendered by a nested instance, at most `maxDepth` deep, so a line of a
/// thousand `>` costs a few passes rather than a thousand.
fileprivate struct CommentBlocks {
    static let maxDepth = 4
    let depth: Int

    func render(_ lines: [CommentLine]) -> String {
        var blocks: [String] = []
        var paragraph: [CommentLine] = []
        func endParagraph() {
            guard !paragraph.isEmpty else { return }
            blocks.append("<p>" + CommentInline.render(paragraph.map(CommentText.trimmed)) + "</p>")
            paragraph = []
        }

        var i = 0
        while i < lines.count {
            let line = lines[i]
            if CommentText.isBlank(line) {
                endParagraph(); i += 1
            } else if let fence = Self.fenceOpening(line) {
                endParagraph()
                var code: [CommentLine] = []
                i += 1
                while i < lines.count, !Self.isFenceClosing(lines[i], length: fence) { code.append(lines[i]); i += 1 }
                i += 1 // the closing fence; an unclosed block runs to the end
                let text = code.map { String(String.UnicodeScalarView($0)) }.joined(separator: "\n")
                blocks.append("<pre><code>" + esc(text) + "</code></pre>")
            } else if quoteContent(line) != nil {
                endParagraph()
                var quoted: [CommentLine] = []
                while i < lines.count, let content = quoteContent(lines[i]) { quoted.append(content); i += 1 }
                blocks.append("<blockquote>\n" + CommentBlocks(depth: depth + 1).render(quoted) + "\n</blockquote>")
            } else if let first = Self.listItem(line) {
                // A list may follow a paragraph line directly ("Points:\n- a").
                endParagraph()
                var items: [[CommentLine]] = [[first]]
                i += 1
                while i < lines.count {
                    let next = lines[i]
                    if let item = Self.listItem(next) {
                        items.append([item])
                    } else if let lead = next.first, CommentText.isSpace(lead), !CommentText.isBlank(next),
                              Self.fenceOpening(next) == nil, quoteContent(next) == nil {
                        // Only indented lines continue an item, so the text after
                        // a list without a blank line is a paragraph of its own.
                        items[items.count - 1].append(CommentText.trimmed(next))
                    } else {
                        break
                    }
                    i += 1
                }
                let rendered = items.map { "<li>" + CommentInline.render($0) + "</li>" }
                blocks.append("<ul>\n" + rendered.joined(separator: "\n") + "\n</ul>")
            } else {
                paragraph.append(line); i += 1
            }
        }
        endParagraph()
        return blocks.joined(separator: "\n")
    }

    /// Up to three spaces of indentation, as in Markdown; more is ordinary text.
    private static func afterIndent(_ line: CommentLine) -> ArraySlice<Unicode.Scalar> {
        var start = 0
        while start < min(3, line.count), line[start] == " " { start += 1 }
        return line[start...]
    }

    /// The fence length when the line opens a fenced code block: three or more
    /// backticks and an info string without backticks (else it is inline code).
    private static func fenceOpening(_ line: CommentLine) -> Int? {
        let rest = afterIndent(line)
        let length = rest.prefix(while: { $0 == "`" }).count
        guard length >= 3, !rest.dropFirst(length).contains("`") else { return nil }
        return length
    }

    private static func isFenceClosing(_ line: CommentLine, length: Int) -> Bool {
        let rest = afterIndent(line)
        let ticks = rest.prefix(while: { $0 == "`" }).count
        return ticks >= length && rest.dropFirst(ticks).allSatisfy(CommentText.isSpace)
    }

    /// The text after `>` (and one optional space), or nil when the line is
    /// not a quote or quotes are already nested as deep as allowed.
    private func quoteContent(_ line: CommentLine) -> CommentLine? {
        guard depth < Self.maxDepth else { return nil }
        let rest = Self.afterIndent(line)
        guard rest.first == ">" else { return nil }
        let content = rest.dropFirst()
        return Array(content.first == " " ? content.dropFirst() : content)
    }

    /// The text of a `- item` or `* item` line. It needs a space after the
    /// marker (so `*emphasis*` is not an item) and some text after it.
    private static func listItem(_ line: CommentLine) -> CommentLine? {
        let rest = afterIndent(line)
        guard let marker = rest.first, marker == "-" || marker == "*",
              let space = rest.dropFirst().first, CommentText.isSpace(space) else { return nil }
        let text = CommentText.trimmed(rest.dropFirst(2))
        return text.isEmpty ? nil : text
    }
}

// MARK: - Inline

/// Renders the text of one block: code spans, links, autolinks, arXiv mentions
/// and emphasis, with line breaks as <br>.
///
/// It first cuts the text into pieces (escaped text, finished HTML, and runs
/// of `*` or `_` that may become emphasis), then pairs the runs the way
/// CommonMark does, with a linked delimiter stack and a per-character floor
/// so that no delimiter is looked at more than a bounded number of times.
fileprivate struct CommentInline {
    private enum Piece {
        case text(String)
        case html(String)
        case delimiter(Int) // index into `delimiters`
    }

    /// A run of `*` or `_`: how many characters are still literal, and the
    /// tags it has become. `previous`/`next` link the runs still in play.
    private struct Delimiter {
        let character: Unicode.Scalar
        var count: Int
        let canOpen: Bool
        let canClose: Bool
        var previous: Int
        var next: Int
        var openTags: [String] = []
        var closeTags: [String] = []
    }

    /// Longer runs stay literal: nobody writes `****x****` as emphasis, and
    /// capping the run keeps the number of tags per run at two.
    private static let maxDelimiterRun = 3
    private static let maxURLLength = 2048
    private static let linkAttributes = #"rel="nofollow ugc noopener" target="_blank""#

    private let s: [Unicode.Scalar]
    private let allowLinks: Bool
    /// For every `[` and `(`, the index of its matching `]` or `)`, or -1.
    private var match: [Int]
    /// Start indexes of backtick runs, by run length, and how far each list has been consumed.
    private var backtickRuns: [Int: [Int]] = [:]
    private var backtickCursor: [Int: Int] = [:]

    private var pieces: [Piece] = []
    private var pendingText = ""
    private var delimiters: [Delimiter] = []

    /// Renders the lines of one block, joined by <br>.
    static func render(_ lines: [CommentLine]) -> String {
        var text: [Unicode.Scalar] = []
        for (n, line) in lines.enumerated() {
            if n > 0 { text.append("\n") }
            text.append(contentsOf: line)
        }
        return render(text, allowLinks: true)
    }

    private static func render(_ text: [Unicode.Scalar], allowLinks: Bool) -> String {
        var renderer = CommentInline(text, allowLinks: allowLinks)
        renderer.scan()
        renderer.pairEmphasis()
        return renderer.output()
    }

    private init(_ text: [Unicode.Scalar], allowLinks: Bool) {
        s = text
        self.allowLinks = allowLinks
        match = Array(repeating: -1, count: text.count)
        var squares: [Int] = [], rounds: [Int] = []
        var i = 0
        while i < text.count {
            switch text[i] {
            case "\\": i += 1 // an escaped bracket does not pair
            case "[": squares.append(i)
            case "]": if let open = squares.popLast() { match[open] = i }
            case "(": rounds.append(i)
            case ")": if let open = rounds.popLast() { match[open] = i }
            case "`":
                let start = i
                while i + 1 < text.count, text[i + 1] == "`" { i += 1 }
                backtickRuns[i - start + 1, default: []].append(start)
            default: break
            }
            i += 1
        }
    }

    // MARK: Cutting the text into pieces

    private mutating func scan() {
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == "\\", i + 1 < s.count, CommentText.isASCIIPunctuation(s[i + 1]) {
                pendingText.unicodeScalars.append(s[i + 1]); i += 2
            } else if c == "\n" {
                emit(html: "<br>\n"); i += 1
            } else if c == "`" {
                i = codeSpan(at: i)
            } else if c == "*" || c == "_" {
                i = delimiterRun(at: i)
            } else if allowLinks, c == "[", let end = link(at: i) {
                i = end
            } else if allowLinks, c == "h" || c == "H", let end = autolink(at: i) {
                i = end
            } else if allowLinks, c == "a" || c == "A", let end = arxivMention(at: i) {
                i = end
            } else {
                pendingText.unicodeScalars.append(c); i += 1
            }
        }
        flushText()
    }

    private mutating func flushText() {
        if !pendingText.isEmpty { pieces.append(.text(pendingText)); pendingText = "" }
    }

    private mutating func emit(html: String) {
        flushText(); pieces.append(.html(html))
    }

    private func string(_ range: Range<Int>) -> String {
        String(String.UnicodeScalarView(s[range]))
    }

    /// A code span runs to the next backtick run of the same length; without
    /// one the backticks are literal. Finding it uses the precomputed runs.
    private mutating func codeSpan(at start: Int) -> Int {
        var end = start
        while end < s.count, s[end] == "`" { end += 1 }
        let length = end - start
        let runs = backtickRuns[length] ?? []
        var cursor = backtickCursor[length] ?? 0
        while cursor < runs.count, runs[cursor] < end { cursor += 1 }
        backtickCursor[length] = cursor
        guard cursor < runs.count else {
            pendingText += String(repeating: "`", count: length)
            return end
        }
        let close = runs[cursor]
        var content = string(end..<close).replacingOccurrences(of: "\n", with: " ")
        if content.count >= 2, content.first == " ", content.last == " ", content.contains(where: { $0 != " " }) {
            content = String(content.dropFirst().dropLast())
        }
        emit(html: "<code>" + esc(content) + "</code>")
        return close + length
    }

    /// Records a run of `*` or `_`, deciding as CommonMark does whether it can
    /// open or close emphasis from the characters on either side. `_` inside
    /// a word never counts, so snake_case_names stay as they are.
    private mutating func delimiterRun(at start: Int) -> Int {
        let c = s[start]
        var end = start
        while end < s.count, s[end] == c { end += 1 }
        let length = end - start
        let before = start > 0 ? s[start - 1] : nil
        let after = end < s.count ? s[end] : nil
        let leftFlanking = !CommentText.isWhitespace(after)
            && (!CommentText.isPunctuation(after) || CommentText.isWhitespace(before) || CommentText.isPunctuation(before))
        let rightFlanking = !CommentText.isWhitespace(before)
            && (!CommentText.isPunctuation(before) || CommentText.isWhitespace(after) || CommentText.isPunctuation(after))
        let canOpen = c == "*" ? leftFlanking : leftFlanking && (!rightFlanking || CommentText.isPunctuation(before))
        let canClose = c == "*" ? rightFlanking : rightFlanking && (!leftFlanking || CommentText.isPunctuation(after))
        guard length <= Self.maxDelimiterRun, canOpen || canClose else {
            pendingText += String(repeating: Character(c), count: length)
            return end
        }
        flushText()
        let index = delimiters.count
        delimiters.append(Delimiter(character: c, count: length, canOpen: canOpen, canClose: canClose,
                                    previous: index - 1, next: index + 1))
        pieces.append(.delimiter(index))
        return end
    }

    /// `[text](url)` with an http(s) destination; nil (so the `[` is literal
    /// text) for anything else, including links to other schemes.
    private mutating func link(at start: Int) -> Int? {
        let closeText = match[start]
        guard closeText > start, closeText + 1 < s.count, s[closeText + 1] == "(" else { return nil }
        let closeURL = match[closeText + 1]
        guard closeURL > closeText else { return nil }
        let url = s[(closeText + 2)..<closeURL]
        guard Self.isWebURL(url) else { return nil }
        // Link text may hold emphasis and code but no further links.
        var label = Self.render(Array(s[(start + 1)..<closeText]), allowLinks: false)
        if label.allSatisfy(\.isWhitespace) { label = esc(String(String.UnicodeScalarView(url))) }
        emit(html: Self.anchor(url) + label + "</a>")
        return closeURL + 1
    }

    /// A bare http:// or https:// URL. It ends at whitespace or a character
    /// that cannot be part of one, and sentence punctuation after it (and a
    /// closing bracket it did not open) is left outside.
    private mutating func autolink(at start: Int) -> Int? {
        guard !CommentText.isASCIIAlphanumeric(start > 0 ? s[start - 1] : nil),
              let schemeLength = Self.webSchemeLength(s[start...]),
              start + schemeLength < s.count, CommentText.isASCIIAlphanumeric(s[start + schemeLength]) else { return nil }
        // Checked before scanning on, so a failed candidate costs a few characters.
        var end = start + schemeLength
        while end < s.count, end - start < Self.maxURLLength, Self.isURLCharacter(s[end]) { end += 1 }
        var opened = 0, closed = 0
        for c in s[start..<end] { if c == "(" { opened += 1 } else if c == ")" { closed += 1 } }
        while end > start + schemeLength + 1 {
            let last = s[end - 1]
            if ".,:;!?'*_~]".unicodeScalars.contains(last) {
                end -= 1
            } else if last == ")", closed > opened {
                closed -= 1; end -= 1
            } else {
                break
            }
        }
        emit(html: Self.anchor(s[start..<end]) + esc(string(start..<end)) + "</a>")
        return end
    }

    /// `arXiv:2410.12345` (or an old-style id such as `arXiv:hep-th/9901001`)
    /// links to the paper's page here: a relative link built from the parsed id.
    private mutating func arxivMention(at start: Int) -> Int? {
        let prefix = "arxiv:".unicodeScalars
        guard !CommentText.isASCIIAlphanumeric(start > 0 ? s[start - 1] : nil), start + prefix.count < s.count,
              zip(s[start..<(start + prefix.count)], prefix).allSatisfy({ Self.lowercased($0) == $1 }) else { return nil }
        var end = start + prefix.count
        while end < s.count, end - start < 48,
              CommentText.isASCIIAlphanumeric(s[end]) || s[end] == "." || s[end] == "/" || s[end] == "-" { end += 1 }
        while end > start + prefix.count, s[end - 1] == "." || s[end - 1] == "/" || s[end - 1] == "-" { end -= 1 }
        guard end > start + prefix.count, let id = ArxivID.parse(string((start + prefix.count)..<end)) else { return nil }
        emit(html: "<a href=\"\(esc(PaperListView.paperPath(id.base)))\">" + esc(string(start..<end)) + "</a>")
        return end
    }

    // MARK: URLs

    private static func lowercased(_ c: Unicode.Scalar) -> Unicode.Scalar {
        ("A"..."Z").contains(c) ? Unicode.Scalar(c.value + 32)! : c
    }

    /// The length of a leading "http://" or "https://", compared without case.
    private static func webSchemeLength(_ text: ArraySlice<Unicode.Scalar>) -> Int? {
        for scheme in ["https://", "http://"] {
            let scalars = Array(scheme.unicodeScalars)
            if text.count >= scalars.count, zip(text, scalars).allSatisfy({ lowercased($0) == $1 }) {
                return scalars.count
            }
        }
        return nil
    }

    /// Whether a link destination is a web address: it must begin, exactly and
    /// with nothing before it, with http:// or https:// and a host character,
    /// and hold no whitespace or control characters. The text is never
    /// entity-decoded or trimmed, so no spelling of another scheme gets through.
    private static func isWebURL(_ url: ArraySlice<Unicode.Scalar>) -> Bool {
        guard url.count <= maxURLLength, let schemeLength = webSchemeLength(url),
              schemeLength < url.count, CommentText.isASCIIAlphanumeric(url[url.startIndex + schemeLength]) else { return false }
        return url.allSatisfy { !$0.properties.isWhitespace && !(0...0x1F).contains($0.value) && !(0x7F...0x9F).contains($0.value) }
    }

    private static func isURLCharacter(_ c: Unicode.Scalar) -> Bool {
        !c.properties.isWhitespace && c.value > 0x1F && !(0x7F...0x9F).contains(c.value)
            && !"<>\"`".unicodeScalars.contains(c)
    }

    /// The opening tag of an outside link. Characters a browser would
    /// percent-encode anyway are encoded here, then the value is escaped.
    private static func anchor(_ url: ArraySlice<Unicode.Scalar>) -> String {
        var href = ""
        for c in url {
            switch c {
            case "\"": href += "%22"
            case "<": href += "%3C"
            case ">": href += "%3E"
            case "`": href += "%60"
            default: href.unicodeScalars.append(c)
            }
        }
        return "<a href=\"\(esc(href))\" \(linkAttributes)>"
    }

    // MARK: Emphasis

    /// Pairs delimiter runs into <em> and <strong>: each run that can close
    /// looks back for the nearest run of the same character that can open.
    /// Runs skipped over by a pairing leave the stack (they stay literal), and
    /// a failed look-back raises that character's floor, so the total work is
    /// linear in the number of runs.
    private mutating func pairEmphasis() {
        guard !delimiters.isEmpty else { return }
        delimiters[delimiters.count - 1].next = -1
        var floor: [Unicode.Scalar: Int] = ["*": -1, "_": -1]
        var closer = 0
        while closer != -1 {
            let current = delimiters[closer]
            guard current.canClose, current.count > 0 else { closer = current.next; continue }
            let bottom = floor[current.character] ?? -1
            var opener = current.previous
            while opener > bottom, !(delimiters[opener].character == current.character && delimiters[opener].canOpen) {
                opener = delimiters[opener].previous
            }
            if opener > bottom {
                let width = delimiters[opener].count >= 2 && current.count >= 2 ? 2 : 1
                let tag = width == 2 ? "strong" : "em"
                delimiters[opener].count -= width
                delimiters[closer].count -= width
                // The first pairing is the innermost: later open tags go outside it.
                delimiters[opener].openTags.insert("<\(tag)>", at: 0)
                delimiters[closer].closeTags.append("</\(tag)>")
                delimiters[opener].next = closer
                delimiters[closer].previous = opener
                if delimiters[opener].count == 0 { unlink(opener) }
                if delimiters[closer].count == 0 {
                    let next = delimiters[closer].next
                    unlink(closer)
                    closer = next
                }
            } else {
                floor[current.character] = current.previous
                let next = current.next
                if !current.canOpen { unlink(closer) }
                closer = next
            }
        }
    }

    private mutating func unlink(_ index: Int) {
        let previous = delimiters[index].previous, next = delimiters[index].next
        if previous != -1 { delimiters[previous].next = next }
        if next != -1 { delimiters[next].previous = previous }
    }

    private func output() -> String {
        var html = ""
        for piece in pieces {
            switch piece {
            case .text(let text): html += esc(text)
            case .html(let markup): html += markup
            case .delimiter(let index):
                let d = delimiters[index]
                html += d.closeTags.joined() + esc(String(repeating: Character(d.character), count: d.count)) + d.openTags.joined()
            }
        }
        return html
    }
}
