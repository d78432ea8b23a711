import Foundation

/// A bounded cache whose entries are valid for one store change generation
/// (`ChangeTracking`): when a newer generation is asked for, everything made
/// for older ones is dropped at once, so nothing outlives the write that made
/// it stale.
///
/// - Bounded in entries and in bytes (each value's `cost`); the least recently
///   used entries go first.
/// - Concurrent misses for one key wait for the first one's computation
///   instead of each running it (32 readers arriving after an upvote cost one
///   query). The computation runs in the first caller's task, so it may use
///   what only that task holds (a middleware's `next`).
/// - Only what `keep` accepts is kept (not errors, not a 404); callers that
///   waited for something not kept compute their own.
/// - `hits` and `misses` are counted, for tests.
final class GenerationCache<Value: Sendable>: @unchecked Sendable { // lock: every var
    struct Limits: Sendable {
        var entries: Int
        var bytes: Int
    }

    let limits: Limits
    private let cost: @Sendable (Value) -> Int
    private let lock = NSLock()
    private var generation: UInt64 = 0
    private var entries: [String: Entry] = [:]
    /// Computations under way, by key.
    private var flights: [String: Flight] = [:]
    private var bytes = 0
    private var clock: UInt64 = 0
    private var counts = (hits: 0, misses: 0)

    private struct Entry {
        var value: Value
        var cost: Int
        var lastUse: UInt64
    }

    init(limits: Limits, cost: @escaping @Sendable (Value) -> Int) {
        self.limits = limits
        self.cost = cost
    }

    var hits: Int { lock.withLock { counts.hits } }
    var misses: Int { lock.withLock { counts.misses } }
    var count: Int { lock.withLock { entries.count } }
    var totalBytes: Int { lock.withLock { bytes } }

    /// The value for `key` made in `generation`, computing it if there is none.
    /// A nil generation (the store cannot tell what changed) caches nothing.
    func value(_ key: String, generation: UInt64?, keep: (Value) -> Bool = { _ in true },
               compute: () async throws -> Value) async throws -> Value {
        guard let generation else { return try await compute() }
        let found: Found = lock.withLock {
            moveOn(to: generation)
            if var entry = entries[key] {
                counts.hits += 1
                clock += 1
                entry.lastUse = clock
                entries[key] = entry
                return .kept(entry.value)
            }
            counts.misses += 1
            if let flight = flights[key], flight.generation == generation { return .underWay(flight) }
            let flight = Flight(generation: generation)
            flights[key] = flight
            return .mine(flight)
        }
        switch found {
        case .kept(let value):
            return value
        case .underWay(let flight):
            if let value = await flight.outcome() { return value }
            return try await compute()
        case .mine(let flight):
            do {
                let value = try await compute()
                let kept = keep(value)
                lock.withLock {
                    if flights[key] === flight { flights[key] = nil }
                    if kept { store(value, for: key, generation: generation) }
                }
                flight.finish(kept ? value : nil)
                return value
            } catch {
                lock.withLock { if flights[key] === flight { flights[key] = nil } }
                flight.finish(nil)
                throw error
            }
        }
    }

    private enum Found {
        case kept(Value)
        case underWay(Flight)
        case mine(Flight)
    }

    /// Drops everything made for older generations. Generations only grow; a
    /// late answer for an older one is never kept (see `store`).
    private func moveOn(to generation: UInt64) {
        guard generation > self.generation else { return }
        self.generation = generation
        entries.removeAll()
        bytes = 0
    }

    private func store(_ value: Value, for key: String, generation: UInt64) {
        let size = cost(value)
        guard generation == self.generation, size <= limits.bytes, limits.entries > 0 else { return }
        if let old = entries[key] { bytes -= old.cost }
        clock += 1
        entries[key] = Entry(value: value, cost: size, lastUse: clock)
        bytes += size
        while entries.count > limits.entries || bytes > limits.bytes {
            guard let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) else { break }
            entries[oldest.key] = nil
            bytes -= oldest.value.cost
        }
    }

    /// One computation under way, and the callers waiting for it.
    private final class Flight: @unchecked Sendable { // lock: result, waiters
        let generation: UInt64
        private let lock = NSLock()
        private var result: Value??
        private var waiters: [CheckedContinuation<Value?, Never>] = []

        init(generation: UInt64) { self.generation = generation }

        /// The value computed, or nil when it was not kept (an error, a 404).
        func outcome() async -> Value? {
            await withCheckedContinuation { continuation in
                let done: Value?? = lock.withLock {
                    if result == nil { waiters.append(continuation) }
                    return result
                }
                if let done { continuation.resume(returning: done) }
            }
        }

        func finish(_ value: Value?) {
            let waiting: [CheckedContinuation<Value?, Never>] = lock.withLock {
                result = .some(value)
                defer { waiters = [] }
                return waiters
            }
            for waiter in waiting { waiter.resume(returning: value) }
        }
    }
}
