import Foundation
import PostgresNIO
import Storage

/// The text feed over `paper_text_changes` (migration 12), which statement
/// triggers on `papers` fill for every insert, title or abstract edit and
/// delete, whoever writes (this store, another server, an operator's psql).
///
/// Why the numbers follow commit order: PostgreSQL numbers a row when it is
/// inserted, not when it commits, so with several writers a change numbered
/// 7 may commit after 8, and a reader that saw 8 would never read 7. The
/// triggers take one transaction-scoped advisory lock just before numbering
/// their rows and hold it to the commit: a second writer numbers its changes
/// only once the first has committed (or rolled back, leaving a gap, which
/// is harmless). PostgreSQL makes a commit visible before it releases the
/// transaction's locks, so every change below a number a reader sees is
/// already visible to it.
///
/// Chosen over reading only below the oldest in-flight transaction
/// (`pg_snapshot_xmin`): that needs each change's transaction id kept and
/// compared, and one long transaction anywhere in the database (a backup,
/// a slow report) would hold every server's index back for its whole length.
/// The lock's cost is that writers of paper text commit one at a time from
/// their first paper statement on; an upsert takes its own lock (one a
/// batch, `PostgresStore+Upsert`) before it, always in that order, so
/// writers never wait on each other in a circle.
extension PostgresStore: PaperTextFeed {
    public func latestTextChange() async throws -> Int {
        try await execute("SELECT coalesce(max(change), 0) FROM paper_text_changes").value(Int.self) ?? 0
    }

    public func paperTexts(afterSeq: Int, limit: Int) async throws -> [PaperText] {
        try await execute("SELECT seq, id, title, abstract FROM papers WHERE seq > \(afterSeq) ORDER BY seq LIMIT \(max(0, limit))")
            .all((Int, String, String, String).self).map { PaperText(seq: $0.0, id: $0.1, title: $0.2, abstract: $0.3) }
    }

    public func paperTexts(seqs: [Int]) async throws -> [PaperText] {
        guard !seqs.isEmpty else { return [] }
        return try await execute("SELECT seq, id, title, abstract FROM papers WHERE seq = ANY(\(seqs)::bigint[])")
            .all((Int, String, String, String).self).map { PaperText(seq: $0.0, id: $0.1, title: $0.2, abstract: $0.3) }
    }

    public func paperTextChanges(after change: Int, limit: Int) async throws -> PaperTextChanges {
        var latest = change
        var changed: [Int: PaperText] = [:], removed: [Int] = []
        for try await (number, seq, id, title, abstract) in try await execute("""
            SELECT c.change, c.paper_seq, p.id, p.title, p.abstract FROM paper_text_changes c
            LEFT JOIN papers p ON p.seq = c.paper_seq WHERE c.change > \(change) ORDER BY c.change LIMIT \(max(0, limit))
            """).decode((Int, Int, String?, String?, String?).self) {
            latest = number
            if let id, let title, let abstract {
                changed[seq] = PaperText(seq: seq, id: id, title: title, abstract: abstract)
            } else {
                changed[seq] = nil
                removed.append(seq)
            }
        }
        return PaperTextChanges(through: latest, changed: changed.values.sorted { $0.seq < $1.seq }, removed: removed)
    }
}
