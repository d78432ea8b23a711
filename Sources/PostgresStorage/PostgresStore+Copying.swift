import Foundation
import PostgresNIO
import Storage

/// The PostgreSQL database as a source or target of `quire db copy`. Types
/// come from the catalog, so instants and flags are known for what they are.
extension PostgresStore: CopyableDatabase {
    /// Not data: the schema's own record, what servers and workers hold for a
    /// moment, and the text-change log (the target's triggers write its own).
    static let bookkeeping: Set<String> = ["schema_migrations", "rate_windows", "embedding_claims", "paper_text_changes"]

    public func copyTables() async throws -> [CopyTable] {
        var columns: [String: [CopyColumn]] = [:]
        var order: [String] = []
        for try await (table, column, type) in try await execute("""
            SELECT c.table_name::text, c.column_name::text, c.data_type::text FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
            WHERE c.table_schema = current_schema() ORDER BY c.table_name, c.ordinal_position
            """).decode((String, String, String).self) where !Self.bookkeeping.contains(table) {
            if columns[table] == nil { order.append(table) }
            columns[table, default: []].append(CopyColumn(name: column, kind: Self.kind(dataType: type)))
        }
        var parents: [String: Set<String>] = [:]
        for try await (child, parent) in try await execute("""
            SELECT child.relname::text, parent.relname::text FROM pg_constraint k
            JOIN pg_class child ON child.oid = k.conrelid JOIN pg_class parent ON parent.oid = k.confrelid
            WHERE k.contype = 'f' AND k.connamespace = current_schema()::regnamespace
            """).decode((String, String).self) {
            parents[child, default: []].insert(parent)
        }
        return order.map { CopyTable(name: $0, columns: columns[$0] ?? [], parents: parents[$0] ?? []) }
    }

    public func rowCount(_ table: String) async throws -> Int {
        try await execute(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(Self.quoted(table))")).value(Int.self) ?? 0
    }

    /// One query, streamed (the client reads ahead only as rows are taken),
    /// in primary-key order so a reply comes after its parent comment.
    public func forEachBatch(of table: String, columns: [CopyColumn], batchSize: Int,
                             _ body: ([[CopyValue]]) async throws -> Void) async throws {
        let key = try await execute("""
            SELECT a.attname::text FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indrelid = to_regclass(quote_ident(\(table))) AND i.indisprimary ORDER BY a.attnum
            """).all(String.self).map { $0 }
        let list = columns.map { Self.quoted($0.name) }.joined(separator: ", ")
        let order = key.isEmpty ? "" : " ORDER BY " + key.map(Self.quoted).joined(separator: ", ")
        try await withConnection { db in
            var batch: [[CopyValue]] = []
            batch.reserveCapacity(batchSize)
            for try await row in try await db.run(PostgresQuery(unsafeSQL: "SELECT \(list) FROM \(Self.quoted(table))\(order)"), logger) {
                var values: [CopyValue] = []
                values.reserveCapacity(columns.count)
                for (cell, column) in zip(row, columns) { values.append(try Self.copyValue(cell, kind: column.kind)) }
                batch.append(values)
                if batch.count >= batchSize { try await body(batch); batch.removeAll(keepingCapacity: true) }
            }
            if !batch.isEmpty { try await body(batch) }
        }
    }

    /// Multi-row INSERTs, as many rows each as fit PostgreSQL's 65,535 binds, in one transaction.
    public func insertRows(_ rows: [[CopyValue]], into table: String, columns: [CopyColumn]) async throws {
        guard !rows.isEmpty, !columns.isEmpty else { return }
        let perStatement = max(1, 60_000 / columns.count)
        let head = "INSERT INTO \(Self.quoted(table)) (\(columns.map { Self.quoted($0.name) }.joined(separator: ", "))) VALUES "
        try await write { db in
            var start = 0
            while start < rows.count {
                let chunk = rows[start..<min(rows.count, start + perStatement)]
                var binds = PostgresBindings(capacity: chunk.count * columns.count)
                var tuples: [String] = []
                tuples.reserveCapacity(chunk.count)
                for row in chunk {
                    let first = binds.count
                    for value in row { try Self.bind(value, to: &binds) }
                    tuples.append("(" + (first..<binds.count).map { "$\($0 + 1)" }.joined(separator: ",") + ")")
                }
                try await db.run(PostgresQuery(unsafeSQL: head + tuples.joined(separator: ","), binds: binds), logger)
                start += chunk.count
            }
        }
    }

    public func emptyTables(_ tables: [String]) async throws {
        guard !tables.isEmpty else { return }
        // CASCADE: the claims on papers (bookkeeping, not copied) go with them.
        try await write(PostgresQuery(unsafeSQL: "TRUNCATE " + tables.map(Self.quoted).joined(separator: ", ") + " RESTART IDENTITY CASCADE"))
    }

    /// Ids were copied as they were: each identity continues after the largest.
    public func finishCopy(_ tables: [CopyTable]) async throws {
        let identities = try await execute("""
            SELECT table_name::text, column_name::text FROM information_schema.columns
            WHERE table_schema = current_schema() AND is_identity = 'YES'
            """).all((String, String).self)
        let copied = Set(tables.map(\.name))
        for (table, column) in identities where copied.contains(table) {
            try await execute(PostgresQuery(unsafeSQL: """
                SELECT setval(pg_get_serial_sequence(quote_ident('\(table.replacingOccurrences(of: "'", with: "''"))'), '\(column.replacingOccurrences(of: "'", with: "''"))'),
                              COALESCE(max(\(Self.quoted(column))), 0) + 1, false) FROM \(Self.quoted(table))
                """))
        }
    }

    static func kind(dataType: String) -> ColumnKind {
        switch dataType {
        case "bigint", "integer", "smallint": .integer
        case "double precision", "real", "numeric": .real
        case "timestamp with time zone", "timestamp without time zone": .instant
        case "boolean": .boolean
        case "bytea": .bytes
        default: .text
        }
    }

    static func copyValue(_ cell: PostgresCell, kind: ColumnKind) throws -> CopyValue {
        guard cell.bytes != nil else { return .null }
        switch kind {
        case .integer: return .integer(Int64(try cell.decode(Int.self)))
        case .real: return .real(try cell.decode(Double.self))
        case .text: return .text(try cell.decode(String.self))
        case .instant: return .instant(try cell.decode(Date.self))
        case .boolean: return .boolean(try cell.decode(Bool.self))
        case .bytes: return .bytes(Array(try cell.decode(ByteBuffer.self).readableBytesView))
        }
    }

    static func bind(_ value: CopyValue, to binds: inout PostgresBindings) throws {
        switch value {
        case .null: binds.appendNull()
        case .integer(let number): try binds.append(number)
        case .real(let number): try binds.append(number)
        case .text(let text): try binds.append(text)
        case .instant(let date): try binds.append(date)
        case .boolean(let flag): try binds.append(flag)
        case .bytes(let bytes): try binds.append(ByteBuffer(bytes: bytes))
        }
    }
}
