import CSQLite
import Foundation

/// A copy of a live SQLite database made with SQLite's online backup API
/// (`sqlite3_backup_init/step/finish`), for `quire backup`.
///
/// Safe while `quire serve` writes: the copy reads inside one read
/// transaction, which in WAL mode is a snapshot that writers never wait for
/// and never change, so the copy is the database as of one instant and the
/// backup never restarts however busy the server is. It is written to a
/// temporary file beside the destination, checked with `PRAGMA
/// integrity_check`, and only then renamed into place: a failed or
/// interrupted backup never leaves a half-written file under the given name.
public enum SQLiteBackup {
    public struct Report: Sendable {
        public var pages: Int
        public var bytes: Int
        public var steps: Int
    }

    public enum Failure: Error, CustomStringConvertible, Equatable {
        case sourceMissing(String)
        case destinationExists(String)
        case sameFile(String)
        case damagedCopy(String)

        public var description: String {
            switch self {
            case .sourceMissing(let path): return "there is no database at \(path)"
            case .destinationExists(let path): return "\(path) already exists: choose another name, or add --force to replace it"
            case .sameFile(let path): return "cannot back up \(path) onto itself"
            case .damagedCopy(let report): return "the copy failed its integrity check, so it was not kept: \(report)"
            }
        }
    }

    /// Copies the database at `source` to `destination`, `pagesPerStep` pages
    /// at a time (4 MB with SQLite's default 4 KiB pages).
    public static func copy(from source: String, to destination: String, replacing: Bool = false,
                            pagesPerStep: Int32 = 1_024) throws -> Report {
        let files = FileManager.default
        guard files.fileExists(atPath: source) else { throw Failure.sourceMissing(source) }
        let sourceURL = URL(fileURLWithPath: source).standardizedFileURL.resolvingSymlinksInPath()
        let destinationURL = URL(fileURLWithPath: destination).standardizedFileURL.resolvingSymlinksInPath()
        guard sourceURL != destinationURL else { throw Failure.sameFile(source) }
        if files.fileExists(atPath: destination) && !replacing { throw Failure.destinationExists(destination) }

        let temporary = destination + ".partial-\(getpid())"
        removeDatabaseFiles(temporary)
        var kept = false
        defer { if !kept { removeDatabaseFiles(temporary) } }

        let report: Report
        do {
            let from = try SQLiteConnection(path: source, readOnly: true)
            let into = try SQLiteConnection(path: temporary)
            report = try copyPages(from: from, into: into, pagesPerStep: pagesPerStep)
            // One self-contained file: the copy needs no -wal beside it.
            try into.execute("PRAGMA journal_mode = DELETE")
            let problems = try into.query("PRAGMA integrity_check") { $0.string(0) }
            guard problems == ["ok"] else { throw Failure.damagedCopy(problems.prefix(5).joined(separator: "; ")) }
        }
        // Connections are closed here (end of the `do`), before the rename.
        if replacing {
            // Files a database left beside the old copy would otherwise be read as the new one's.
            for suffix in ["-wal", "-shm", "-journal"] { try? files.removeItem(atPath: destination + suffix) }
        }
        guard rename(temporary, destination) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot rename \(temporary) to \(destination): \(String(cString: strerror(errno)))"])
        }
        kept = true
        return report
    }

    private static func copyPages(from source: SQLiteConnection, into destination: SQLiteConnection, pagesPerStep: Int32) throws -> Report {
        // The snapshot: every step reads inside this one read transaction.
        try source.execute("BEGIN")
        defer { try? source.execute("COMMIT") }
        _ = try source.queryOne("SELECT count(*) FROM sqlite_master") { $0.int(0) }

        guard let backup = sqlite3_backup_init(destination.handle, "main", source.handle, "main") else {
            throw destination.error(sqlite3_errcode(destination.handle), nil)
        }
        var steps = 0
        var rc: Int32 = SQLITE_OK
        while rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED {
            rc = sqlite3_backup_step(backup, pagesPerStep)
            steps += 1
            if rc == SQLITE_BUSY || rc == SQLITE_LOCKED { sqlite3_sleep(10) }
        }
        let pages = Int(sqlite3_backup_pagecount(backup))
        // `finish` returns the step's error, if any, and frees the backup.
        let finished = sqlite3_backup_finish(backup)
        guard rc == SQLITE_DONE, finished == SQLITE_OK else { throw destination.error(rc == SQLITE_DONE ? finished : rc, nil) }
        let pageSize = try destination.queryOne("PRAGMA page_size") { $0.int(0) } ?? 0
        return Report(pages: pages, bytes: pages * pageSize, steps: steps)
    }

    private static func removeDatabaseFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
