import ArgumentParser
import Foundation
import PostgresStorage
import Storage

/// `--db PATH`, shared by every command that opens the database.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite database file (created if missing); postgres://user:pass@host:port/name is not usable by any command yet.")
    var db: String = "./quire.sqlite"

    func openStore() throws -> SQLiteStore {
        // A PostgreSQL address is recognised, so it gets a plain answer
        // rather than a SQLite file named after it: PostgresStore does not
        // implement every protocol a command needs yet. The address is not
        // repeated: it may hold a password.
        if PostgresAddress.isAddress(db) {
            throw ValidationError("""
                cannot open the PostgreSQL database: the PostgreSQL store is not built yet for this command \
                (it implements accounts and papers; readers' signals, digests, search, embeddings \
                and change tracking are still SQLite-only), so use a SQLite file for now
                """)
        }
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
