import Foundation
import QuireCore
import Storage
import Testing

/// What every `ChangeTracking` store keeps true: its own writes move the
/// generation at once, another process's within the poll interval, and reads
/// never (or nothing could be cached).
@Suite(.postgresSchemas) struct ChangeTrackingContract {
    typealias Store = PaperStore & AccountStore & SignalStore & ChangeTracking

    /// The generation `store` reports once it differs from `old`, asking as
    /// a request would, for up to 10 s (the poll interval is half a second;
    /// a loaded machine may take longer to get there).
    static func generation(of store: any Store, movedFrom old: UInt64?) async throws -> UInt64? {
        for _ in 0..<100 {
            let now = await store.changeGeneration()
            if now != old { return now }
            try await Task.sleep(for: .milliseconds(100))
        }
        return old
    }

    @Test(arguments: StoreImplementation.allCases)
    func writesMoveTheGenerationHereAtOnceAndElsewhereSoon(_ implementation: StoreImplementation) async throws {
        let here = try await implementation.make(as: (any Store).self)
        let elsewhere = try await implementation.another(like: here)
        let before = try #require(await here.changeGeneration())
        let elsewhereBefore = try #require(await elsewhere.changeGeneration())

        _ = try await here.upsert([Paper(id: "2410.00001", title: "New", abstract: "Just imported.")])
        #expect(try #require(await here.changeGeneration()) != before, "our own write: at once")
        #expect(try await Self.generation(of: elsewhere, movedFrom: elsewhereBefore) != elsewhereBefore, "another process's: within the poll interval")

        // Writers on both sides at once: the other side hears of them after the last one too.
        let reader = try await here.createUser(username: "ada", email: "ada@example.org", passwordHash: "x", role: .reader, now: Date())
        let settledHere = await Self.settled(here), settledElsewhere = await Self.settled(elsewhere)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<10 {
                let store = i.isMultiple(of: 2) ? here : elsewhere
                group.addTask { _ = try await store.upsert([Paper(id: String(format: "2410.%05d", 100 + i), title: "Paper \(i)", abstract: "x")]) }
            }
            group.addTask { _ = try await elsewhere.setUpvote(userID: reader.id, paperID: "2410.00001", on: true, now: Date()) }
            try await group.waitForAll()
        }
        #expect(try await Self.generation(of: here, movedFrom: settledHere) != settledHere)
        #expect(try await Self.generation(of: elsewhere, movedFrom: settledElsewhere) != settledElsewhere)

        // Reads alone leave it where it is, however often it is asked.
        let quiet = await Self.settled(elsewhere)
        for _ in 0..<3 {
            _ = try await elsewhere.paper(id: "2410.00001")
            _ = try await elsewhere.upvotedPaperIDs(userID: reader.id, among: ["2410.00001"])
            try await Task.sleep(for: .milliseconds(300))
            #expect(await elsewhere.changeGeneration() == quiet)
        }
    }

    /// The generation once every write so far has been heard of: two answers
    /// a poll interval and more apart that agree.
    static func settled(_ store: any Store) async -> UInt64? {
        var last = await store.changeGeneration()
        for _ in 0..<20 {
            try? await Task.sleep(for: .milliseconds(600))
            let now = await store.changeGeneration()
            if now == last { return now }
            last = now
        }
        return last
    }
}
