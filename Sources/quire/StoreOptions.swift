import ArgumentParser
import Foundation
import Logging
import PostgresStorage
import Storage

/// `--db PATH_OR_URL` (or `QUIRE_DB`), shared by every command that opens
/// the database: a SQLite file, or a PostgreSQL address.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: """
        The database: a SQLite file (created if missing) or postgres://user:password@host:port/name \
        (env QUIRE_DB; default ./quire.sqlite).
        """)
    var db: String?

    /// What every store offers but keyword search: what commands that do
    /// not search need, and so what both SQLite and PostgreSQL give them.
    typealias CommandStore = PaperStore & AccountStore & SignalStore & DigestStore & EmbeddingStore & SummaryStore & CodeTrendStore & ChangeTracking

    /// The database in use: `--db`, else `QUIRE_DB`, else ./quire.sqlite.
    var address: String {
        if let db { return db }
        if let environment = ProcessInfo.processInfo.environment["QUIRE_DB"], !environment.isEmpty { return environment }
        return "./quire.sqlite"
    }

    /// How long a command waits for PostgreSQL to answer at first before it
    /// says so, rather than waiting for ever on a server that is not there.
    static let connectTimeout: Duration = .seconds(15)

    /// Runs `body` with the database open, SQLite or PostgreSQL, for a
    /// command that needs no keyword search. A PostgreSQL store is brought
    /// up to its newest migration first, and its connections are closed when
    /// `body` returns.
    func withStore<Result: Sendable>(_ body: (any CommandStore) async throws -> Result) async throws -> Result {
        guard PostgresAddress.isAddress(address) else { return try await body(try openSQLiteFile()) }
        // The address is never repeated in a message: it may hold a password.
        guard let postgres = PostgresAddress(address) else {
            throw ValidationError("--db: not a usable PostgreSQL address; write postgres://user:password@host:port/name")
        }
        var logger = Logger(label: "quire.postgres")
        logger.logLevel = .error
        let store: PostgresStore
        do { store = try PostgresStore(address: postgres, logger: logger) } catch {
            throw ValidationError("cannot open the PostgreSQL database: \(error)")
        }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await store.run() }
            defer { group.cancelAll() }
            try await Self.migrate(store, address: postgres)
            return try await body(store)
        }
    }

    /// `migrate()`, the store's first query: an unreachable server or a
    /// refused login ends the command with a message, after `connectTimeout` at most.
    private static func migrate(_ store: PostgresStore, address: PostgresAddress) async throws {
        let place = "the PostgreSQL server at \(address.host):\(address.port)"
        do { try await address.checkReachable() } catch {
            throw ValidationError("cannot use \(place): \(postgresReason(error))")
        }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { try await store.migrate(); return true }
            group.addTask { try await Task.sleep(for: connectTimeout); return false }
            defer { group.cancelAll() }
            do {
                guard try await group.next() == true else {
                    throw ValidationError("\(place) did not answer within \(connectTimeout): is it running, and is the address right?")
                }
            } catch let error as ValidationError {
                throw error
            } catch {
                throw ValidationError("cannot use \(place): \(postgresReason(error))")
            }
        }
    }

    /// The SQLite store, for a command that needs what only it has yet
    /// (`missing`, e.g. keyword search): a PostgreSQL address gets a plain
    /// answer naming it rather than a SQLite file named after the address.
    func openSQLiteStore(command: String, missing: String) throws -> SQLiteStore {
        if PostgresAddress.isAddress(address) {
            throw ValidationError("""
                quire \(command) cannot use a PostgreSQL database yet: the PostgreSQL store has no \(missing) \
                (it keeps papers, accounts, readers' signals, digests and vectors), so use a SQLite file for this command
                """)
        }
        return try openSQLiteFile()
    }

    private func openSQLiteFile() throws -> SQLiteStore {
        let path = address
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: directory) else {
            throw ValidationError("cannot open database \(path): the folder \(directory) does not exist")
        }
        do {
            return try SQLiteStore(path: path)
        } catch {
            throw ValidationError("cannot open database \(path): \(error)")
        }
    }
}
