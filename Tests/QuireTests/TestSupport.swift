import Foundation
import Storage

/// Paths and throwaway databases shared by the tests.
enum TestSupport {
    /// The repository root (this file is Tests/QuireTests/TestSupport.swift).
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// `../shared` beside the repository: real data and recorded responses.
    static let shared = repoRoot.deletingLastPathComponent().appendingPathComponent("shared")

    static func sharedFile(_ relative: String) -> URL { shared.appendingPathComponent(relative) }

    /// A fresh directory under the system temp folder.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("quire-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A new, migrated SQLite database in its own temp folder.
    static func temporaryStore() throws -> SQLiteStore {
        try SQLiteStore(path: temporaryDirectory().appendingPathComponent("quire.sqlite").path)
    }
}
