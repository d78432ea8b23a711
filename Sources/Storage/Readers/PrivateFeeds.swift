import Foundation

/// The reader's private feed link (their "For you" picks for a feed reader
/// that cannot log in): only the SHA-256 of its secret is kept, so a copy of
/// the database does not open anyone's feed. The rules (making the token,
/// checking it in constant time) are `PrivateFeedActions`'.
public protocol PrivateFeedStore: Sendable {
    /// The hash of the reader's current token, nil when they have none.
    func privateFeedTokenHash(userID: Int) async throws -> String?
    /// Replaces the reader's token hash (nil removes it): the old link stops working at once.
    func setPrivateFeedTokenHash(_ hash: String?, userID: Int, now: Date) async throws
}
