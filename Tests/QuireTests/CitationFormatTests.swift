import Foundation
import QuireCore
import Testing

/// RIS and CSL-JSON, the two formats besides BibTeX that Zotero, EndNote,
/// Mendeley and pandoc import: whole records, names and one-line values.
@Suite struct CitationFormatTests {
    static let attention = BibTeXTests.attention

    @Test func risRecordOfAPreprint() {
        var paper = Self.attention
        paper.abstract = "The dominant sequence\ntransduction models…"
        paper.authors.append("Martin Luther King Jr.")
        #expect(RIS.record(for: paper) == [
            "TY  - UNPB", "TI  - Attention Is All You Need", "AU  - Vaswani, Ashish", "AU  - Shazeer, Noam",
            "AU  - Parmar, Niki", "AU  - King, Martin Luther, Jr.", "PY  - 2017", "DA  - 2017/06/12/",
            "AB  - The dominant sequence transduction models…", "PB  - arXiv", "AN  - arXiv:1706.03762",
            "UR  - https://arxiv.org/abs/1706.03762", "KW  - cs.CL", "KW  - cs.LG", "ER  - ",
        ].map { $0 + "\r\n" }.joined())
    }

    @Test func risRecordOfAJournalArticle() {
        var paper = Self.attention
        paper.journalRef = "NeurIPS 30\r\n(2017)"
        paper.doi = "10.5555/3295222"
        let record = RIS.record(for: paper)
        #expect(record.hasPrefix("TY  - JOUR\r\n"))
        #expect(record.contains("JO  - NeurIPS 30 (2017)\r\n"), "a line break in a value would start a bogus field")
        #expect(record.contains("DO  - 10.5555/3295222\r\n"))
        #expect(!record.contains("PB  - arXiv"))
    }

    @Test func cslJSONItems() throws {
        var organization = Self.attention
        organization.id = "1706.03763"
        organization.authors = ["DeepMind", "Vaswani, Ashish"]
        let json = CSLJSON.file([Self.attention, organization])
        let items = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(items.count == 2)
        let first = items[0]
        #expect(first["id"] as? String == "vaswani2017attention")
        #expect(first["type"] as? String == "article")
        #expect(first["title"] as? String == "Attention Is All You Need")
        #expect(first["publisher"] as? String == "arXiv")
        #expect(first["number"] as? String == "arXiv:1706.03762")
        #expect(first["URL"] as? String == "https://arxiv.org/abs/1706.03762")
        #expect((first["issued"] as? [String: Any])?["date-parts"] as? [[Int]] == [[2017, 6, 12]])
        let authors = try #require(first["author"] as? [[String: String]])
        #expect(authors.first == ["family": "Vaswani", "given": "Ashish"])
        // Ids stay unique (the BibTeX keys); a one-word author is a literal name.
        #expect(items[1]["id"] as? String == "deepmind2017attention")
        #expect((items[1]["author"] as? [[String: String]])?.first == ["literal": "DeepMind"])
        #expect((items[1]["author"] as? [[String: String]])?.last == ["family": "Vaswani", "given": "Ashish"])
        #expect(CSLJSON.file([Self.attention, Self.attention]).contains("\"vaswani2017attentionb\""))
    }

    @Test func namesSplitAsReferenceManagersStoreThem() {
        #expect(PersonName("Ashish Vaswani") == PersonName(family: "Vaswani", given: "Ashish", suffix: ""))
        #expect(PersonName("Vaswani,  Ashish ") == PersonName(family: "Vaswani", given: "Ashish", suffix: ""))
        #expect(PersonName("Jean-Paul de la Fontaine") == PersonName(family: "de la Fontaine", given: "Jean-Paul", suffix: ""))
        #expect(PersonName("de Gennes") == PersonName(family: "Gennes", given: "de", suffix: ""), "a first word is never all family")
        #expect(PersonName("OpenAI").isSingleWord)
        #expect(PersonName("").family == "")
    }
}

extension PersonName {
    init(family: String, given: String, suffix: String) {
        self.init("")
        self.family = family; self.given = given; self.suffix = suffix
    }
}
