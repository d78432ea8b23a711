/// How "For you" shows all of a reader's interests at once: a fair merge.
/// The interests take turns, in their order: the best pick of each, then the
/// second best of each, and so on; a paper two interests share is shown once,
/// for the first that reaches it. So a small interest is never drowned by a
/// large one, whatever their models' scores (which do not compare across models).
enum InterestBlend {
    /// At most `limit` entries of `lists` (each best first), with the index of the list each came from.
    static func merge<Item>(_ lists: [[Item]], limit: Int, id: (Item) -> String) -> [(list: Int, item: Item)] {
        var merged: [(list: Int, item: Item)] = [], taken: Set<String> = []
        let deepest = lists.map(\.count).max() ?? 0
        for rank in 0..<deepest {
            for (list, items) in lists.enumerated() where rank < items.count && merged.count < limit {
                if taken.insert(id(items[rank])).inserted { merged.append((list, items[rank])) }
            }
            if merged.count >= limit { break }
        }
        return merged
    }
}
