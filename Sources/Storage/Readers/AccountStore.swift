import Foundation

/// People, their sessions, tokens and one-time links. Secrets never reach the
/// store in the clear: callers pass SHA-256 hashes of tokens and bcrypt
/// hashes of passwords.
public protocol AccountStore: Sendable {
    /// Throws `Refusal.conflict("username")` / `("email")` when taken.
    func createUser(username: String, email: String, passwordHash: String, role: Role, now: Date) async throws -> User
    func user(id: Int) async throws -> User?
    func user(username: String) async throws -> User?
    /// By username or email, for logging in.
    func credentials(login: String) async throws -> UserCredentials?
    /// Counts a wrong password; after `lockAfter` in a row the account is
    /// locked until `now + lockFor`. Returns the lock's end if it is locked.
    func recordFailedLogin(userID: Int, now: Date, lockAfter: Int, lockFor: TimeInterval) async throws -> Date?
    func recordSuccessfulLogin(userID: Int) async throws
    /// Sets a new password and ends every session but `keepingSession`.
    func setPassword(userID: Int, passwordHash: String, keepingSession: String?) async throws
    /// A password set through a mailed reset link: the old password, and anything
    /// it may have let someone make, stop working at once. Sets the password,
    /// lifts a lock, ends every session, revokes every API token and spends
    /// every other reset link, in one transaction.
    func resetPassword(userID: Int, passwordHash: String, now: Date) async throws
    func setRole(userID: Int, role: Role) async throws
    func confirmEmail(userID: Int) async throws
    /// Removes the account and everything it owns; its upvotes stop counting.
    func deleteUser(id: Int) async throws

    func createSession(tokenHash: String, userID: Int, csrfToken: String, now: Date, expiresAt: Date) async throws
    /// The live session with this hash, or nil if unknown or expired.
    func session(tokenHash: String, now: Date) async throws -> Session?
    func deleteSession(tokenHash: String) async throws

    func createAPIToken(userID: Int, name: String, tokenHash: String, prefix: String, now: Date) async throws -> APIToken
    func apiTokens(userID: Int) async throws -> [APIToken]
    /// False when the user has no such token.
    func revokeAPIToken(userID: Int, id: Int) async throws -> Bool
    /// The token's owner, recording the use.
    func user(apiTokenHash: String, now: Date) async throws -> User?

    func createOneTimeToken(tokenHash: String, userID: Int, purpose: OneTimePurpose, now: Date, expiresAt: Date) async throws
    /// The user the token was made for, if it is unused and unexpired; it is
    /// used up by this call, so a link works once.
    func consumeOneTimeToken(tokenHash: String, purpose: OneTimePurpose, now: Date) async throws -> Int?
}
