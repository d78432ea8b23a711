import Foundation

/// A database whose every table `quire db copy` can read and write, row by
/// row, whatever engine holds it: SQLite and PostgreSQL have the same tables
/// and columns (their migrations keep them so), in each engine's types.
public protocol CopyableDatabase: Sendable {
    /// Quire's tables with their columns, leaving out bookkeeping that is
    /// not data: the migrations table, SQLite's full-text index and change
    /// log (rebuilt from `papers`), PostgreSQL's rate windows and claims.
    func copyTables() async throws -> [CopyTable]
    func rowCount(_ table: String) async throws -> Int
    /// Every row of `table`, parents before children (by primary key, so a
    /// reply comes after the comment it answers), in batches of about
    /// `batchSize`, values in `columns`' order and of their kinds.
    func forEachBatch(of table: String, columns: [CopyColumn], batchSize: Int,
                      _ body: ([[CopyValue]]) async throws -> Void) async throws
    /// Writes rows as they are, ids included.
    func insertRows(_ rows: [[CopyValue]], into table: String, columns: [CopyColumn]) async throws
    /// Deletes every row of these tables (children first), for a copy told to replace what is there.
    func emptyTables(_ tables: [String]) async throws
    /// After the rows: whatever the engine derives from them (identities
    /// continue after the largest id copied, SQLite's full-text index).
    func finishCopy(_ tables: [CopyTable]) async throws
}

/// What a column holds, whatever type each engine gives it: SQLite keeps
/// instants as text and flags as integers, PostgreSQL as TIMESTAMPTZ and BOOLEAN.
public enum ColumnKind: String, Sendable {
    case integer, real, text, instant, boolean, bytes

    /// Of two engines' views of one column, the one that says more: an
    /// instant or a flag in PostgreSQL is text or an integer in SQLite.
    func merged(with other: ColumnKind) -> ColumnKind {
        [.instant, .boolean].contains(other) ? other : self
    }
}

public enum CopyValue: Sendable, Equatable {
    case null, integer(Int64), real(Double), text(String), instant(Date), boolean(Bool), bytes([UInt8])
}

public struct CopyColumn: Sendable, Equatable {
    public var name: String
    public var kind: ColumnKind
    public init(name: String, kind: ColumnKind) { self.name = name; self.kind = kind }
}

public struct CopyTable: Sendable {
    public var name: String
    public var columns: [CopyColumn]
    /// The tables this one's foreign keys point at: copied before it.
    public var parents: Set<String>
    public init(name: String, columns: [CopyColumn], parents: Set<String>) {
        self.name = name; self.columns = columns; self.parents = parents
    }
}

/// A value read that does not fit its column's kind (an instant that is not a time).
public struct CopyValueError: Error, CustomStringConvertible {
    public var table: String
    public var column: String
    public var problem: String
    public init(table: String, column: String, problem: String) { self.table = table; self.column = column; self.problem = problem }
    public var description: String { "\(table).\(column): \(problem)" }
}
