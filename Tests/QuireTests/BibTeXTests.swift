import Foundation
import QuireCore
import Testing

/// BibTeX export: whole entries against expected text, citation keys, and escaping.
@Suite struct BibTeXTests {
    static func date(_ iso: String) -> Date { Timestamp.parse(iso)! }

    static let attention = Paper(
        id: "1706.03762", version: 7, submittedAt: date("2017-06-12T17:57:34Z"),
        title: "Attention Is All\n  You Need", abstract: "The dominant sequence transduction models…",
        authors: ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"], categories: ["cs.CL", "cs.LG"])

    @Test func arxivPaperIsMisc() {
        #expect(BibTeX.entry(for: Self.attention) == """
            @misc{vaswani2017attention,
              title = {{Attention Is All You Need}},
              author = {Ashish Vaswani and Noam Shazeer and Niki Parmar},
              year = {2017},
              eprint = {1706.03762},
              archivePrefix = {arXiv},
              primaryClass = {cs.CL},
              url = {https://arxiv.org/abs/1706.03762}
            }

            """)
    }

    @Test func journalPaperIsArticle() {
        let paper = Paper(
            id: "hep-th/9901001", submittedAt: Self.date("1999-01-04T12:00:00Z"),
            title: "On the $\\mathcal{N}=4$ Theory: 100% of {Cases} & More_Stuff #1 ~ ^",
            abstract: "", authors: ["Jürgen Müller", "Zoë O'Brien"], categories: ["hep-th"],
            journalRef: "Phys. Rev. D 60 (1999) 065001 & more", doi: "10.1103/PhysRevD.60.065_001")
        #expect(BibTeX.entry(for: paper) == ##"""
            @article{muller1999theory,
              title = {{On the \$\textbackslash{}mathcal\{N\}=4\$ Theory: 100\% of \{Cases\} \& More\_Stuff \#1 \textasciitilde{} \textasciicircum{}}},
              author = {Jürgen Müller and Zoë O'Brien},
              year = {1999},
              journal = {Phys. Rev. D 60 (1999) 065001 \& more},
              doi = {10.1103/PhysRevD.60.065_001},
              eprint = {hep-th/9901001},
              archivePrefix = {arXiv},
              primaryClass = {hep-th},
              url = {https://arxiv.org/abs/hep-th/9901001}
            }

            """##)
    }

    @Test func importedPaperHasNoEprint() {
        let paper = Paper(
            id: "a-survey-of-things", title: "A Survey of Things", abstract: "",
            authors: ["Ada Lovelace", "OpenAI and Friends"], projectPage: "https://example.com/survey {x}",
            dailyDate: Day("2023-05-01"))
        #expect(BibTeX.entry(for: paper) == """
            @misc{lovelace2023survey,
              title = {{A Survey of Things}},
              author = {Ada Lovelace and {OpenAI and Friends}},
              year = {2023},
              url = {https://example.com/surveyx}
            }

            """)
    }

    @Test func citationKeys() {
        func key(_ authors: [String], _ title: String, year: String? = "2020-01-01T00:00:00Z") -> String {
            let paper = Paper(id: "x", submittedAt: year.map(Self.date), title: title, abstract: "", authors: authors)
            return String(BibTeX.entry(for: paper).dropFirst("@misc{".count).prefix(while: { $0 != "," }))
        }
        #expect(key(["Vaswani, Ashish"], "The Annotated Transformer") == "vaswani2020annotated")
        #expect(key(["Martin Luther King Jr."], "Towards a GPT-4 Model") == "king2020gpt")
        #expect(key(["Łukasz Kaiser"], "Ünïcode Wörds") == "kaiser2020unicode")
        #expect(key([], "On the") == "anon2020")
        #expect(key(["张伟"], "深度学习", year: nil) == "anon")
    }

    @Test func fileDeduplicatesKeys() {
        var second = Self.attention
        second.id = "1706.99999"
        let other = Paper(id: "2410.17243", submittedAt: Self.date("2024-10-22T00:00:00Z"),
                          title: "Breaking the Memory Barrier", abstract: "", authors: ["Zesen Cheng"])
        let file = BibTeX.file([Self.attention, other, second])
        let keys = file.split(separator: "\n").filter { $0.hasPrefix("@") }
        #expect(keys == ["@misc{vaswani2017attentiona,", "@misc{cheng2024breaking,", "@misc{vaswani2017attentionb,"])
        #expect(file.contains("}\n\n@misc{cheng2024breaking,\n"))
        #expect(file.hasSuffix("}\n"))
        #expect(BibTeX.file([]) == "")
    }
}
