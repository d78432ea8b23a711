import Foundation
import QuireCore
import Storage

/// One search result: the paper and how well it matched (higher is better).
public struct SearchHit: Sendable {
    public var paper: Paper
    public var score: Double
}

/// Answers search queries. An arXiv id or arXiv / Hugging Face URL finds that
/// paper first; everything else is ranked by the keyword index.
public final class SearchService: Sendable {
    let store: any PaperStore

    public init(store: any PaperStore) { self.store = store }

    public static let maxQueryLength = 250

    public func search(_ query: String, limit: Int) async throws -> [SearchHit] {
        var hits: [SearchHit] = []
        if let arxiv = ArxivID.parse(query), let paper = try await store.paper(id: arxiv.base) {
            hits.append(SearchHit(paper: paper, score: .infinity))
        }
        let keywordHits = try await store.keywordSearch(query, limit: limit)
        let papers = try await store.papers(ids: keywordHits.map(\.id))
        let byID = Dictionary(papers.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for hit in keywordHits where !hits.contains(where: { $0.paper.id == hit.id }) {
            if let paper = byID[hit.id] { hits.append(SearchHit(paper: paper, score: hit.score)) }
        }
        return Array(hits.prefix(limit))
    }
}
