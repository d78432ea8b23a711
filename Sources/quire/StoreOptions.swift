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

    /// What both SQLite and PostgreSQL offer every command: every store
    /// protocol, and the text feed Search's keyword index follows.
    typealias CommandStore = QuireStore & PaperTextFeed

    /// The database in use: `--db`, else `QUIRE_DB`, else ./quire.sqlite.
    var address: String {
        if let db { return db }
        if let environment = ProcessInfo.processInfo.environment["QUIRE_DB"], !environment.isEmpty { return environment }
        return "./quire.sqlite"
    }

    /// How long a command waits for PostgreSQL to answer at first before it
    /// says so, rather than waiting for ever on a server that is not there.
    static let connectTimeout: Duration = .seconds(15)

    /// The database as logs and messages name it: a SQLite path as given, a
    /// PostgreSQL address without its user and password.
    var displayName: String {
        guard PostgresAddress.isAddress(address) else { return address }
        guard let postgres = PostgresAddress(address) else { return "PostgreSQL (an unusable address)" }
        return "PostgreSQL at \(postgres.host):\(postgres.port)"
    }

    /// Where the files a command keeps beside the database go (the mail
    /// outbox): the SQLite file's folder, or the working directory with PostgreSQL.
    var localFolder: URL {
        guard !PostgresAddress.isAddress(address) else { return URL(fileURLWithPath: FileManager.default.currentDirectoryPath) }
        return URL(fileURLWithPath: address).deletingLastPathComponent()
    }

    /// Runs `body` with the database open, SQLite or PostgreSQL. A PostgreSQL store is brought
    /// up to its newest migration first, and its connections are closed when
    /// `body` returns.
    func withStore<Result: Sendable>(_ body: (any CommandStore) async throws -> Result) async throws -> Result {
        try await Self.withStore(address: address, body)
    }

    /// `withStore` on a database named otherwise than by `--db` (`quire eval`'s own).
    static func withStore<Result: Sendable>(address: String, _ body: (any CommandStore) async throws -> Result) async throws -> Result {
        guard PostgresAddress.isAddress(address) else { return try await body(try openSQLiteFile(address)) }
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

    private static func openSQLiteFile(_ path: String) throws -> SQLiteStore {
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
