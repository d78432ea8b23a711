import Foundation
import QuireCore

extension InMemoryStore: AccountStore {
    public func createUser(username: String, email: String, passwordHash: String, role: Role, now: Date) async throws -> User {
        let username = username.lowercased(), email = email.lowercased()
        if users.values.contains(where: { $0.user.username == username }) { throw Refusal.conflict("the username '\(username)' is taken") }
        if users.values.contains(where: { $0.user.email == email }) { throw Refusal.conflict("an account with that email address already exists") }
        lastUserID += 1
        let user = User(id: lastUserID, username: username, email: email, emailConfirmed: false, role: role, createdAt: Self.stored(now))
        users[user.id] = StoredUser(user: user, passwordHash: passwordHash)
        return user
    }

    public func user(id: Int) async throws -> User? { users[id]?.user }

    public func user(username: String) async throws -> User? { userNamed(username) }

    func userNamed(_ username: String) -> User? {
        let username = username.lowercased()
        return users.values.first { $0.user.username == username }?.user
    }

    public func credentials(login: String) async throws -> UserCredentials? {
        let login = login.lowercased()
        return users.values.first { $0.user.username == login || $0.user.email == login }.map {
            UserCredentials(user: $0.user, passwordHash: $0.passwordHash, lockedUntil: $0.lockedUntil)
        }
    }

    public func recordFailedLogin(userID: Int, now: Date, lockAfter: Int, lockFor: TimeInterval) async throws -> Date? {
        guard var stored = users[userID] else { return nil }
        stored.failedLogins += 1
        defer { users[userID] = stored }
        guard stored.failedLogins >= lockAfter else { return nil }
        let until = now.addingTimeInterval(lockFor)
        // The count starts again after the lock, so each run of wrong passwords locks once.
        stored.failedLogins = 0
        stored.lockedUntil = Self.stored(until)
        return until
    }

    public func recordSuccessfulLogin(userID: Int) async throws {
        users[userID]?.failedLogins = 0
        users[userID]?.lockedUntil = nil
    }

    private func replacePassword(userID: Int, passwordHash: String) {
        users[userID]?.passwordHash = passwordHash
        users[userID]?.failedLogins = 0
        users[userID]?.lockedUntil = nil
    }

    public func setPassword(userID: Int, passwordHash: String, keepingSession: String?) async throws {
        replacePassword(userID: userID, passwordHash: passwordHash)
        sessions = sessions.filter { $0.value.userID != userID || $0.key == keepingSession }
    }

    public func resetPassword(userID: Int, passwordHash: String, now: Date) async throws {
        replacePassword(userID: userID, passwordHash: passwordHash)
        sessions = sessions.filter { $0.value.userID != userID }
        apiTokens = apiTokens.filter { $0.value.userID != userID }
        for (hash, token) in oneTimeTokens where token.userID == userID && token.purpose == .passwordReset && token.usedAt == nil {
            oneTimeTokens[hash]?.usedAt = Self.stored(now)
        }
    }

    public func setRole(userID: Int, role: Role) async throws { users[userID]?.user.role = role }

    public func confirmEmail(userID: Int) async throws { users[userID]?.user.emailConfirmed = true }

    /// Everything the account owns goes with it, as SQLite's `ON DELETE CASCADE` does.
    public func deleteUser(id: Int) async throws {
        guard let username = users[id]?.user.username else { return }
        for key in upvotes.keys where key.userID == id {
            upvotes[key] = nil
            papers[key.paperID]?.readerUpvotes -= 1
        }
        for (paperID, submission) in submissions where submission.userID == id {
            if papers[paperID]?.paper.submittedBy == username { papers[paperID]?.paper.submittedBy = nil }
            submissions[paperID] = nil
        }
        let gone = Set(comments.values.filter { $0.userID == id }.map(\.id))
        comments = comments.filter { !gone.contains($0.key) && !gone.contains($0.value.parentID ?? 0) }
        collections = collections.filter { $0.value.userID != id }
        for (slug, members) in memberships {
            // An organization keeps an admin while it has members.
            let isOnlyAdmin = members[id].map { $0.role == .admin && $0.status == .approved } == true
                && !members.contains { $0.key != id && $0.value.role == .admin && $0.value.status == .approved }
            if isOnlyAdmin, let heir = members.filter({ $0.key != id && $0.value.status == .approved })
                .min(by: { ($0.value.requestedAt, $0.key) < ($1.value.requestedAt, $1.key) })?.key {
                memberships[slug]?[heir]?.role = .admin
            }
            memberships[slug]?[id] = nil
        }
        sessions = sessions.filter { $0.value.userID != id }
        apiTokens = apiTokens.filter { $0.value.userID != id }
        oneTimeTokens = oneTimeTokens.filter { $0.value.userID != id }
        subscriptions[id] = nil
        webhooks = webhooks.filter { $0.value.userID != id }
        feedSignals[id] = nil
        privateFeedTokenHashes[id] = nil
        mutes[id] = nil
        mutesEverywhere.remove(id)
        follows[id] = nil
        defaultCategories[id] = nil
        savedSearches = savedSearches.filter { $0.value.userID != id }
        deliveries = deliveries.filter { $0.value.userID != id }
        users[id] = nil
    }

    // MARK: Sessions

    public func createSession(tokenHash: String, userID: Int, csrfToken: String, now: Date, expiresAt: Date) async throws {
        // Expired sessions are swept whenever someone signs in.
        sessions = sessions.filter { $0.value.expiresAt > Self.stored(now) }
        sessions[tokenHash] = (userID, csrfToken, Self.stored(expiresAt))
    }

    public func session(tokenHash: String, now: Date) async throws -> Session? {
        guard let session = sessions[tokenHash], session.expiresAt > Self.stored(now), let user = users[session.userID]?.user else { return nil }
        return Session(user: user, csrfToken: session.csrfToken, expiresAt: session.expiresAt)
    }

    public func deleteSession(tokenHash: String) async throws { sessions[tokenHash] = nil }

    // MARK: API tokens

    public func createAPIToken(userID: Int, name: String, tokenHash: String, prefix: String, now: Date) async throws -> APIToken {
        lastAPITokenID += 1
        apiTokens[lastAPITokenID] = (userID, tokenHash, APIToken(id: lastAPITokenID, name: name, prefix: prefix, createdAt: Self.stored(now), lastUsedAt: nil))
        return APIToken(id: lastAPITokenID, name: name, prefix: prefix, createdAt: now, lastUsedAt: nil)
    }

    public func apiTokens(userID: Int) async throws -> [APIToken] { tokens(of: userID) }

    func tokens(of userID: Int) -> [APIToken] {
        apiTokens.values.filter { $0.userID == userID }.map(\.token).sorted { $0.id < $1.id }
    }

    public func revokeAPIToken(userID: Int, id: Int) async throws -> Bool {
        guard apiTokens[id]?.userID == userID else { return false }
        apiTokens[id] = nil
        return true
    }

    public func user(apiTokenHash: String, now: Date) async throws -> User? {
        guard let token = apiTokens.first(where: { $0.value.tokenHash == apiTokenHash }) else { return nil }
        apiTokens[token.key]?.token.lastUsedAt = Self.stored(now)
        return users[token.value.userID]?.user
    }

    // MARK: One-time links

    public func createOneTimeToken(tokenHash: String, userID: Int, purpose: OneTimePurpose, now: Date, expiresAt: Date) async throws {
        if oneTimeTokens[tokenHash] != nil { throw Refusal.conflict("that one-time token exists already") }
        oneTimeTokens[tokenHash] = (userID, purpose, Self.stored(expiresAt), nil)
    }

    public func consumeOneTimeToken(tokenHash: String, purpose: OneTimePurpose, now: Date) async throws -> Int? {
        guard let token = oneTimeTokens[tokenHash], token.purpose == purpose, token.usedAt == nil,
              token.expiresAt > Self.stored(now) else { return nil }
        oneTimeTokens[tokenHash]?.usedAt = Self.stored(now)
        return token.userID
    }
}
