import Foundation
import Ingest
import QuireCore

/// The harvesters' page parsers, fed response bodies (XML from the arXiv
/// API, the announcement feed, OAI-PMH; JSON from Hugging Face). A `HarvestError` is the expected
/// answer to a bad page; every paper read must still be a whole paper.
enum HarvestTargets {
    static let all = [
        FuzzTarget("harvest-arxiv-atom") { try page($0, HarvestPage.arxivAPI) },
        FuzzTarget("harvest-arxiv-rss") { try page($0, HarvestPage.arxivFeed) },
        FuzzTarget("harvest-oai-pmh") { try page($0, HarvestPage.oai) },
        FuzzTarget("harvest-hf-daily") { try page($0) { try HarvestPage.hfDaily($0, day: day) } },
    ]

    static let day = Day(year: 2024, month: 10, day: 25)!

    static func page(_ bytes: [UInt8], _ parse: (Data) throws -> HarvestPage.Entries) throws {
        let entries: HarvestPage.Entries
        do { entries = try parse(Data(bytes)) } catch let error as HarvestError {
            try check(!error.description.isEmpty, "a page rejected without a reason")
            return
        }
        for paper in entries.papers {
            try check(!paper.id.isEmpty && !paper.title.isEmpty, "a paper without id or title: \(paper.id)")
            try check(paper.upvotes >= 0 && (paper.githubStars ?? 0) >= 0, "paper \(paper.id): a negative count")
        }
    }
}
