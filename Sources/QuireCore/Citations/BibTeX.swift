import Foundation

/// BibTeX for papers, as a reference manager or a .bib file expects it.
///
/// An arXiv paper is an `@misc` with biblatex's eprint fields (which BibTeX
/// styles ignore harmlessly); a paper with a journal reference is an
/// `@article`. Text fields keep non-ASCII letters as UTF-8, which biblatex and
/// modern BibTeX read, and escape only the characters TeX treats specially.
public enum BibTeX {
    /// One entry; its key is the paper's own, without de-duplication.
    public static func entry(for paper: Paper) -> String {
        entry(for: paper, key: citationKey(paper))
    }

    /// A .bib file: one entry per paper, in order. Papers whose keys collide get
    /// "a", "b", … appended in that order, as author–year styles do.
    public static func file(_ papers: [Paper]) -> String {
        zip(papers, uniqueKeys(papers)).map { entry(for: $0.0, key: $0.1) }.joined(separator: "\n")
    }

    /// Each paper's key, made unique within the list: papers whose keys
    /// collide get "a", "b", … appended in order, as author–year styles do.
    /// (CSL-JSON uses the same keys as its item ids.)
    static func uniqueKeys(_ papers: [Paper]) -> [String] {
        let keys = papers.map(citationKey)
        var occurrences: [String: Int] = [:]
        for key in keys { occurrences[key, default: 0] += 1 }
        var used = Set(keys.filter { occurrences[$0] == 1 })
        var nextSuffix: [String: Int] = [:]
        return keys.map { key in
            guard occurrences[key, default: 0] > 1 else { return key }
            // Skip a suffixed key that happens to be another paper's key.
            var unique = key
            repeat {
                let n = nextSuffix[key, default: 0]
                nextSuffix[key] = n + 1
                unique = key + suffix(n)
            } while used.contains(unique)
            used.insert(unique)
            return unique
        }
    }

    // MARK: - Entry

    private static func entry(for paper: Paper, key: String) -> String {
        var fields: [(String, String)] = []
        // Double braces keep the title's capitalisation as written ("BERT",
        // "GPT-4", "Transformers") whatever the style does to titles.
        fields.append(("title", "{" + escape(paper.title) + "}"))
        if !paper.authors.isEmpty {
            fields.append(("author", paper.authors.map(author).joined(separator: " and ")))
        }
        if let year = year(paper) { fields.append(("year", String(year))) }
        if let journal = paper.journalRef.map(escape), !journal.isEmpty { fields.append(("journal", journal)) }
        if let doi = paper.doi.map(verbatim), !doi.isEmpty { fields.append(("doi", doi)) }
        if let arxiv = ArxivID.parse(paper.id) {
            fields.append(("eprint", arxiv.base))
            fields.append(("archivePrefix", "arXiv"))
            if let primary = paper.categories.first.map(verbatim), !primary.isEmpty {
                fields.append(("primaryClass", primary))
            }
            fields.append(("url", "https://arxiv.org/abs/" + arxiv.base))
        } else if let page = paper.projectPage.map(verbatim), !page.isEmpty {
            fields.append(("url", page))
        }
        let type = paper.journalRef?.isEmpty == false ? "article" : "misc"
        let body = fields.map { "  \($0.0) = {\($0.1)}" }.joined(separator: ",\n")
        return "@\(type){\(key),\n\(body)\n}\n"
    }

    static func year(_ paper: Paper) -> Int? {
        paper.submittedAt.map { Day(date: $0).year } ?? paper.listDay?.year
    }

    /// A name as BibTeX reads it. A name with a stand-alone "and" in it (an
    /// organization, say) is braced, or BibTeX would split it into two people.
    private static func author(_ name: String) -> String {
        let escaped = escape(name)
        let words = escaped.split(separator: " ").map { $0.lowercased() }
        return words.contains("and") ? "{" + escaped + "}" : escaped
    }

    // MARK: - Citation key

    /// "vaswani2017attention": the first author's family name folded to ASCII,
    /// the year, and the first title word that is not a stop word. Parts that
    /// are unknown are left out; with no usable author name it starts "anon".
    static func citationKey(_ paper: Paper) -> String {
        let family = paper.authors.first.map { asciiWord(PersonName($0).family) } ?? ""
        let year = year(paper).map(String.init) ?? ""
        let word = words(paper.title).first { !stopWords.contains($0) } ?? ""
        return (family.isEmpty ? "anon" : family) + year + word
    }

    /// Lower-case ASCII letters and digits of a word, accents folded away.
    private static func asciiWord<S: StringProtocol>(_ text: S) -> String {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
        return String(String.UnicodeScalarView(folded.lowercased().unicodeScalars.filter {
            ("a"..."z").contains($0) || ("0"..."9").contains($0)
        }))
    }

    /// The title's words as key material: TeX math (`$…$`) and command names
    /// (`\mathcal`) left out, split at anything but letters and digits, folded
    /// to ASCII, and only those that contain a letter.
    private static func words(_ title: String) -> [String] {
        var prose = ""
        var inMath = false, inCommand = false
        // An odd number of `$` is prose ("Under $100"), not math.
        let hasMath = title.filter { $0 == "$" }.count.isMultiple(of: 2)
        for c in title {
            if c == "$", hasMath { inMath.toggle(); continue }
            if inCommand, c.isLetter { continue }
            inCommand = c == "\\"
            if !inMath && !inCommand { prose.append(c) }
        }
        return prose.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            .map(asciiWord)
            .filter { $0.contains(where: \.isLetter) }
    }

    private static let stopWords: Set<String> = [
        "a", "an", "the", "on", "of", "in", "for", "to", "and", "or", "with", "without", "via", "by",
        "from", "at", "as", "is", "are", "be", "do", "does", "can", "how", "what", "when", "why",
        "towards", "toward", "into", "its", "it", "we", "our", "your", "not", "no", "all",
    ]

    /// "a", "b", …, "z", "aa", "ab", …
    private static func suffix(_ index: Int) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        var n = index, out = ""
        repeat {
            out = String(letters[n % 26]) + out
            n = n / 26 - 1
        } while n >= 0
        return out
    }

    // MARK: - Escaping

    /// Text for a braced field: whitespace runs (titles from arXiv carry line
    /// breaks) become one space, control characters go, and TeX's special
    /// characters are escaped so they print as themselves.
    static func escape(_ text: String) -> String {
        var out = ""
        var pendingSpace = false
        for c in text.unicodeScalars {
            if c.properties.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            if c.value < 0x20 || (0x7F...0x9F).contains(c.value) { continue }
            if pendingSpace { out += " "; pendingSpace = false }
            switch c {
            case "&", "%", "$", "#", "_", "{", "}": out += "\\" + String(c)
            case "~": out += "\\textasciitilde{}"
            case "^": out += "\\textasciicircum{}"
            case "\\": out += "\\textbackslash{}"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A DOI, URL or category: biblatex reads these verbatim, so nothing is
    /// escaped, but braces, backslashes and whitespace, which could end the
    /// field early or break it, are dropped.
    private static func verbatim(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter {
            !$0.properties.isWhitespace && $0 != "{" && $0 != "}" && $0 != "\\" && $0.value >= 0x20
                && !(0x7F...0x9F).contains($0.value)
        }))
    }
}
