import Foundation

extension InMemoryStore: PrivateFeedStore {
    public func privateFeedTokenHash(userID: Int) async throws -> String? { privateFeedTokenHashes[userID] }

    public func setPrivateFeedTokenHash(_ hash: String?, userID: Int, now: Date) async throws {
        guard users[userID] != nil else { return }
        privateFeedTokenHashes[userID] = hash
    }
}
