import Foundation

/// The text feed over `paper_text_changes` (migration 5): triggers log each
/// insert, title or abstract edit and delete; the number is the table's
/// AUTOINCREMENT key. SQLite has one writer at a time, so a change is
/// committed before any later-numbered one: a reader never skips one.
extension SQLiteStore: PaperTextFeed {
    public func latestTextChange() async throws -> Int {
        try await read { db in try db.queryOne("SELECT coalesce(max(change), 0) FROM paper_text_changes") { $0.int(0) } ?? 0 }
    }

    public func paperTexts(afterSeq: Int, limit: Int) async throws -> [PaperText] {
        try await read { db in
            try db.query("SELECT seq, id, title, abstract FROM papers WHERE seq > ? ORDER BY seq LIMIT ?", [afterSeq, limit]) {
                PaperText(seq: $0.int(0), id: $0.string(1), title: $0.string(2), abstract: $0.string(3))
            }
        }
    }

    public func paperTexts(seqs: [Int]) async throws -> [PaperText] {
        guard !seqs.isEmpty else { return [] }
        return try await read { db in
            try db.query("SELECT seq, id, title, abstract FROM papers WHERE seq IN (SELECT value FROM json_each(?))",
                         ["[" + seqs.map(String.init).joined(separator: ",") + "]"]) {
                PaperText(seq: $0.int(0), id: $0.string(1), title: $0.string(2), abstract: $0.string(3))
            }
        }
    }

    public func paperTextChanges(after change: Int, limit: Int) async throws -> PaperTextChanges {
        try await read { db in
            var latest = change
            var changed: [Int: PaperText] = [:], removed: [Int] = []
            try db.forEach("""
                SELECT c.change, c.paper_seq, p.id, p.title, p.abstract FROM paper_text_changes c
                LEFT JOIN papers p ON p.seq = c.paper_seq WHERE c.change > ? ORDER BY c.change LIMIT ?
                """, [change, limit]) { row in
                latest = row.int(0)
                let seq = row.int(1)
                if row.isNull(2) {
                    changed[seq] = nil
                    removed.append(seq)
                } else {
                    changed[seq] = PaperText(seq: seq, id: row.string(2), title: row.string(3), abstract: row.string(4))
                }
            }
            return PaperTextChanges(through: latest, changed: changed.values.sorted { $0.seq < $1.seq }, removed: removed)
        }
    }
}
