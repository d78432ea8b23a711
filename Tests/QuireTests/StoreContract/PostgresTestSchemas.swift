import Foundation
import Logging
import PostgresStorage
import Testing

/// Gives each contract test case its own PostgreSQL schema, and drops it when
/// the case ends: test cases run in parallel against one server without
/// seeing each other's rows, and the server is left as it was. A suite whose
/// tests take `StoreImplementation` carries the trait (`@Suite(.postgresSchemas)`).
struct PostgresTestSchemas: SuiteTrait, TestTrait, TestScoping {
    /// The server the tests use, from QUIRE_TEST_POSTGRES_URL (nil: PostgreSQL is left out).
    static let address: PostgresAddress? = ProcessInfo.processInfo.environment["QUIRE_TEST_POSTGRES_URL"].flatMap(PostgresAddress.init)

    /// The stores one test case opened, closed with it.
    final class Opened: @unchecked Sendable {
        // Guarded by `lock`: a test may open stores from several tasks.
        private let lock = NSLock()
        private var stores: [(store: PostgresStore, run: Task<Void, Never>)] = []

        func add(_ store: PostgresStore, run: Task<Void, Never>) {
            lock.withLock { stores.append((store, run)) }
        }

        func closeAll() async {
            let all = lock.withLock { defer { stores = [] }; return stores }
            for opened in all {
                // In a task of its own: a cancelled test case (an implementation
                // that lacks a protocol is cancelled, see StoreImplementation)
                // would cancel the drop too.
                let store = opened.store
                _ = await Task { try? await store.dropSchema() }.value
                opened.run.cancel()
                await opened.run.value
            }
        }
    }

    @TaskLocal static var opened: Opened?

    var isRecursive: Bool { true }

    /// Each test case gets its own scope (not the suite, nor a parameterized test as a whole).
    func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        testCase == nil ? nil : self
    }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let opened = Opened()
        do {
            try await Self.$opened.withValue(opened) { try await function() }
        } catch {
            await opened.closeAll()
            throw error
        }
        await opened.closeAll()
    }

    /// A migrated store in a new schema (or in `schema`, a second store over
    /// another's tables), its pool running until the test case ends.
    static func makeStore(schema: String? = nil, maximumConnections: Int = 8) async throws -> PostgresStore {
        guard let address else { throw Failure.noServer }
        guard let opened else { throw Failure.noTrait }
        let schema = schema ?? "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        // Errors only: the first queries of a test may ask for a connection a
        // moment before `run()` starts, which the client warns about (they wait).
        var logger = Logger(label: "quire.postgres.test")
        logger.logLevel = .error
        let store = try PostgresStore(address: address, searchPath: schema, maximumConnections: maximumConnections, logger: logger)
        let run = Task { await store.run() }
        opened.add(store, run: run)
        try await store.migrate()
        return store
    }

    enum Failure: Error, CustomStringConvertible {
        case noServer, noTrait
        var description: String {
            switch self {
            case .noServer: "QUIRE_TEST_POSTGRES_URL is not a postgres:// address"
            case .noTrait: "the suite needs the .postgresSchemas trait to give each test a schema"
            }
        }
    }
}

extension Trait where Self == PostgresTestSchemas {
    /// Each test case of the suite gets a PostgreSQL schema of its own, dropped at its end.
    static var postgresSchemas: Self { PostgresTestSchemas() }
}
