import Foundation
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

    var testDescription: String { rawValue }
}
