import Foundation
import PostgresNIO
import QuireCore
import Storage

/// Papers' summaries in PostgreSQL: the sentence(s) as text, the keyphrases
/// as a JSON array of strings (the same text as SQLite's column).
extension PostgresStore: SummaryStore {
    public func saveSummaries(_ summaries: [(id: String, summary: PaperSummary)], model: String) async throws {
        // One row per paper (the last summary given wins): one INSERT may not change a row twice.
        var latest: [String: PaperSummary] = [:]
        for (id, summary) in summaries { latest[id] = summary }
        guard !latest.isEmpty else { return }
        let ids = Array(latest.keys)
        let texts = ids.map { latest[$0]?.text ?? "" }
        let keyphrases = try ids.map { String(decoding: try JSONEncoder().encode(latest[$0]?.keyphrases ?? []), as: UTF8.self) }
        try await write("""
            INSERT INTO paper_summaries (paper_seq, model, summary, keyphrases)
            SELECT p.seq, \(model), v.summary, v.keyphrases
            FROM unnest(\(ids)::text[], \(texts)::text[], \(keyphrases)::text[]) AS v(id, summary, keyphrases) JOIN papers p ON p.id = v.id
            ON CONFLICT (paper_seq) DO UPDATE SET model = excluded.model, summary = excluded.summary, keyphrases = excluded.keyphrases
            """)
    }

    public func papersWithoutSummary(model: String, limit: Int) async throws -> [Paper] {
        try await withConnection { db in
            try await Self.loadPapers(db, logger, where: "NOT EXISTS (SELECT 1 FROM paper_summaries s WHERE s.paper_seq = p.seq AND s.model = \(model))",
                                      order: "p.seq", limit: max(0, limit)).map(\.paper)
        }
    }
}
