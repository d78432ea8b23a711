import CSQLite
import Foundation

/// An error from SQLite, with the statement that caused it.
public struct SQLiteError: Error, CustomStringConvertible {
    public let code: Int32
    public let message: String
    public let sql: String?
    public var description: String { "SQLite error \(code): \(message)" + (sql.map { " (in: \($0.prefix(200)))" } ?? "") }
}

/// A value bound to or read from a statement.
public enum SQLValue: Equatable, Sendable {
    case null, integer(Int64), real(Double), text(String), blob([UInt8])
}

public protocol SQLBindable: Sendable { var sqlValue: SQLValue { get } }
extension Int: SQLBindable { public var sqlValue: SQLValue { .integer(Int64(self)) } }
extension Int64: SQLBindable { public var sqlValue: SQLValue { .integer(self) } }
extension Double: SQLBindable { public var sqlValue: SQLValue { .real(self) } }
extension String: SQLBindable { public var sqlValue: SQLValue { .text(self) } }
extension Bool: SQLBindable { public var sqlValue: SQLValue { .integer(self ? 1 : 0) } }
extension SQLValue: SQLBindable { public var sqlValue: SQLValue { self } }
extension Optional: SQLBindable where Wrapped: SQLBindable {
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

// SQLite copies bound text immediately with this destructor value.
private let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One SQLite connection. Not thread-safe: `SQLiteStore` hands each one to a
/// single task at a time. Prepared statements are cached by SQL text, a
/// bounded number of them (`StatementCache`).
public final class SQLiteConnection {
    let handle: OpaquePointer
    private var cache = StatementCache()

    /// Process-wide settings, made once before the first connection opens
    /// (SQLite takes them only before it initializes).
    private static let configured: Void = { _ = quire_sqlite3_disable_memory_statistics() }()

    public init(path: String, readOnly: Bool = false) throws {
        Self.configured
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close(db) }
            throw SQLiteError(code: rc, message: "cannot open database at \(path): \(message)", sql: nil)
        }
        handle = db
        sqlite3_busy_timeout(db, 5_000)
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        cache.finalizeAll()
        sqlite3_close(handle)
    }

    /// Runs one or more statements that take no parameters.
    public func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        if rc != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? "unknown error"
            sqlite3_free(error)
            throw SQLiteError(code: rc, message: message, sql: sql)
        }
    }

    /// Runs a statement with parameters, ignoring any rows.
    public func run(_ sql: String, _ values: [SQLBindable] = []) throws {
        try withStatement(sql, values) { statement in
            while try statement.step() {}
        }
    }

    /// Runs a query and maps each row.
    public func query<T>(_ sql: String, _ values: [SQLBindable] = [], _ map: (Row) throws -> T) throws -> [T] {
        try withStatement(sql, values) { statement in
            var rows: [T] = []
            while try statement.step() { rows.append(try map(Row(statement: statement.pointer))) }
            return rows
        }
    }

    /// Runs a query and hands each row to `body` without collecting them.
    public func forEach(_ sql: String, _ values: [SQLBindable] = [], _ body: (Row) throws -> Void) throws {
        try withStatement(sql, values) { statement in
            while try statement.step() { try body(Row(statement: statement.pointer)) }
        }
    }

    public func queryOne<T>(_ sql: String, _ values: [SQLBindable] = [], _ map: (Row) throws -> T) throws -> T? {
        try withStatement(sql, values) { statement in
            try statement.step() ? try map(Row(statement: statement.pointer)) : nil
        }
    }

    /// How many prepared statements the connection holds (for tests).
    var cachedStatementCount: Int { cache.count }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// Runs `body` on one snapshot of the database: every read in it sees the
    /// same committed state, whatever other connections write meanwhile.
    public func readTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN DEFERRED")
        defer { try? execute("COMMIT") }
        return try body()
    }

    /// Runs `body` in a transaction: committed if it returns, rolled back if it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    private func withStatement<T>(_ sql: String, _ values: [SQLBindable], _ body: (Statement) throws -> T) throws -> T {
        let pointer: OpaquePointer
        let cached: Bool
        if let statement = cache.checkOut(sql) {
            pointer = statement
            cached = true
        } else {
            var statement: OpaquePointer?
            let rc = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
            guard rc == SQLITE_OK, let statement else {
                sqlite3_finalize(statement)
                throw SQLiteError(code: rc, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
            }
            pointer = statement
            cached = cache.admit(sql, statement)
        }
        defer {
            sqlite3_reset(pointer)
            sqlite3_clear_bindings(pointer)
            if cached { cache.checkIn(sql) } else { sqlite3_finalize(pointer) }
        }
        let statement = Statement(pointer: pointer, connection: self, sql: sql)
        for (index, value) in values.enumerated() { try statement.bind(value.sqlValue, at: Int32(index + 1)) }
        return try body(statement)
    }

    struct Statement {
        let pointer: OpaquePointer
        let connection: SQLiteConnection
        let sql: String

        func bind(_ value: SQLValue, at index: Int32) throws {
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(pointer, index)
            case .integer(let v): rc = sqlite3_bind_int64(pointer, index, v)
            case .real(let v): rc = sqlite3_bind_double(pointer, index, v)
            case .text(let v): rc = sqlite3_bind_text(pointer, index, v, -1, SQLITE_TRANSIENT)
            case .blob(let v): rc = v.withUnsafeBytes { sqlite3_bind_blob(pointer, index, $0.baseAddress, Int32($0.count), SQLITE_TRANSIENT) }
            }
            if rc != SQLITE_OK { throw connection.error(rc, sql) }
        }

        /// Advances to the next row; false when done.
        func step() throws -> Bool {
            let rc = sqlite3_step(pointer)
            switch rc {
            case SQLITE_ROW: return true
            case SQLITE_DONE: return false
            default: throw connection.error(rc, sql)
            }
        }
    }

    func error(_ rc: Int32, _ sql: String?) -> SQLiteError {
        SQLiteError(code: rc, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    /// One result row; columns are read by position.
    public struct Row {
        let statement: OpaquePointer
        public func isNull(_ i: Int32) -> Bool { sqlite3_column_type(statement, i) == SQLITE_NULL }
        public func int(_ i: Int32) -> Int { Int(sqlite3_column_int64(statement, i)) }
        public func optionalInt(_ i: Int32) -> Int? { isNull(i) ? nil : int(i) }
        public func double(_ i: Int32) -> Double { sqlite3_column_double(statement, i) }
        public func string(_ i: Int32) -> String {
            guard let text = sqlite3_column_text(statement, i) else { return "" }
            return String(cString: text)
        }
        public func optionalString(_ i: Int32) -> String? { isNull(i) ? nil : string(i) }
        /// The value as SQLite holds it, whatever the column's declared type.
        public func value(_ i: Int32) -> SQLValue {
            switch sqlite3_column_type(statement, i) {
            case SQLITE_NULL: .null
            case SQLITE_INTEGER: .integer(sqlite3_column_int64(statement, i))
            case SQLITE_FLOAT: .real(double(i))
            case SQLITE_BLOB: .blob(blob(i))
            default: .text(string(i))
            }
        }
        public func blob(_ i: Int32) -> [UInt8] {
            let count = Int(sqlite3_column_bytes(statement, i))
            guard count > 0, let bytes = sqlite3_column_blob(statement, i) else { return [] }
            return Array(UnsafeRawBufferPointer(start: bytes, count: count))
        }
    }
}
