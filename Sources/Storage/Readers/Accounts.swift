import Foundation

/// What a signed-in person may do beyond reading and writing their own things.
public enum Role: String, Sendable, Codable, CaseIterable {
    /// Upvotes, submits, comments, collects.
    case reader
    /// Also hides other readers' comments.
    case moderator
    /// Also changes roles and runs the site.
    case admin

    public var canModerate: Bool { self != .reader }
}

public struct User: Sendable, Codable, Equatable {
    public var id: Int
    public var username: String
    public var email: String
    public var emailConfirmed: Bool
    public var role: Role
    public var createdAt: Date
    public init(id: Int, username: String, email: String, emailConfirmed: Bool, role: Role, createdAt: Date) {
        self.id = id; self.username = username; self.email = email
        self.emailConfirmed = emailConfirmed; self.role = role; self.createdAt = createdAt
    }
}

/// What a login attempt is checked against. Only the store and the login
/// code see the password hash.
public struct UserCredentials: Sendable {
    public var user: User
    public var passwordHash: String
    /// While set and in the future, every login is refused (too many wrong passwords).
    public var lockedUntil: Date?
}

/// A signed-in browser. The cookie holds a random secret; the store keeps
/// only its SHA-256, so a copy of the database cannot be used to sign in.
public struct Session: Sendable {
    public var user: User
    /// The token every state-changing form of this session must carry.
    public var csrfToken: String
    public var expiresAt: Date
}

/// A personal API token, as listed to its owner (the secret is shown once, at creation).
public struct APIToken: Sendable, Codable, Equatable {
    public var id: Int
    public var name: String
    /// The first characters of the secret, so the owner can tell tokens apart.
    public var prefix: String
    public var createdAt: Date
    public var lastUsedAt: Date?
}

/// Why a one-time token (sent by mail) exists.
public enum OneTimePurpose: String, Sendable {
    case passwordReset = "password_reset"
    case confirmEmail = "confirm_email"
}
