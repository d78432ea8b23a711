import Foundation
import QuireCore

/// One line of the arXiv metadata snapshot (Kaggle "arxiv-metadata-oai-snapshot.json").
struct ArxivSnapshotParser: RecordParser {
    private let decoder = RecordDecoder()

    struct Record: Decodable, Equatable {
        let id: String
        let title: String
        let abstract: String
        let authors: String?
        let authorsParsed: [[String]]?
        let versions: [Version]
        let categories: String?
        let comments: String?
        let journalRef: String?
        let doi: String?
        let license: String?

        struct Version: Decodable, Equatable {
            let version: String
            let created: String
        }

        enum CodingKeys: String, CodingKey {
            case id, title, abstract, authors, versions, categories, comments, doi, license
            case authorsParsed = "authors_parsed"
            case journalRef = "journal-ref"
        }
    }

    func paper(from json: Data) throws -> Paper {
        let r = try ArxivSnapshotRecordReader.read(json) ?? decoder.decode(Record.self, from: json)

        let rawID = ArxivSnapshotParser.trimmed(r.id)
        guard let arxivID = ArxivID.parse(rawID) else {
            throw RecordError("field `id`: \"\(r.id)\" is not an arXiv id")
        }

        guard !r.versions.isEmpty else { throw RecordError("field `versions` is empty") }
        var version = 0
        var dates: [Date] = []
        for (k, v) in r.versions.enumerated() {
            let label = ArxivSnapshotParser.trimmed(v.version)
            guard label.first == "v" || label.first == "V", let n = Int(label.dropFirst()), n > 0 else {
                throw RecordError("field `versions[\(k)].version`: \"\(v.version)\" is not a version like \"v2\"")
            }
            guard let date = Timestamp.parseRFC2822(v.created) else {
                throw RecordError("field `versions[\(k)].created`: \"\(v.created)\" is not a date like \"Mon, 2 Apr 2007 19:18:42 GMT\"")
            }
            version = n
            dates.append(date)
        }

        let title = TeXAccents.clean(try FieldChecks.requiredText(r.title, field: "title"))
        guard !title.isEmpty else { throw RecordError("field `title` is empty") }
        let abstract = TeXAccents.decodeAccents(try FieldChecks.requiredText(r.abstract, field: "abstract"))

        let authors: [String]
        if let parsed = r.authorsParsed {
            authors = parsed.compactMap(ArxivSnapshotParser.name(parsed:))
        } else {
            authors = ArxivSnapshotParser.names(authorsLine: r.authors ?? "")
        }

        let comments = FieldChecks.optionalText(r.comments)
        return Paper(
            id: arxivID.base,
            version: version,
            submittedAt: dates.first,
            updatedAt: dates.last,
            title: title,
            abstract: abstract,
            authors: authors,
            categories: (r.categories ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init),
            comments: comments,
            journalRef: FieldChecks.optionalText(r.journalRef),
            doi: FieldChecks.optionalText(r.doi),
            license: FieldChecks.optionalText(r.license),
            withdrawn: Withdrawal.isWithdrawn(comments: comments, abstract: abstract)
        )
    }

    /// `text` without leading and trailing spaces and tabs; Foundation's
    /// trimming only runs when there is something to trim (it costs
    /// microseconds, and runs for every id and version of a snapshot).
    static func trimmed(_ text: String) -> String {
        let ends = [text.unicodeScalars.first, text.unicodeScalars.last].compactMap { $0 }
        guard ends.contains(where: { CharacterSet.whitespaces.contains($0) }) else { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// `[last, first, suffix, affiliation...]` → "First Last Suffix".
    static func name(parsed: [String]) -> String? {
        guard !parsed.isEmpty else { return nil }
        let last = parsed[0]
        var first = parsed.count > 1 ? parsed[1] : ""
        let suffix = parsed.count > 2 ? parsed[2] : ""
        // The snapshot's parser splits hyphenated initials: "C.-P." → "C. -P.".
        if first.utf8.contains(UInt8(ascii: "-")) { // Foundation's replace costs microseconds: only when it can apply
            first = first.replacingOccurrences(of: ". -", with: ".-")
        }
        let joined = [first, last, suffix].filter { !$0.isEmpty }.joined(separator: " ")
        let name = Whitespace.fold(TeXAccents.clean(joined))
        return name.isEmpty ? nil : name
    }

    /// Fallback when `authors_parsed` is absent: the free-text `authors` line,
    /// "A. One, B. Two (Affiliation) and C. Three".
    static func names(authorsLine: String) -> [String] {
        var text = ""
        var depth = 0
        for ch in authorsLine { // drop parenthesised affiliations
            if ch == "(" { depth += 1 } else if ch == ")" { depth = max(0, depth - 1) } else if depth == 0 { text.append(ch) }
        }
        text = Whitespace.fold(TeXAccents.clean(text))
        return text
            .replacingOccurrences(of: ", and ", with: ", ")
            .replacingOccurrences(of: " and ", with: ", ")
            .split(separator: ",")
            .map { Whitespace.fold(String($0)) }
            .filter { !$0.isEmpty }
    }
}
