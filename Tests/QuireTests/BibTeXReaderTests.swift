import Foundation
import QuireCore
import Testing

/// Reading arXiv ids out of a reader's BibTeX file ("my own papers"): every
/// place an id is written in real exports, and precise errors for the rest.
@Suite struct BibTeXReaderTests {
    @Test func idsAreFoundWhereverExportsWriteThem() throws {
        let text = """
        Some text before the first entry is ignored, as BibTeX does.
        @string{ preprint = "arXiv preprint" }
        @comment{ Exported from a reference manager {with braces} }
        @article{vaswani2017attention,
          title={Attention is {All} you need},
          author={Vaswani, Ashish and Shazeer, Noam},
          journal={arXiv preprint arXiv:1706.03762},
          year={2017}
        }
        @misc{doe2024,
          title = "A {Study} of " # things,
          eprint = {2410.17243v2}, archivePrefix = {arXiv}, primaryClass = {cs.CL},
        }
        @inproceedings(old,
          doi = {10.48550/arXiv.2301.00001},
          year = 2023
        )
        @misc{olds, url = {https://arxiv.org/abs/hep-th/9901001v3}}
        @misc{noted, note = {Preprint at arXiv:math.GT/0309136.}}
        @misc{pubmed, eprint = {12345678}, archivePrefix = {PubMed}}
        @article{nodoi, title={No id here}, journal={Nature}, pages={1--10}}
        """
        let references = try BibTeXReader.references(in: text)
        #expect(references.map(\.key) == ["vaswani2017attention", "doe2024", "old", "olds", "noted", "pubmed", "nodoi"])
        #expect(references.map { $0.arxivID?.base } == ["1706.03762", "2410.17243", "2301.00001", "hep-th/9901001", "math.GT/0309136", nil, nil])
        #expect(references[0].title == "Attention is All you need")
        #expect(references[0].line == 4)
        #expect(references[6].title == "No id here")
    }

    @Test(arguments: [
        ("@article{a,\n  title = {unclosed\n", "line 2, column 11: the value of 'title' is never closed (a '{' or '\"' without its match)"),
        ("@article{a, title = {x}", "line 1, column 24: the entry “a” opened on line 1 is never closed"),
        ("@article{a, title {x}}", "line 1, column 19: expected '=' after the field name 'title'"),
        ("@article a, title={x}}", "line 1, column 10: expected '{' or '(' to open the entry"),
        ("@{a, title={x}}", "line 1, column 2: expected an entry type after '@' (such as @article)"),
        ("@article{, title={x}}", "line 1, column 10: expected the entry's citation key"),
        ("@article{a, title={x}} }", nil),
        ("@article{a, title={x}y}", "line 1, column 22: expected ',' or the end of entry “a”, found 'y'"),
        ("@article{a,\n title=}", "line 2, column 8: expected the value of 'title', found '}'"),
        ("@article{a, title={x}}}\n@misc{b, note={a}b}}", "line 2, column 18: expected ',' or the end of entry “b”, found 'b'"),
    ] as [(String, String?)])
    func faultsAreNamedByLineAndColumn(_ text: String, _ expected: String?) {
        do {
            _ = try BibTeXReader.references(in: text)
            #expect(expected == nil, "accepted: \(text)")
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test func anEmptyFileHasNoEntriesAndTheCapHolds() throws {
        #expect(try BibTeXReader.references(in: "").isEmpty)
        #expect(try BibTeXReader.references(in: "just words, no entries").isEmpty)
        let many = String(repeating: "@misc{k, eprint={2410.17243}}\n", count: BibTeXReader.maxEntries + 1)
        #expect(throws: BibTeXReadError.self) { try BibTeXReader.references(in: many) }
    }
}
