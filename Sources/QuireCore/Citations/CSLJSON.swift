import Foundation

/// CSL-JSON, the citation data of Zotero, pandoc and every Citation Style
/// Language processor: a JSON array of items.
///
/// A paper without a journal reference is CSL's `article` (a preprint, with
/// arXiv as publisher and the arXiv id as number, as Zotero writes it); one
/// with a journal reference is `article-journal`. Ids are the BibTeX keys, so
/// `[@vaswani2017attention]` cites the same paper in either file.
public enum CSLJSON {
    public static func file(_ papers: [Paper]) -> String {
        let keys = BibTeX.uniqueKeys(papers)
        let items = zip(papers, keys).map { item(for: $0.0, id: $0.1) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(items) else { return "[]" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    struct Item: Encodable {
        struct Name: Encodable {
            var family: String?
            var given: String?
            var suffix: String?
            /// A name that is not split (a collaboration, an organization).
            var literal: String?
        }
        struct DateParts: Encodable {
            var dateParts: [[Int]]
            enum CodingKeys: String, CodingKey { case dateParts = "date-parts" }
        }
        var id: String
        var type: String
        var title: String
        var author: [Name]?
        var issued: DateParts?
        var abstract: String?
        var containerTitle: String?
        var publisher: String?
        var number: String?
        var DOI: String?
        var URL: String?
        var keyword: String?

        enum CodingKeys: String, CodingKey {
            case id, type, title, author, issued, abstract, publisher, number, DOI, URL, keyword
            case containerTitle = "container-title"
        }
    }

    static func item(for paper: Paper, id: String) -> Item {
        let published = paper.journalRef?.isEmpty == false
        let arxiv = ArxivID.parse(paper.id)
        let names = paper.authors.map { raw -> Item.Name in
            let name = PersonName(raw)
            if name.isSingleWord { return Item.Name(literal: raw) }
            return Item.Name(family: name.family, given: name.given, suffix: name.suffix.isEmpty ? nil : name.suffix)
        }
        var issued: Item.DateParts?
        if let submitted = paper.submittedAt {
            let day = Day(date: submitted)
            issued = Item.DateParts(dateParts: [[day.year, day.month, day.day]])
        } else if let year = BibTeX.year(paper) {
            issued = Item.DateParts(dateParts: [[year]])
        }
        return Item(
            id: id, type: published ? "article-journal" : "article",
            title: RIS.singleLine(paper.title),
            author: names.isEmpty ? nil : names,
            issued: issued,
            abstract: paper.abstract.isEmpty ? nil : paper.abstract,
            containerTitle: published ? paper.journalRef : nil,
            publisher: arxiv != nil && !published ? "arXiv" : nil,
            number: arxiv.map { "arXiv:" + $0.base },
            DOI: paper.doi.flatMap { $0.isEmpty ? nil : $0 },
            URL: arxiv.map { "https://arxiv.org/abs/" + $0.base } ?? paper.projectPage,
            keyword: paper.categories.isEmpty ? nil : paper.categories.joined(separator: ", "))
    }
}
