import Foundation

/// The vectors of recently searched texts, so a repeated search (the next
/// page, a feed reader polling `/feeds/search`, a popular query) does not run
/// the model again. Least recently used entries go first.
final class QueryEmbeddingCache: @unchecked Sendable { // `lock` guards `entries` and `clock`
    let capacity: Int
    private var entries: [String: (vector: [Float], lastUse: UInt64)] = [:]
    private var clock: UInt64 = 0
    private let lock = NSLock()

    init(capacity: Int) { self.capacity = capacity }

    /// The cached vector of `text`, or the one `embed` makes, which is then cached.
    func vector(for text: String, embed: (String) -> [Float]) -> [Float] {
        if let hit = lock.withLock({ () -> [Float]? in
            guard let entry = entries[text] else { return nil }
            clock += 1
            entries[text]!.lastUse = clock
            return entry.vector
        }) { return hit }
        let vector = embed(text) // outside the lock: other searches need not wait for the model
        lock.withLock {
            guard capacity > 0 else { return }
            // Finding the oldest is a scan, but of a few hundred entries, on a miss that just ran the model.
            if entries.count >= capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
                entries[oldest] = nil
            }
            clock += 1
            entries[text] = (vector, clock)
        }
        return vector
    }
}
