import Foundation

extension InMemoryStore: InterestStore {
    public func setCollectionInterest(id: Int, on: Bool, now: Date, ifFewerThan cap: Int) async throws -> FeedSignalWrite {
        guard let collection = collections[id] else { throw Refusal.notFound("there is no collection \(id)") }
        guard on else {
            interestCollections.remove(id)
            return .saved
        }
        if interestCollections.contains(id) { return .saved }
        let kept = interestCollections.filter { collections[$0]?.userID == collection.userID }.count
        if kept >= cap { return .capReached(kept) }
        interestCollections.insert(id)
        return .saved
    }

    public func collectionInterests(userID: Int) async throws -> [CollectionInterest] {
        // A deleted collection's id may linger in the set: it names nothing, so it is not listed.
        interestCollections.compactMap { collections[$0] }.filter { $0.userID == userID }
            .sorted { ($0.name, $0.id) < ($1.name, $1.id) }
            .map { collection in
                let papers = collection.entries.compactMap { id, entry in self.papers[id].map { (id, entry.addedAt, $0.seq) } }
                    .sorted { ($0.1, $0.2) < ($1.1, $1.2) }.map(\.0)
                return CollectionInterest(collectionID: collection.id, name: collection.name, paperIDs: papers)
            }
    }
}
