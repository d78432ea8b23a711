import Foundation
import Storage
import Testing

/// Every implementation of the store protocols. Each contract test takes one
/// as its argument (`@Test(arguments: StoreImplementation.allCases)`), so a
/// test written once runs against each, and a new database (PostgreSQL) joins
/// by adding a case here.
enum StoreImplementation: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// A fresh, migrated SQLite file.
    case sqlite
    case inMemory

    func make() throws -> any QuireStore {
        switch self {
        case .sqlite: try TestSupport.temporaryStore()
        case .inMemory: InMemoryStore()
        }
    }

    var testDescription: String { rawValue }
}
