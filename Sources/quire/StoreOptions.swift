import ArgumentParser
import Foundation
import Storage

/// `--db PATH`, shared by every command that opens the database.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite database file (created if missing).")
    var db: String = "./quire.sqlite"

    func openStore() throws -> SQLiteStore {
        let directory = URL(fileURLWithPath: db).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: directory) else {
            throw ValidationError("cannot open database \(db): the folder \(directory) does not exist")
        }
        do {
            return try SQLiteStore(path: db)
        } catch {
            throw ValidationError("cannot open database \(db): \(error)")
        }
    }
}
