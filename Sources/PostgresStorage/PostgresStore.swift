import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Storage

/// Quire's data in PostgreSQL, for several `quire serve` processes sharing
/// one database. Same tables and columns as the SQLite store (snake_case,
/// numbered migrations of its own in `PostgresMigrations`), and the same
/// guarantees: every conditional write of the protocols is checked and
/// written in one transaction, with the row it depends on locked.
///
/// Implements every store protocol but `StoreKeywordSearch`: keyword search
/// is Search's in-memory index, which follows `PaperTextFeed` (the
/// `paper_text_changes` log), so it ranks as on SQLite without a second
/// tokenizer in SQL.
///
/// The connection pool works only while `run()` does: run the store as a
/// `Service` (in the server's ServiceGroup, or a task of a task group in
/// tests), and call `migrate()` once it runs.
public final class PostgresStore: Service, Sendable {
    let client: PostgresClient
    let logger: Logger
    /// The schema the store's tables live in, when not the server's default.
    public let schema: String?
    /// The generation `changeGeneration()` answers with.
    let changes = ChangeCounter(pollInterval: PostgresStore.otherWritersPollInterval)
    /// When this process last deleted ended rate windows (PostgresStore+Coordination).
    let rateWindowPruning = PruneSchedule(interval: 30)
    /// What the store asks of its pool, for the metrics.
    public let pool: ConnectionPoolUse

    /// - Parameter searchPath: the schema every connection uses (nil: the
    ///   server's default, `public`).
    public init(address: PostgresAddress, searchPath: String? = nil, maximumConnections: Int = 20,
                logger: Logger = Logger(label: "quire.postgres")) throws {
        pool = ConnectionPoolUse(maximumConnections: maximumConnections)
        client = PostgresClient(configuration: try address.configuration(searchPath: searchPath, maximumConnections: maximumConnections,
                                                                         applicationName: pool.applicationName),
                                backgroundLogger: logger)
        self.logger = logger
        schema = searchPath
    }

    /// Runs the connection pool until the task is cancelled (or the service group shuts down).
    public func run() async {
        await client.run()
    }

    /// Brings the schema up to the newest migration, creating the store's
    /// schema first when it has one of its own.
    public func migrate() async throws {
        if let schema { try await execute(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(Self.quoted(schema))")) }
        try await PostgresMigrations.migrate(self)
    }

    /// Drops the store's own schema and every table in it: the tests give
    /// each test case a schema and throw it away after. Does nothing for a
    /// store in the server's default schema.
    public func dropSchema() async throws {
        guard let schema else { return }
        try await execute(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(Self.quoted(schema)) CASCADE"))
    }

    /// An identifier as SQL text: in double quotes, its own doubled.
    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `body` in one transaction, committed when it returns and rolled back
    /// when it throws. What `body` threw is rethrown as it was (a `Refusal`
    /// stays one), not inside the client's `PostgresTransactionError`.
    func transaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        do {
            return try await withConnection { connection in
                try await connection.withTransaction(logger: logger) { connection in try await body(connection) }
            }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error.commitError ?? error.beginError ?? error
        }
    }

    /// A transaction that writes, then tells readers' caches (`ChangeTracking`):
    /// this store's at once, other processes' through the `quire_changes`
    /// sequence, moved after the commit so that no poll sees it before the
    /// rows. Told even when `body` throws: a commit that failed on the way
    /// back may have happened. `visibleToReaders: false` is for bookkeeping
    /// no page shows (an API token's last use).
    func write<Result: Sendable>(visibleToReaders: Bool = true, _ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        let outcome: Swift.Result<Result, any Error>
        do { outcome = .success(try await transaction(body)) } catch { outcome = .failure(error) }
        if visibleToReaders { await announceChange() }
        return try outcome.get()
    }

    /// One statement that writes, as a `write` of its own.
    func write(visibleToReaders: Bool = true, _ query: PostgresQuery) async throws {
        try await write(visibleToReaders: visibleToReaders) { db in _ = try await db.run(query, logger) }
    }

    /// Runs a statement outside any transaction of ours (one statement is its own).
    @discardableResult
    func execute(_ query: PostgresQuery) async throws -> PostgresRowSequence {
        // Counted until the answer starts: the client hands the connection back when the rows are read.
        try await pool.counting { try await client.query(query, logger: logger) }
    }

    /// `body` on one pooled connection (a read of several statements, a
    /// transaction), counted and its wait for the connection timed for the metrics.
    func withConnection<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        try await pool.counting {
            let asked = ContinuousClock.now
            return try await client.withConnection { connection in
                pool.waited(since: asked)
                return try await body(connection)
            }
        }
    }
}

/// The first row of a result, for queries that look one thing up.
extension PostgresRowSequence {
    func first<each Column: PostgresDecodable & Sendable>(_ types: (repeat each Column).Type) async throws -> (repeat each Column)? {
        for try await row in self.decode(types) { return row }
        return nil
    }

    /// The first row's only column, for `SELECT count(*)` and the like.
    func value<Value: PostgresDecodable>(_ type: Value.Type) async throws -> Value? {
        for try await row in self { return try row.decode(Value.self) }
        return nil
    }

    func all<each Column: PostgresDecodable & Sendable>(_ types: (repeat each Column).Type) async throws -> [(repeat each Column)] {
        var rows: [(repeat each Column)] = []
        for try await row in self.decode(types) { rows.append(row) }
        return rows
    }
}

extension PostgresConnection {
    /// Runs a query in this connection (inside its transaction), logging under the store's logger.
    @discardableResult
    func run(_ query: PostgresQuery, _ logger: Logger) async throws -> PostgresRowSequence {
        try await self.query(query, logger: logger)
    }
}
