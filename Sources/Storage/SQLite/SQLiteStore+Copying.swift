import Foundation
import QuireCore

/// The SQLite file as a source or target of `quire db copy`: instants are
/// ISO text (`Timestamp`), flags 0 and 1, vectors blobs.
extension SQLiteStore: CopyableDatabase {
    /// Not data: rebuilt from `papers` (the full-text index, the text change
    /// log its triggers fill) or the schema's own record.
    static func isBookkeeping(_ table: String) -> Bool {
        table.hasPrefix("sqlite_") || table.hasPrefix("papers_fts") || table == "schema_migrations" || table == "paper_text_changes"
    }

    public func copyTables() async throws -> [CopyTable] {
        try await read { db in
            let names = try db.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") { $0.string(0) }
            return try names.filter { !Self.isBookkeeping($0) }.map { name in
                let quoted = Self.quotedName(name)
                let columns = try db.query("PRAGMA table_info(\(quoted))") { row in
                    CopyColumn(name: row.string(1), kind: Self.kind(declared: row.string(2)))
                }
                let parents = try db.query("PRAGMA foreign_key_list(\(quoted))") { $0.string(2) }
                return CopyTable(name: name, columns: columns, parents: Set(parents))
            }
        }
    }

    public func rowCount(_ table: String) async throws -> Int {
        try await read { db in try db.queryOne("SELECT count(*) FROM \(Self.quotedName(table))") { $0.int(0) } ?? 0 }
    }

    public func forEachBatch(of table: String, columns: [CopyColumn], batchSize: Int,
                             _ body: ([[CopyValue]]) async throws -> Void) async throws {
        let list = columns.map { Self.quotedName($0.name) }.joined(separator: ", ")
        let quoted = Self.quotedName(table)
        let withoutRowid = try await read { db in
            try db.queryOne("SELECT wr FROM pragma_table_list WHERE name = ? AND schema = 'main'", [table]) { $0.int(0) != 0 } ?? false
        }
        @Sendable func values(_ row: SQLiteConnection.Row, from first: Int32) throws -> [CopyValue] {
            try columns.enumerated().map { index, column in
                try Self.copyValue(row.value(first + Int32(index)), kind: column.kind, table: table, column: column.name)
            }
        }
        if withoutRowid {
            // A table keyed by text (WITHOUT ROWID): pages in key order.
            let key = try await read { db in
                try db.query("SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", [table]) { Self.quotedName($0.string(0)) }
            }
            let order = key.isEmpty ? "" : " ORDER BY " + key.joined(separator: ", ")
            var offset = 0
            while true {
                let from = offset
                let page = try await read { db in
                    try db.query("SELECT \(list) FROM \(quoted)\(order) LIMIT ? OFFSET ?", [max(1, batchSize), from]) { try values($0, from: 0) }
                }
                if page.isEmpty { return }
                offset += page.count
                try await body(page)
            }
        }
        var after = Int64.min
        while true {
            // By rowid, a page at a time: an INTEGER PRIMARY KEY is the rowid, so parents (lower ids) come first.
            let from = after
            let page = try await read { db in
                try db.query("SELECT rowid, \(list) FROM \(quoted) WHERE rowid > ? ORDER BY rowid LIMIT ?",
                             [from, max(1, batchSize)]) { row -> (Int64, [CopyValue]) in
                    (Int64(row.int(0)), try values(row, from: 1))
                }
            }
            guard let last = page.last else { return }
            after = last.0
            try await body(page.map(\.1))
        }
    }

    public func insertRows(_ rows: [[CopyValue]], into table: String, columns: [CopyColumn]) async throws {
        let sql = "INSERT INTO \(Self.quotedName(table)) (\(columns.map { Self.quotedName($0.name) }.joined(separator: ", "))) VALUES ("
            + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        try await write { db in
            try db.transaction {
                for row in rows { try db.run(sql, row.map(Self.sqlValue)) }
            }
        }
    }

    public func emptyTables(_ tables: [String]) async throws {
        try await write { db in
            try db.transaction { for table in tables { try db.run("DELETE FROM \(Self.quotedName(table))") } }
        }
    }

    /// New papers enter the full-text index in the store's upsert, not by a
    /// trigger (SQLiteMigrations 6): the copied ones enter it here, all at once.
    public func finishCopy(_ tables: [CopyTable]) async throws {
        try await write { db in try db.execute("INSERT INTO papers_fts (papers_fts) VALUES ('rebuild')") }
    }

    static func quotedName(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// SQLite's declared types say little: instants are TEXT and flags
    /// INTEGER (the other engine's view says more, `ColumnKind.merged`).
    static func kind(declared: String) -> ColumnKind {
        let type = declared.uppercased()
        if type.contains("INT") { return .integer }
        if type.contains("BLOB") { return .bytes }
        if type.contains("REAL") || type.contains("FLOA") || type.contains("DOUB") { return .real }
        return .text
    }

    static func copyValue(_ value: SQLValue, kind: ColumnKind, table: String, column: String) throws -> CopyValue {
        func wrong(_ what: String) -> CopyValueError { CopyValueError(table: table, column: column, problem: what) }
        switch (value, kind) {
        case (.null, _): return .null
        case (.text(let text), .instant):
            guard let date = Timestamp.parse(text) else { throw wrong("'\(text.prefix(40))' is not a time") }
            return .instant(date)
        case (.integer(let number), .boolean): return .boolean(number != 0)
        case (.integer(let number), .real): return .real(Double(number))
        case (.integer(let number), _): return .integer(number)
        case (.real(let number), _): return .real(number)
        case (.text(let text), _): return .text(text)
        case (.blob(let bytes), _): return .bytes(bytes)
        }
    }

    static func sqlValue(_ value: CopyValue) -> SQLValue {
        switch value {
        case .null: .null
        case .integer(let number): .integer(number)
        case .real(let number): .real(number)
        case .text(let text): .text(text)
        case .instant(let date): .text(Timestamp.format(date))
        case .boolean(let flag): .integer(flag ? 1 : 0)
        case .bytes(let bytes): .blob(bytes)
        }
    }
}
