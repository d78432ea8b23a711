import Foundation
import PostgresStorage
import Storage
import Testing

/// Every implementation of the store protocols. Each contract test takes one
/// as its argument (`@Test(arguments: StoreImplementation.allCases)`), so a
/// test written once runs against each, and a new database joins by adding a
/// case here.
enum StoreImplementation: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// A fresh, migrated SQLite file.
    case sqlite
    case inMemory
    /// A fresh schema in the PostgreSQL at `QUIRE_TEST_POSTGRES_URL`
    /// (scripts/postgres.sh), dropped after the test; only when it is set.
    case postgres

    static var allCases: [StoreImplementation] {
        PostgresTestSchemas.address == nil ? [.sqlite, .inMemory] : [.sqlite, .inMemory, .postgres]
    }

    /// The store as `Store`, the protocols the test uses (`(any AccountStore).self`).
    /// When this implementation does not implement them all yet (PostgresStore
    /// implements only some: see its comment), the test case is cancelled,
    /// which reports it skipped with the reason, rather than failing.
    func make<Store>(as: Store.Type = (any QuireStore).self) async throws -> Store {
        let store: Any = switch self {
        case .sqlite: try TestSupport.temporaryStore()
        case .inMemory: InMemoryStore()
        case .postgres: try await PostgresTestSchemas.makeStore()
        }
        guard let typed = store as? Store else {
            try Test.cancel("\(rawValue) does not implement \(Store.self) yet")
        }
        return typed
    }

    /// Another store over the same data, as another process (a `quire import`
    /// beside the server, a second server) opens it. The in-memory store has
    /// no other process: the test case is cancelled.
    func another<Store>(like store: Store) async throws -> Store {
        var other: Any?
        if let sqlite = store as? SQLiteStore { other = try SQLiteStore(path: sqlite.path) }
        if let postgres = store as? PostgresStore { other = try await PostgresTestSchemas.makeStore(schema: postgres.schema) }
        guard let typed = other as? Store else { try Test.cancel("\(rawValue) has no second process to open its data") }
        return typed
    }

    var testDescription: String { rawValue }
}

/// What a search over a store needs of it: papers, filters and the text feed
/// Search's keyword index follows.
typealias SearchableStore = PaperStore & SearchIndexStore & PaperTextFeed
