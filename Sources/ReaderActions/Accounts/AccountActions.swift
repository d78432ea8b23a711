import Foundation
import Mail
import Storage

/// Signing up, logging in and the changes only the account's password
/// allows: every rule about accounts, checked once here for the web pages
/// and the command line. The store only persists.
public struct AccountActions: Sendable {
    /// Wrong passwords in a row before an account is locked, and for how long.
    public struct Lockout: Sendable {
        public var after: Int
        public var duration: TimeInterval
        public init(after: Int, duration: TimeInterval) { self.after = after; self.duration = duration }
        /// For callers that never log anyone in (the command line).
        public static let never = Lockout(after: .max, duration: 0)
    }

    /// What a login attempt comes to.
    public enum LoginOutcome: Sendable, Equatable {
        case signedIn(User)
        /// An unknown name or a wrong password: the same answer for both.
        case refused
        /// The right password, for an account locked until then.
        case locked(until: Date)
    }

    /// The password given to confirm a change is not the account's.
    public struct WrongPassword: Error, Equatable { public init() {} }

    /// Accounts, and what the reader made (for their export).
    let store: any AccountStore & SignalStore & DigestStore
    let hasher: PasswordHasher
    let lockout: Lockout
    let now: @Sendable () -> Date

    public init(store: any AccountStore & SignalStore & DigestStore, hasher: PasswordHasher, lockout: Lockout, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store; self.hasher = hasher; self.lockout = lockout; self.now = now
    }

    /// Creates an account after checking the username, address and password
    /// (`.invalid` naming every rule the form breaks, so the reader fixes
    /// them all at once) and that neither name nor address is taken
    /// (`.conflict`). `emailConfirmed`: made by whoever runs the server.
    public func signUp(username: String, email: String, password: String, role: Role = .reader, emailConfirmed: Bool = false) async throws -> User {
        var problems: [String] = []
        func check<T>(_ rule: () throws -> T) throws -> T? {
            do { return try rule() } catch let refusal as Refusal { problems.append(refusal.description); return nil }
        }
        let username = try check { try Username.validated(username) }
        let address = try check { try Self.emailAddress(email) }
        _ = try check { try Self.checkNewPassword(password) }
        guard let username, let address, problems.isEmpty else { throw Refusal.invalid(problems.joined(separator: " ")) }
        var user = try await store.createUser(username: username, email: address, passwordHash: await hasher.hash(password), role: role, now: now())
        if emailConfirmed {
            try await store.confirmEmail(userID: user.id)
            user.emailConfirmed = true
        }
        return user
    }

    /// An email address as stored (lower case), or `.invalid`.
    public static func emailAddress(_ raw: String) throws -> String {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard text.count <= 254, let address = MailAddress.parse(text), address.isValid else {
            throw Refusal.invalid("'\(text.prefix(80))' is not an email address.")
        }
        return address.address
    }

    /// `.invalid` with the reason when a new password is refused.
    public static func checkNewPassword(_ password: String) throws {
        if let problem = PasswordHasher.problem(with: password) { throw Refusal.invalid(problem) }
    }

    /// An unknown name, a wrong password and a wrong password on a locked
    /// account all cost one bcrypt check at the real cost and get the same
    /// answer, so a stranger learns nothing about who reads here. Only the
    /// right password learns that the account is locked. Wrong passwords
    /// count towards a lock only while the account is not already locked.
    public func logIn(login: String, password: String) async throws -> LoginOutcome {
        let now = now()
        guard let credentials = try await store.credentials(login: login) else {
            await hasher.verifyDecoy(password)
            return .refused
        }
        let lockedUntil = credentials.lockedUntil.flatMap { $0 > now ? $0 : nil }
        guard await hasher.verify(password, hash: credentials.passwordHash) else {
            if lockedUntil == nil {
                _ = try await store.recordFailedLogin(userID: credentials.user.id, now: now, lockAfter: lockout.after, lockFor: lockout.duration)
            }
            return .refused
        }
        if let lockedUntil { return .locked(until: lockedUntil) }
        try await store.recordSuccessfulLogin(userID: credentials.user.id)
        return .signedIn(credentials.user)
    }

    /// Throws `WrongPassword` unless `password` is the account's.
    private func confirm(_ password: String, of user: User) async throws {
        guard let credentials = try await store.credentials(login: user.username),
              await hasher.verify(password, hash: credentials.passwordHash) else { throw WrongPassword() }
    }

    /// A new password, given the current one; every other session ends.
    public func changePassword(of user: User, current: String, new password: String, keepingSession: String?) async throws {
        try await confirm(current, of: user)
        try Self.checkNewPassword(password)
        try await store.setPassword(userID: user.id, passwordHash: await hasher.hash(password), keepingSession: keepingSession)
    }

    /// A password set through a mailed reset link (its SHA-256 `linkHash`).
    /// False when the link was used already or has expired. The old password
    /// may be known to someone else: whatever it let them make (sessions, API
    /// tokens, other reset links) stops working, and a lock their guesses
    /// caused no longer keeps the owner out.
    public func resetPassword(linkHash: String, to password: String) async throws -> Bool {
        try Self.checkNewPassword(password)
        guard let userID = try await store.consumeOneTimeToken(tokenHash: linkHash, purpose: .passwordReset, now: now()) else { return false }
        try await store.resetPassword(userID: userID, passwordHash: await hasher.hash(password), now: now())
        return true
    }

    /// Removes the account and everything it owns, given its password.
    public func deleteAccount(_ user: User, password: String) async throws {
        try await confirm(password, of: user)
        try await store.deleteUser(id: user.id)
    }

    /// Everything Quire holds about the reader, for "download my data":
    /// only ever their own, so the reader is the signed-in user, never an id
    /// from the request.
    public func export(_ user: User) async throws -> ReaderExport {
        var export = try await store.export(userID: user.id, now: now())
        export.digest = try await store.subscription(userID: user.id)
        export.follows = try await store.follows(userID: user.id)
        export.savedSearches = try await store.savedSearches(userID: user.id)
        export.deliveries = try await store.deliveries(userID: user.id)
        export.defaultCategories = try await store.defaultCategories(userID: user.id)
        // Every store `quire serve` runs on keeps feed signals; a command
        // over a store that does not yet (PostgreSQL) still exports the rest.
        if let feedSignals = store as? any FeedSignalStore {
            export.feedSignals = try await feedSignals.feedSignals(userID: user.id)
        }
        if let webhooks = store as? any WebhookStore {
            export.webhooks = try await webhooks.webhooks(userID: user.id)
        }
        if let mutes = store as? any MuteStore {
            export.mutes = try await mutes.muteSettings(userID: user.id)
        }
        if let interests = store as? any InterestStore {
            export.interestCollections = try await interests.collectionInterests(userID: user.id).map(\.collectionID)
        }
        return export
    }
}
