import Foundation
import QuireCore
@testable import Storage
import Testing

/// SQLite work runs on threads of the store's own, never on Swift's
/// cooperative pool: a write waiting for the database lock must not hold up
/// reads or any other async work.
@Suite struct StoreThreadsTests {
    @Test func writesWaitingForTheLockHoldUpNoReadsAndNoAsyncWork() async throws {
        let store = try TestSupport.temporaryStore()
        _ = try await store.upsert([Paper(id: "2410.00001", title: "Held", abstract: "a")])
        // Queued writes wait for the lock as long as a loaded test machine
        // needs (not SQLite's 5 s): what this test checks is order, not speed.
        try await store.write { try $0.execute("PRAGMA busy_timeout = 60000") }

        // Another connection (another process, say) holds the write lock...
        let blocker = try SQLiteConnection(path: store.path)
        try blocker.execute("BEGIN IMMEDIATE")
        // ...while more writes than the cooperative pool has threads queue up
        // behind it. Run on the pool, each would block a thread until SQLite's
        // busy timeout, and nothing below could run before then.
        let writers = ProcessInfo.processInfo.activeProcessorCount * 4
        let writes = (0..<writers).map { i in
            Task { try await store.upsert([Paper(id: String(format: "2410.%05d", 100 + i), title: "Queued \(i)", abstract: "b")]) }
        }
        try await Task.sleep(for: .milliseconds(50)) // let them reach the lock

        // Reads and plain async work go on meanwhile.
        for _ in 0..<writers {
            #expect(try await store.stats().papers == 1)
            #expect(try await store.paper(id: "2410.00001")?.title == "Held")
        }
        let sum = await withTaskGroup(of: Int.self) { group in
            for i in 0..<(writers * 4) { group.addTask { i } }
            return await group.reduce(0, +)
        }
        #expect(sum == (0..<(writers * 4)).reduce(0, +))

        // Released, every queued write lands.
        try blocker.execute("COMMIT")
        for write in writes { #expect(try await write.value == [.inserted]) }
        #expect(try await store.stats().papers == 1 + writers)
    }

    /// What `/metrics` reports as the database's use (`quire_db_*`).
    @Test func connectionUseCountsQueuedWritesAndOpenReaders() async throws {
        let store = try TestSupport.temporaryStore()
        #expect(store.connectionUse == .init(readsRunning: 0, readsQueued: 0, readerConnections: 0, writesQueued: 0))
        _ = try await store.stats()
        #expect(store.connectionUse == .init(readsRunning: 0, readsQueued: 0, readerConnections: 1, writesQueued: 0))

        // One write holds the writer; a second waits behind it.
        let gate = DispatchSemaphore(value: 0)
        let held = Task { try await store.write { _ in gate.wait() } }
        let waiting = Task { try await store.write { _ in } }
        while store.connectionUse.writesQueued < 2 { try await Task.sleep(for: .milliseconds(1)) }
        gate.signal()
        try await held.value
        try await waiting.value
        #expect(store.connectionUse.writesQueued == 0)
    }
}
