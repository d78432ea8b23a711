import Foundation
import Mail
import MathMarkup
import QuireCore
import Search

/// Small parsers and encoders of text typed by people: search queries,
/// dates, weeks and months, and mail headers built from user-given names.
enum TextTargets {
    static let all = [
        FuzzTarget("search-query", searchQuery),
        FuzzTarget("day-period", dayPeriod),
        FuzzTarget("mime-header", mime),
        FuzzTarget("tex-math", texMath),
        FuzzTarget("keyword-tokenizer", keywordTokenizer),
        FuzzTarget("summary-text", summaryText),
        FuzzTarget("bibtex-reader", bibtexReader),
    ]

    /// A reader's BibTeX file of their own papers: whatever the bytes, it is
    /// read or refused with a place that exists in the text, the same twice,
    /// and every id found is a real arXiv id that reads back as itself.
    static func bibtexReader(_ bytes: [UInt8]) throws {
        let raw = text(bytes)
        do {
            let references = try BibTeXReader.references(in: raw)
            try check((try? BibTeXReader.references(in: raw)) == references, "references differ between two runs")
            try check(references.count <= BibTeXReader.maxEntries, "more entries than the cap")
            for reference in references {
                try check(!reference.key.isEmpty && reference.line >= 1, "an entry without key or line")
                if let id = reference.arxivID {
                    try check(ArxivID.parse(id.description) == id, "arXiv id \(id) does not read back as itself")
                }
            }
        } catch let error as BibTeXReadError {
            let lines = raw.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
            try check(!error.message.isEmpty && error.line >= 1 && error.line <= lines && error.column >= 1,
                      "a refusal at line \(error.line), column \(error.column) of \(lines) lines: \(error.message)")
        }
    }

    /// Abstracts from anywhere are cut into sentences (the summary) and into
    /// candidate keyphrases: whatever the text, nothing traps, no character
    /// but white space is lost or repeated by the cut, and the candidates
    /// are the same twice, each of one to three words that say something.
    static func summaryText(_ bytes: [UInt8]) throws {
        let raw = text(bytes)
        let sentences = SentenceSplitter.sentences(raw)
        try check(sentences.allSatisfy { !$0.isEmpty && $0.first?.isWhitespace == false && $0.last?.isWhitespace == false },
                  "an empty or untrimmed sentence")
        try check(sentences.joined().filter { !$0.isWhitespace } == raw.filter { !$0.isWhitespace },
                  "the sentences do not hold the text's characters")
        let title = String(raw.prefix { $0 != "\n" })
        let candidates = KeyphraseCandidates.extract(title: title, abstract: raw)
        try check(candidates == KeyphraseCandidates.extract(title: title, abstract: raw), "candidates differ between two runs")
        try check(candidates.allSatisfy { !$0.text.isEmpty && !$0.key.isEmpty && (1...3).contains($0.wordCount) && $0.count >= 1 },
                  "a candidate without words")
    }

    /// Titles and abstracts from anywhere are split into words (the keyword
    /// index) and marked for the query (the highlighter): whatever the text,
    /// nothing traps, the words come out the same twice, and the marked spans
    /// put the text back together exactly.
    static func keywordTokenizer(_ bytes: [UInt8]) throws {
        let raw = text(bytes)
        let tokens = KeywordTokenizer.tokens(raw)
        try check(tokens == KeywordTokenizer.tokens(raw), "tokens differ between two runs")
        let terms = Array(raw.split(separator: " ").prefix(3).map(String.init))
        let spans = Highlighter.spans(raw, terms: terms)
        try check(spans.map(\.text).joined() == raw, "highlight spans do not rebuild the text")
    }

    static func searchQuery(_ bytes: [UInt8]) throws {
        let raw = text(bytes)
        do {
            let query = try SearchQuery.parse(raw)
            // What a parsed query says it searches for parses again.
            _ = try? SearchQuery.parse(query.text)
        } catch let error as SearchQueryError {
            try check(!error.message.isEmpty, "a query rejected without a reason")
        }
    }

    /// Whatever parses as a day, week or month must be walkable: its first
    /// and end days, the periods before and after it, and its name read back.
    static func dayPeriod(_ bytes: [UInt8]) throws {
        let raw = text(bytes)
        var periods: [Period] = []
        if let day = Day(raw) {
            try check(Day(day.description) == day, "\(raw) reads back as \(day.description)")
            periods.append(.day(day))
            _ = day.isoWeekday
            periods.append(.containing(day, kind: .week))
            periods.append(.containing(day, kind: .month))
        }
        if let week = Period.parseWeek(raw) {
            try check(Period.parseWeek(week.description) == week, "\(raw) reads back as \(week)")
            periods.append(week)
        }
        if let month = Period.parseMonth(raw) {
            try check(Period.parseMonth(month.description) == month, "\(raw) reads back as \(month)")
            periods.append(month)
        }
        for period in periods {
            // The calendar's last period ends on its own last day (Period.endDay).
            try check(period.firstDay <= period.endDay, "\(period) ends before it starts")
            _ = period.previous
            _ = period.next
        }
    }

    /// Any title or abstract gives HTML whose tags all close, and no
    /// character of the input escapes unescaped (`<` only as markup we wrote).
    /// Read as bytes, as a browser does: a combining mark after `>` would
    /// otherwise fuse with it into one Character.
    static func texMath(_ bytes: [UInt8]) throws {
        let html = Array(MathMarkup.html(text(bytes)).utf8)
        var open: [String] = []
        var index = 0
        while let start = html[index...].firstIndex(of: UInt8(ascii: "<")) {
            guard let end = html[start...].firstIndex(of: UInt8(ascii: ">")) else { throw InvariantViolation("a tag that never ends") }
            let inside = html[(start + 1)..<end]
            let tag = String(decoding: inside.prefix { $0 != UInt8(ascii: " ") }, as: UTF8.self)
            if tag.hasPrefix("/") {
                try check(open.popLast() == String(tag.dropFirst()), "</\(tag.dropFirst())> closes <\(open.last ?? "")>")
            } else {
                try check(["math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "mtext", "mspace", "msub",
                           "msup", "msubsup", "mfrac", "msqrt", "mroot", "mover", "munder"].contains(tag),
                          "a tag Quire never writes: <\(tag)>")
                open.append(tag)
            }
            index = end + 1
        }
        try check(open.isEmpty, "unclosed: \(open)")
    }

    /// Extra header names come from Quire's code, never from outside; their values may.
    static let extraHeaders = ["List-Unsubscribe", "List-Id", "X-Quire-Digest"]

    /// A message whose every field comes from the input (split at NUL bytes)
    /// must render as 7-bit lines with CRLF endings, none over RFC 5322's 998
    /// (fields: 0 an address to parse, 1 sender name, 2 recipient, 3 subject,
    /// 4 text, 5 HTML, 6 picks an extra header, 7 its value).
    static func mime(_ bytes: [UInt8]) throws {
        let fields = bytes.split(separator: 0, omittingEmptySubsequences: false).map { text(Array($0)) }
        func field(_ i: Int) -> String { i < fields.count ? fields[i] : "" }
        _ = MailAddress.parse(field(0))
        let from = MailAddress("quire@example.org", name: field(1))
        let to = MailAddress.parse(field(2)) ?? MailAddress("reader@example.org", name: field(2))
        let message = MailMessage(
            from: from, to: [to], subject: field(3), text: field(4),
            html: fields.count > 5 ? field(5) : nil,
            headers: [(name: extraHeaders[field(6).utf8.count % extraHeaders.count], value: field(7))],
            messageID: "<fuzz@example.org>",
            date: Date(timeIntervalSince1970: 0))
        let rendered = MIMEBuilder.render(message, boundary: "fuzz-boundary")
        let lines = rendered.utf8.split(separator: 0x0A, omittingEmptySubsequences: false)
        try check(lines.last?.isEmpty == true, "the message does not end with a line break")
        for line in lines.dropLast() {
            try check(line.last == 0x0D, "a line ends with a bare LF")
            try check(line.dropLast().allSatisfy { $0 < 0x80 && $0 != 0x0D && $0 != 0 }, "a line that is not 7-bit text: \(String(decoding: line, as: UTF8.self).prefix(80))")
            try check(line.count <= 1000, "a line of \(line.count) bytes")
        }
    }
}
