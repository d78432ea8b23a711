/// The k largest scores seen, kept in a min-heap (the smallest on top, to
/// evict): how the vector and keyword indexes pick their best k without
/// sorting every score. Inlinable so it is specialised in their inner loops.
public struct TopK<Score: Comparable> {
    public let k: Int
    @usableFromInline var items: [(index: Int, score: Score)] = []

    @inlinable
    public init(k: Int) { self.k = k; items.reserveCapacity(k) }

    @inlinable
    public func wouldAccept(_ score: Score) -> Bool { k > 0 && (items.count < k || score > items[0].score) }

    @inlinable
    public mutating func insert(_ index: Int, _ score: Score) {
        guard k > 0 else { return }
        if items.count < k {
            items.append((index, score))
            var child = items.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard items[child].score < items[parent].score else { break }
                items.swapAt(child, parent); child = parent
            }
        } else if score > items[0].score {
            items[0] = (index, score)
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < items.count, items[left].score < items[smallest].score { smallest = left }
                if right < items.count, items[right].score < items[smallest].score { smallest = right }
                if smallest == parent { break }
                items.swapAt(parent, smallest); parent = smallest
            }
        }
    }

    /// Best first; equal scores in the order of their indexes.
    @inlinable
    public func sortedDescending() -> [(index: Int, score: Score)] {
        items.sorted { $0.score != $1.score ? $0.score > $1.score : $0.index < $1.index }
    }
}
