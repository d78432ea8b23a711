/// How "For you" shows all of a reader's interests at once: a fair merge.
/// The interests take turns, in their order; on its turn each adds its best
/// paper not shown yet (a paper two interests share is shown once, for the
/// first to reach it, and the other adds its next). So every interest has
/// one pick in each round, and a small interest is never drowned by a large
/// one, whatever their models' scores (which do not compare across models).
public enum InterestBlend {
    /// At most `limit` entries of `lists` (each best first), with the index of the list each came from.
    public static func merge<Item>(_ lists: [[Item]], limit: Int, id: (Item) -> String) -> [(list: Int, item: Item)] {
        var merged: [(list: Int, item: Item)] = [], taken: Set<String> = []
        var next = [Int](repeating: 0, count: lists.count)
        var added = true
        while added && merged.count < limit {
            added = false
            for (list, items) in lists.enumerated() where merged.count < limit {
                while next[list] < items.count, taken.contains(id(items[next[list]])) { next[list] += 1 }
                guard next[list] < items.count else { continue }
                let item = items[next[list]]
                taken.insert(id(item))
                merged.append((list, item))
                next[list] += 1
                added = true
            }
        }
        return merged
    }
}
