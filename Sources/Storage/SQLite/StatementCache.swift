import CSQLite

/// A connection's prepared statements by SQL text, at most `capacity` of
/// them: when a new text arrives with the cache full, the least recently used
/// idle statement is finalized. SQL built from input (a list's length, say)
/// therefore costs a prepare, never unbounded memory. A statement that is
/// running (a query whose row handler runs other queries) is never evicted,
/// and running the same text again inside it gets a fresh statement.
struct StatementCache {
    static let defaultCapacity = 256

    let capacity: Int
    private var entries: [String: Entry] = [:]
    private var clock: UInt64 = 0

    private struct Entry {
        let statement: OpaquePointer
        var lastUse: UInt64
        var inUse: Bool
    }

    init(capacity: Int = StatementCache.defaultCapacity) { self.capacity = max(1, capacity) }

    var count: Int { entries.count }

    /// The cached statement for `sql`, now marked in use; nil when there is
    /// none or it is in use already.
    mutating func checkOut(_ sql: String) -> OpaquePointer? {
        guard var entry = entries[sql], !entry.inUse else { return nil }
        clock &+= 1
        entry.lastUse = clock
        entry.inUse = true
        entries[sql] = entry
        return entry.statement
    }

    /// Keeps a freshly prepared `statement` for `sql`, marked in use, making
    /// room if needed. False when it cannot be kept (the text is cached and
    /// in use, or every cached statement is): the caller finalizes it after use.
    mutating func admit(_ sql: String, _ statement: OpaquePointer) -> Bool {
        guard entries[sql] == nil else { return false }
        if entries.count >= capacity {
            var victim: (sql: String, entry: Entry)?
            for (sql, entry) in entries where !entry.inUse && entry.lastUse < (victim?.entry.lastUse ?? .max) {
                victim = (sql, entry)
            }
            guard let victim else { return false }
            sqlite3_finalize(victim.entry.statement)
            entries[victim.sql] = nil
        }
        clock &+= 1
        entries[sql] = Entry(statement: statement, lastUse: clock, inUse: true)
        return true
    }

    /// Marks the statement for `sql` idle again (after it was reset).
    mutating func checkIn(_ sql: String) {
        entries[sql]?.inUse = false
    }

    /// Finalizes every statement (when the connection closes).
    mutating func finalizeAll() {
        for entry in entries.values { sqlite3_finalize(entry.statement) }
        entries.removeAll()
    }
}
