import Crypto
import Foundation
import QuireCore
import Storage

/// The private feed link: the reader's "For you" picks for a feed reader
/// that cannot log in, at an address holding a secret token. The rules:
///
/// - a token is "<user id>.<32 random bytes, base64url>", shown to the
///   reader once, when made; the store keeps only its SHA-256;
/// - a token opens the feed when its hash equals the one kept for the user
///   id it names, compared in constant time (the id picks the row, so no
///   lookup by a guessed secret);
/// - making a new token ("Reset the link") replaces the old, which stops
///   working at once; removing it leaves none.
public struct PrivateFeedActions: Sendable {
    let store: any PrivateFeedStore & AccountStore
    let now: @Sendable () -> Date

    public init(store: any PrivateFeedStore & AccountStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store; self.now = now
    }

    /// Makes the reader a new token, replacing any old one, and returns it (the only time it is seen).
    public func reset(for user: User) async throws -> String {
        let token = "\(user.id)." + SecretText.random()
        try await store.setPrivateFeedTokenHash(Self.hash(token), userID: user.id, now: now())
        return token
    }

    /// Whether the reader has a link (its token cannot be shown again).
    public func hasLink(_ user: User) async throws -> Bool {
        try await store.privateFeedTokenHash(userID: user.id) != nil
    }

    public func remove(for user: User) async throws {
        try await store.setPrivateFeedTokenHash(nil, userID: user.id, now: now())
    }

    /// The reader whose feed `token` opens; nil for anything else (malformed, unknown, reset).
    public func reader(token: String) async throws -> User? {
        guard token.utf8.count <= 200, let dot = token.firstIndex(of: "."),
              let userID = Int(token[..<dot]), userID > 0,
              let kept = try await store.privateFeedTokenHash(userID: userID),
              SecretText.constantTimeEqual(kept, Self.hash(token)) else { return nil }
        return try await store.user(id: userID)
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
