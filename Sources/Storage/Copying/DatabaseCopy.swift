import Foundation

/// Copies every table of one database into another (SQLite to PostgreSQL and
/// back), then checks that each table holds as many rows as the source and
/// the same rows (a checksum of each row's values, added up so that the
/// order rows come back in does not matter).
public struct DatabaseCopy: Sendable {
    public let source: any CopyableDatabase
    public let target: any CopyableDatabase
    /// Rows read and written at a time.
    public var batchSize = 2_000

    public init(from source: any CopyableDatabase, to target: any CopyableDatabase) { self.source = source; self.target = target }

    /// One table's figures: rows copied and the checksum both sides agree on.
    public struct Copied: Sendable, Equatable {
        public var table: String
        public var rows: Int
        public var checksum: UInt64
    }

    public enum Problem: Error, CustomStringConvertible, Equatable {
        case targetNotEmpty([String])
        case missingTable(String, rows: Int)
        case missingColumn(table: String, column: String)
        case mismatch(table: String, expected: String, found: String)
        case cycle([String])

        public var description: String {
            switch self {
            case .targetNotEmpty(let tables):
                "the target already holds rows (in \(tables.joined(separator: ", "))): copy into an empty database, or pass --replace to delete them first"
            case .missingTable(let table, let rows):
                "the target has no table \(table) for its \(rows) rows: bring both databases to the same version of Quire first"
            case .missingColumn(let table, let column):
                "the target's table \(table) has no column \(column): bring both databases to the same version of Quire first"
            case .mismatch(let table, let expected, let found):
                "after the copy, \(table) differs from the source: expected \(expected), found \(found)"
            case .cycle(let tables): "the tables' foreign keys form a cycle: \(tables.joined(separator: ", "))"
            }
        }
    }

    /// Copies and verifies; `replace` deletes the target's rows first, else a
    /// target with rows is refused before anything is written.
    public func run(replace: Bool, progress: (String, Int) -> Void = { _, _ in }) async throws -> [Copied] {
        let targetTables = Dictionary(try await target.copyTables().map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var plan: [CopyTable] = []
        for table in try await source.copyTables() {
            let rows = try await source.rowCount(table.name)
            guard let there = targetTables[table.name] else {
                if rows > 0 { throw Problem.missingTable(table.name, rows: rows) }
                continue
            }
            var columns: [CopyColumn] = []
            for column in table.columns {
                guard let other = there.columns.first(where: { $0.name == column.name }) else {
                    throw Problem.missingColumn(table: table.name, column: column.name)
                }
                columns.append(CopyColumn(name: column.name, kind: column.kind.merged(with: other.kind)))
            }
            // By name: each engine has its own column order (a column added
            // later comes last in one), and the checksum follows this order.
            plan.append(CopyTable(name: table.name, columns: columns.sorted { $0.name < $1.name }, parents: table.parents.union(there.parents)))
        }
        plan = try Self.parentsFirst(plan)
        var filled: [String] = []
        for table in targetTables.keys.sorted() where try await target.rowCount(table) > 0 { filled.append(table) }
        if !filled.isEmpty {
            guard replace else { throw Problem.targetNotEmpty(filled) }
            // Every table of the target, children first, not only those copied into.
            let all = try Self.parentsFirst(Array(targetTables.values))
            try await target.emptyTables(all.reversed().map(\.name))
        }

        var copied: [Copied] = []
        for table in plan {
            var sum = RowChecksum()
            try await source.forEachBatch(of: table.name, columns: table.columns, batchSize: batchSize) { rows in
                for row in rows { sum.add(row) }
                try await target.insertRows(rows, into: table.name, columns: table.columns)
                progress(table.name, sum.rows)
            }
            copied.append(Copied(table: table.name, rows: sum.rows, checksum: sum.value))
        }
        try await target.finishCopy(plan)

        // Read back from the target, as a later reader will.
        for (table, expected) in zip(plan, copied) {
            var sum = RowChecksum()
            try await target.forEachBatch(of: table.name, columns: table.columns, batchSize: batchSize) { rows in
                for row in rows { sum.add(row) }
            }
            let found = Copied(table: table.name, rows: sum.rows, checksum: sum.value)
            guard found == expected else {
                throw Problem.mismatch(table: table.name, expected: "\(expected.rows) rows, checksum \(String(expected.checksum, radix: 16))",
                                       found: "\(found.rows) rows, checksum \(String(found.checksum, radix: 16))")
            }
        }
        return copied
    }

    /// Tables ordered so that each comes after the tables it points at.
    static func parentsFirst(_ tables: [CopyTable]) throws -> [CopyTable] {
        let byName = Dictionary(tables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var ordered: [CopyTable] = []
        var placed = Set<String>()
        var remaining = tables.sorted { $0.name < $1.name }
        while !remaining.isEmpty {
            // A table pointing at itself (a reply's parent comment) needs only the others.
            let ready = remaining.filter { table in
                table.parents.allSatisfy { $0 == table.name || placed.contains($0) || byName[$0] == nil }
            }
            guard !ready.isEmpty else { throw Problem.cycle(remaining.map(\.name)) }
            for table in ready { placed.insert(table.name); ordered.append(table) }
            remaining.removeAll { placed.contains($0.name) }
        }
        return ordered
    }
}

/// The rows of a table as one number: the sum (wrapping) of a 64-bit FNV-1a
/// hash of each row's values, so that two engines returning the rows in
/// different orders agree. Instants count to the second: SQLite keeps no finer.
struct RowChecksum {
    private(set) var value: UInt64 = 0
    private(set) var rows = 0

    mutating func add(_ row: [CopyValue]) {
        var hash: UInt64 = 0xcbf29ce484222325
        func mix<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        }
        func mix(_ number: UInt64) { withUnsafeBytes(of: number.littleEndian) { mix($0) } }
        for value in row {
            switch value {
            case .null: mix([0])
            case .integer(let v): mix([1]); mix(UInt64(bitPattern: v))
            case .real(let v): mix([2]); mix(v.bitPattern)
            case .text(let v): mix([3]); mix(UInt64(v.utf8.count)); mix(v.utf8)
            case .instant(let v): mix([4]); mix(UInt64(bitPattern: Int64(exactly: v.timeIntervalSince1970.rounded(.down)) ?? 0))
            case .boolean(let v): mix([5, v ? 1 : 0])
            case .bytes(let v): mix([6]); mix(UInt64(v.count)); mix(v)
            }
        }
        value &+= hash
        rows += 1
    }
}
