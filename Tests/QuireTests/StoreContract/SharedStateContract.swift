import Foundation
import PostgresStorage
import QuireCore
import Storage
import Testing
@testable import Web

/// What several servers on one database must agree on: rate-limit windows,
/// login lockouts, sessions with their CSRF tokens, the unsubscribe secret,
/// and jobs only one server runs at a time. Each PostgreSQL test opens two
/// `PostgresStore`s over the same schema, as two `quire serve` processes do.
@Suite(.postgresSchemas) struct SharedStateContract {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    /// The implementations of the coordination protocols: the in-memory ones
    /// (one process, SQLite's servers) and PostgreSQL when it is there.
    static var coordinations: [StoreImplementation] { StoreImplementation.allCases.filter { $0 != .sqlite } }

    /// Two views of the same counters: two stores over one schema for
    /// PostgreSQL; the same object for the in-memory ones (one process).
    static func twoServers(_ implementation: StoreImplementation) async throws -> (any RateWindows & ExclusiveJobs, any RateWindows & ExclusiveJobs) {
        switch implementation {
        case .postgres:
            let first = try await PostgresTestSchemas.makeStore()
            return (first, try await PostgresTestSchemas.makeStore(schema: first.schema))
        default:
            let local = InMemoryCoordination()
            return (local, local)
        }
    }

    @Test(arguments: coordinations)
    func aWindowCountsHitsAndStartsAgainWhenItEnds(_ implementation: StoreImplementation) async throws {
        let (windows, _) = try await Self.twoServers(implementation)
        for expected in 1...3 {
            let hit = try await windows.countHit("login-ip:203.0.113.9", length: 60, now: Self.now.addingTimeInterval(Double(expected)))
            #expect(hit == RateWindowCount(count: expected, ends: Self.now.addingTimeInterval(61)))
        }
        #expect(try await windows.countHit("other", length: 60, now: Self.now).count == 1)
        // At the end of the window a new one starts, from the hit that found it ended.
        let later = Self.now.addingTimeInterval(61)
        #expect(try await windows.countHit("login-ip:203.0.113.9", length: 60, now: later) == RateWindowCount(count: 1, ends: later.addingTimeInterval(60)))
        // Long keys are cut to their first 256 bytes, on every store alike.
        let long = String(repeating: "k", count: 10_000)
        #expect(try await windows.countHit(long, length: 60, now: Self.now).count == 1)
        #expect(try await windows.countHit(long + "tail", length: 60, now: Self.now).count == 2)
    }

    @Test(arguments: coordinations)
    func twoServersCountTheSameKeyOneByOne(_ implementation: StoreImplementation) async throws {
        let (first, second) = try await Self.twoServers(implementation)
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<40 {
                let server = i.isMultiple(of: 2) ? first : second
                group.addTask { try await server.countHit("write-addr:198.51.100.7", length: 60, now: Self.now).count }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(counts.sorted() == Array(1...40))
    }

    @Test(arguments: coordinations)
    func aLimitCountsRequestsToEitherServer(_ implementation: StoreImplementation) async throws {
        let (first, second) = try await Self.twoServers(implementation)
        let gates = [first, second].map { Gate(rateWindows: $0, security: SecurityConfig(), now: { Self.now }) }
        for i in 0..<3 { try await gates[i % 2].limit("login-ip:192.0.2.1", RateLimit(3, per: 60)) }
        await #expect(throws: RateLimited.self) { try await gates[1].limit("login-ip:192.0.2.1", RateLimit(3, per: 60)) }
        await #expect(throws: RateLimited.self) { try await gates[0].limit("login-ip:192.0.2.1", RateLimit(3, per: 60)) }
    }

    @Test(arguments: coordinations)
    func aJobRunsOnOneServerAtATime(_ implementation: StoreImplementation) async throws {
        let (first, second) = try await Self.twoServers(implementation)
        let (started, startedNow) = AsyncStream.makeStream(of: Void.self)
        let (release, releaseNow) = AsyncStream.makeStream(of: Void.self)
        let holder = Task {
            try await first.runAlone("harvest") {
                startedNow.yield()
                for await _ in release { break }
                return "first"
            }
        }
        for await _ in started { break }
        #expect(try await second.runAlone("harvest") { "second" } == nil)
        #expect(try await second.runAlone("another job") { "second" } == "second")
        releaseNow.yield()
        #expect(try await holder.value == "first")
        #expect(try await second.runAlone("harvest") { "second" } == "second")
        // A job that throws lets go of its name too.
        await #expect(throws: CancellationError.self) { try await first.runAlone("harvest") { throw CancellationError() } }
        #expect(try await second.runAlone("harvest") { "after a failure" } == "after a failure")
    }

    // MARK: What the account tables already share

    @Test(.enabled(if: PostgresTestSchemas.address != nil, "needs QUIRE_TEST_POSTGRES_URL")) func wrongPasswordsThroughEitherServerLockTheAccount() async throws {
        let first = try await PostgresTestSchemas.makeStore()
        let second = try await PostgresTestSchemas.makeStore(schema: first.schema)
        let ada = try await first.createUser(username: "ada", email: "ada@example.org", passwordHash: "h", role: .reader, now: Self.now)
        #expect(try await first.recordFailedLogin(userID: ada.id, now: Self.now, lockAfter: 3, lockFor: 60) == nil)
        #expect(try await second.recordFailedLogin(userID: ada.id, now: Self.now, lockAfter: 3, lockFor: 60) == nil)
        #expect(try await first.recordFailedLogin(userID: ada.id, now: Self.now, lockAfter: 3, lockFor: 60) == Self.now.addingTimeInterval(60))
        #expect(try await second.credentials(login: "ada")?.lockedUntil == Self.now.addingTimeInterval(60))
    }

    @Test(.enabled(if: PostgresTestSchemas.address != nil, "needs QUIRE_TEST_POSTGRES_URL")) func aSessionAndItsCSRFTokenWorkOnEitherServer() async throws {
        let first = try await PostgresTestSchemas.makeStore()
        let second = try await PostgresTestSchemas.makeStore(schema: first.schema)
        let ada = try await first.createUser(username: "ada", email: "ada@example.org", passwordHash: "h", role: .reader, now: Self.now)
        try await first.createSession(tokenHash: "s1", userID: ada.id, csrfToken: "csrf-1", now: Self.now, expiresAt: Self.now.addingTimeInterval(3600))
        let session = try #require(try await second.session(tokenHash: "s1", now: Self.now))
        #expect(session.user.id == ada.id && session.csrfToken == "csrf-1")
    }

    @Test(.enabled(if: PostgresTestSchemas.address != nil, "needs QUIRE_TEST_POSTGRES_URL")) func bothServersGetTheSameUnsubscribeSecretEvenWhenTheyAskAtOnce() async throws {
        let first = try await PostgresTestSchemas.makeStore()
        let second = try await PostgresTestSchemas.makeStore(schema: first.schema)
        let secrets = try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<8 {
                let server = i.isMultiple(of: 2) ? first : second
                group.addTask { try await server.secret(named: "unsubscribe") }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(secrets.count == 1)
    }
}

/// The in-memory coordination pieces as one object, as a store would offer them.
final class InMemoryCoordination: RateWindows, ExclusiveJobs {
    let windows = InMemoryRateWindows()
    let jobs = InProcessJobs()

    func countHit(_ key: String, length: TimeInterval, now: Date) async throws -> RateWindowCount {
        await windows.countHit(key, length: length, now: now)
    }

    func runAlone<Result: Sendable>(_ job: String, _ body: @Sendable () async throws -> Result) async throws -> Result? {
        try await jobs.runAlone(job, body)
    }
}
