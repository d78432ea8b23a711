import ArgumentParser
import Foundation
import PostgresStorage
import Storage

/// `quire db …`: whole-database operations.
struct DBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "db", abstract: "Whole-database operations.",
                                                    subcommands: [DBCopyCommand.self])
}

/// `quire db copy --from PATH_OR_URL --to PATH_OR_URL`: every table, SQLite
/// to PostgreSQL or back (`DatabaseCopy`), then row counts and checksums
/// compared table by table. Stop the servers first: rows written during the
/// copy may be left out, and the check would then fail.
struct DBCopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a whole database (SQLite file or postgres:// address) into another, then verify every table.",
        discussion: """
            Papers, authors, vectors, accounts, sessions, signals, digests and their ledgers: every table \
            but bookkeeping (the migrations record, SQLite's full-text index, which is rebuilt, and \
            PostgreSQL's rate windows and embedding claims). The target is brought to the newest schema \
            first and must be empty unless --replace is given. Stop the servers while it runs.
            """)

    @Option(help: "The database to copy: a SQLite file or postgres://user:password@host:port/name.") var from: String
    @Option(help: "The database to copy into (created if it is a SQLite file that does not exist).") var to: String
    @Flag(help: "Delete every row the target holds before copying.") var replace = false
    @Flag(help: "Print nothing but the summary.") var quiet = false

    func validate() throws {
        guard from != to else { throw ValidationError("--from and --to name the same database") }
        if !from.contains("://") && !FileManager.default.fileExists(atPath: from) {
            throw ValidationError("--from: no database at \(from)")
        }
    }

    func run() async throws {
        let source = try StoreOptions.parse(["--db", from])
        let target = try StoreOptions.parse(["--db", to])
        let started = ContinuousClock.now
        let copied = try await source.withStore { sourceStore in
            try await target.withStore { targetStore in
                guard let reading = sourceStore as? any CopyableDatabase, let writing = targetStore as? any CopyableDatabase else {
                    throw ValidationError("these databases cannot be copied")
                }
                do {
                    let showProgress = !quiet && isatty(STDERR_FILENO) == 1
                    return try await DatabaseCopy(from: reading, to: writing).run(replace: replace) { table, rows in
                        if showProgress { FileHandle.standardError.write(Data("\r\(table): \(rows) rows\u{1B}[K".utf8)) }
                    }
                } catch let problem as DatabaseCopy.Problem {
                    throw ValidationError(problem.description)
                } catch let error as CopyValueError {
                    throw ValidationError("cannot copy \(error)")
                } catch {
                    // PostgreSQL's errors say nothing until asked (`postgresReason`).
                    throw ValidationError("the copy stopped: \(postgresReason(error))")
                }
            }
        }
        if !quiet && isatty(STDERR_FILENO) == 1 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        for table in copied where !quiet {
            print("  \(table.table): \(table.rows) rows, checksum \(String(table.checksum, radix: 16))")
        }
        let seconds = Double((ContinuousClock.now - started).components.seconds)
        print("copied \(copied.reduce(0) { $0 + $1.rows }) rows in \(copied.count) tables in \(String(format: "%.0f", seconds)) s; "
              + "every table's row count and checksum match the source")
    }
}
