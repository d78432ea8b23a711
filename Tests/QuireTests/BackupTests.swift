import Foundation
import QuireCore
import Storage
import Testing

/// `quire backup` (`SQLiteBackup`): a whole, consistent copy of a database
/// that another task keeps writing to, and no file left behind on refusal.
@Suite struct BackupTests {
    static let batch = 25

    static func papers(_ round: Int) -> [Paper] {
        (0..<batch).map { i in
            Paper(id: String(format: "2501.%05d", round * batch + i), submittedAt: Date(timeIntervalSince1970: 1_736_000_000),
                  title: "Paper \(round)-\(i) on backups", abstract: "Written while a backup copies the database, round \(round).",
                  authors: ["Writer \(i)"], categories: ["cs.DB"])
        }
    }

    /// Rows in every table, read through a plain connection.
    static func counts(_ path: String) throws -> [String: Int] {
        let db = try SQLiteConnection(path: path, readOnly: true)
        let tables = try db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name") { $0.string(0) }
        var counts: [String: Int] = [:]
        for table in tables {
            counts[table] = try db.queryOne("SELECT count(*) FROM \"\(table)\"") { $0.int(0) }
        }
        return counts
    }

    @Test func aBackupWhileAnotherTaskWritesIsWholeAndConsistent() async throws {
        let folder = try TestSupport.temporaryDirectory()
        let store = try SQLiteStore(path: folder.appendingPathComponent("live.sqlite").path)
        // Enough pages that the copy takes many steps of 16 pages.
        for round in 0..<40 { _ = try await store.upsert(Self.papers(round)) }
        let before = try await store.stats().papers

        let writer = Task {
            var round = 40
            while !Task.isCancelled {
                _ = try await store.upsert(Self.papers(round))
                round += 1
            }
            return round
        }
        // The writer is under way before the copy starts.
        while try await store.stats().papers == before { try await Task.sleep(for: .milliseconds(1)) }
        let copy = folder.appendingPathComponent("copy.sqlite").path
        let report = try await Task.detached {
            try SQLiteBackup.copy(from: store.path, to: copy, pagesPerStep: 16)
        }.value
        writer.cancel()
        let rounds = try await writer.value

        #expect(report.steps > 1, "copied in steps")
        // One self-contained file, nothing else left beside it.
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("copy") }
        #expect(left == ["copy.sqlite"])
        let copied = try await SQLiteStore(path: copy).stats().papers
        // The copy is one instant of the database: whole batches only (each
        // upsert is one transaction), between what was there and what came.
        #expect(copied >= before && copied <= rounds * Self.batch)
        #expect(copied % Self.batch == 0)
        let tables = try Self.counts(copy)
        #expect(tables["papers"] == copied)
        // Every paper's words are in the full-text index of the copy too.
        let indexed = try SQLiteConnection(path: copy, readOnly: true)
            .queryOne("SELECT count(*) FROM papers_fts") { $0.int(0) }
        #expect(indexed == copied)
    }

    @Test func aBackupOfAQuietDatabaseHasEveryRowOfEveryTable() async throws {
        let store = try await WebTests.filledStore()
        let copy = try TestSupport.temporaryDirectory().appendingPathComponent("copy.sqlite").path
        _ = try SQLiteBackup.copy(from: store.path, to: copy)
        let counts = try Self.counts(copy)
        #expect(counts == (try Self.counts(store.path)))
        #expect((counts["papers"] ?? 0) > 200)
    }

    @Test func anExistingFileIsKeptUnlessReplacingIsAsked() async throws {
        let store = try await WebTests.filledStore()
        let folder = try TestSupport.temporaryDirectory()
        let copy = folder.appendingPathComponent("copy.sqlite").path
        try Data("precious".utf8).write(to: URL(fileURLWithPath: copy))
        #expect(throws: SQLiteBackup.Failure.destinationExists(copy)) { try SQLiteBackup.copy(from: store.path, to: copy) }
        #expect(try String(contentsOfFile: copy, encoding: .utf8) == "precious")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["copy.sqlite"])

        _ = try SQLiteBackup.copy(from: store.path, to: copy, replacing: true)
        #expect(try Self.counts(copy)["papers"] == (try await store.stats().papers))
    }

    @Test func aMissingSourceIsRefusedWithoutCreatingAnything() throws {
        let folder = try TestSupport.temporaryDirectory()
        let missing = folder.appendingPathComponent("none.sqlite").path
        let copy = folder.appendingPathComponent("copy.sqlite").path
        #expect(throws: SQLiteBackup.Failure.sourceMissing(missing)) { try SQLiteBackup.copy(from: missing, to: copy) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func aDatabaseIsNotBackedUpOntoItself() async throws {
        let store = try await WebTests.filledStore()
        let papers = try await store.stats().papers
        #expect(throws: SQLiteBackup.Failure.sameFile(store.path)) { try SQLiteBackup.copy(from: store.path, to: store.path, replacing: true) }
        #expect(try await store.stats().papers == papers)
    }
}
