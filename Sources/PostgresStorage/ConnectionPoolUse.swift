import Foundation
import PostgresNIO

/// How busy a `PostgresStore`'s connection pool is, for the metrics.
/// postgres-nio keeps its own pool figures to itself (its observability
/// delegate is internal), so the store counts what it asks of the pool, and
/// asks the server how many of the pool's connections are busy: each pool
/// names its connections (`application_name`) so `pg_stat_activity` can tell
/// them from those of other processes on the same database.
public final class ConnectionPoolUse: @unchecked Sendable { // lock: inFlight, onWait
    /// The `application_name` of every connection of this pool, unique on the server.
    public let applicationName: String
    public let maximumConnections: Int
    private let lock = NSLock()
    private var inFlight = 0
    private var onWait: (@Sendable (Duration) -> Void)?

    init(maximumConnections: Int) {
        self.maximumConnections = maximumConnections
        applicationName = "quire \(ProcessInfo.processInfo.processIdentifier) pool \(Self.nextNumber())"
    }

    /// Statements and transactions asked of the pool and not finished (past
    /// `maximumConnections`, the rest wait for a connection).
    public var operationsInFlight: Int { lock.withLock { inFlight } }

    /// Hears how long each transaction or read of several statements waited
    /// for its connection (`quire serve` records them when metrics are on).
    public func reportWaits(to report: @escaping @Sendable (Duration) -> Void) {
        lock.withLock { onWait = report }
    }

    /// Counts `body` as one operation in flight from start to end.
    func counting<Result>(_ body: () async throws -> Result) async rethrows -> Result {
        lock.withLock { inFlight += 1 }
        defer { lock.withLock { inFlight -= 1 } }
        return try await body()
    }

    func waited(since asked: ContinuousClock.Instant) {
        let report = lock.withLock { onWait }
        report?(ContinuousClock.now - asked)
    }

    private static let numbers = NSLock()
    nonisolated(unsafe) private static var lastNumber = 0 // guarded by `numbers`
    private static func nextNumber() -> Int { numbers.withLock { lastNumber += 1; return lastNumber } }
}

/// The pool's figures at one moment (`PostgresStore.connectionUse()`).
public struct PostgresConnectionUse: Sendable, Equatable {
    /// This process's connections running a statement or inside a transaction, and open but idle.
    public var busy: Int, idle: Int
    public var maximum: Int
    public var operationsInFlight: Int
}

extension PostgresStore {
    /// The pool's use now: the connections as the server sees them
    /// (`pg_stat_activity`), the one asking counted idle, as it is again
    /// once the answer is back.
    public func connectionUse() async throws -> PostgresConnectionUse {
        let operations = pool.operationsInFlight
        let row = try await execute("""
            SELECT count(*) FILTER (WHERE state IS DISTINCT FROM 'idle'), count(*) FILTER (WHERE state = 'idle')
            FROM pg_stat_activity WHERE application_name = \(pool.applicationName) AND pid <> pg_backend_pid()
            """).first((Int, Int).self)
        return PostgresConnectionUse(busy: row?.0 ?? 0, idle: (row?.1 ?? 0) + 1, maximum: pool.maximumConnections,
                                     operationsInFlight: operations)
    }
}
