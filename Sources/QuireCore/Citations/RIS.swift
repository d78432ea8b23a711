import Foundation

/// RIS, the tagged format every reference manager imports (Zotero, EndNote,
/// Mendeley): one `TAG  - value` line per field, `ER  - ` ending each record.
///
/// An arXiv paper without a journal reference is an unpublished work
/// (`UNPB`, which Zotero and EndNote read as a preprint or manuscript) from
/// arXiv; one with a journal reference is a journal article (`JOUR`).
public enum RIS {
    public static func file(_ papers: [Paper]) -> String {
        papers.map(record).joined()
    }

    public static func record(for paper: Paper) -> String {
        let published = paper.journalRef?.isEmpty == false
        var lines: [(String, String)] = [("TY", published ? "JOUR" : "UNPB"), ("TI", paper.title)]
        for name in paper.authors.map(PersonName.init) {
            // RIS's own form: "Family, Given, Suffix".
            lines.append(("AU", [name.family, name.given, name.suffix].filter { !$0.isEmpty }.joined(separator: ", ")))
        }
        if let year = BibTeX.year(paper) { lines.append(("PY", String(year))) }
        if let submitted = paper.submittedAt {
            let day = Day(date: submitted)
            lines.append(("DA", String(format: "%04d/%02d/%02d/", day.year, day.month, day.day)))
        }
        if !paper.abstract.isEmpty { lines.append(("AB", paper.abstract)) }
        if let journal = paper.journalRef, published { lines.append(("JO", journal)) }
        if let doi = paper.doi, !doi.isEmpty { lines.append(("DO", doi)) }
        if let arxiv = ArxivID.parse(paper.id) {
            if !published { lines.append(("PB", "arXiv")) }
            lines.append(("AN", "arXiv:" + arxiv.base))
            lines.append(("UR", "https://arxiv.org/abs/" + arxiv.base))
        } else if let page = paper.projectPage, !page.isEmpty {
            lines.append(("UR", page))
        }
        for category in paper.categories { lines.append(("KW", category)) }
        lines.append(("ER", ""))
        // RIS readers expect CRLF line ends; a value is one line.
        return lines.map { "\($0.0)  - \(singleLine($0.1))\r\n" }.joined()
    }

    /// A value on one line: line breaks and other control characters become
    /// spaces (a line break would end the field and start a bogus one).
    static func singleLine(_ text: String) -> String {
        var out = ""
        var pendingSpace = false
        for c in text.unicodeScalars {
            if c.properties.isWhitespace || c.value < 0x20 || (0x7F...0x9F).contains(c.value) {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out += " "; pendingSpace = false }
            out.unicodeScalars.append(c)
        }
        return out
    }
}
