import ArgumentParser
import Foundation
import PostgresStorage
import Storage

/// `quire backup --to FILE`: a consistent copy of the SQLite database, safe
/// to run while `quire serve` writes (`SQLiteBackup`). PostgreSQL has its
/// own tool for this: `pg_dump` (see docs/deploy.md).
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Copy the SQLite database to a file, safely while it is being served.")

    @OptionGroup var store: StoreOptions
    @Option(help: "The file to write the copy to.") var to: String
    @Flag(help: "Replace the file if it exists.") var force = false

    func validate() throws {
        if PostgresAddress.isAddress(store.address) {
            throw ValidationError("quire backup copies SQLite files; for PostgreSQL use pg_dump (docs/deploy.md)")
        }
        let folder = URL(fileURLWithPath: to).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: folder) else {
            throw ValidationError("cannot write \(to): the folder \(folder) does not exist")
        }
    }

    func run() async throws {
        let started = ContinuousClock.now
        let report: SQLiteBackup.Report
        do {
            report = try SQLiteBackup.copy(from: store.address, to: to, replacing: force)
        } catch let failure as SQLiteBackup.Failure {
            throw ValidationError(failure.description)
        }
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        print("backed up \(store.address) to \(to): \(report.pages) pages, \(report.bytes / 1_048_576) MiB in \(String(format: "%.2f", seconds)) s; integrity check ok")
    }
}
