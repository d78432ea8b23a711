import Foundation
import PostgresNIO
import QuireCore
import Storage

extension PostgresStore: AccountStore {
    static let userColumns = "u.id, u.username, u.email, u.email_confirmed_at, u.role, u.created_at"
    typealias UserRow = (Int, String, String, Date?, String, Date)

    static func user(_ r: UserRow) -> User {
        User(id: r.0, username: r.1, email: r.2, emailConfirmed: r.3 != nil, role: Role(rawValue: r.4) ?? .reader, createdAt: r.5)
    }

    public func createUser(username: String, email: String, passwordHash: String, role: Role, now: Date) async throws -> User {
        let username = username.lowercased(), email = email.lowercased()
        let taken = Refusal.conflict("the username '\(username)' is taken")
        let emailTaken = Refusal.conflict("an account with that email address already exists")
        do {
            return try await write { db in
                if try await db.run("SELECT 1 FROM users WHERE username = \(username)", logger).value(Int.self) != nil { throw taken }
                if try await db.run("SELECT 1 FROM users WHERE email = \(email)", logger).value(Int.self) != nil { throw emailTaken }
                guard let row = try await db.run("""
                    INSERT INTO users (username, email, password_hash, role, created_at)
                    VALUES (\(username), \(email), \(passwordHash), \(role.rawValue), \(now))
                    RETURNING \(unescaped: Self.userColumns.replacingOccurrences(of: "u.", with: ""))
                    """, logger).first(UserRow.self) else { throw Refusal.notFound("the new account vanished") }
                return Self.user(row)
            }
        } catch let error where uniqueViolation(error) != nil {
            // Two sign-ups with one name at once: the check passed for both, the constraint stopped one.
            throw uniqueViolation(error) == "users_email_key" ? emailTaken : taken
        }
    }

    public func user(id: Int) async throws -> User? {
        try await execute("SELECT \(unescaped: Self.userColumns) FROM users u WHERE u.id = \(id)").first(UserRow.self).map(Self.user)
    }

    public func user(username: String) async throws -> User? {
        try await execute("SELECT \(unescaped: Self.userColumns) FROM users u WHERE u.username = \(username.lowercased())")
            .first(UserRow.self).map(Self.user)
    }

    public func credentials(login: String) async throws -> UserCredentials? {
        let login = login.lowercased()
        return try await execute("""
            SELECT \(unescaped: Self.userColumns), u.password_hash, u.locked_until FROM users u
            WHERE u.username = \(login) OR u.email = \(login)
            """).first((Int, String, String, Date?, String, Date, String, Date?).self).map { r in
            UserCredentials(user: Self.user((r.0, r.1, r.2, r.3, r.4, r.5)), passwordHash: r.6, lockedUntil: r.7)
        }
    }

    public func recordFailedLogin(userID: Int, now: Date, lockAfter: Int, lockFor: TimeInterval) async throws -> Date? {
        let until = now.addingTimeInterval(lockFor)
        // One statement: the row lock it takes makes concurrent wrong
        // passwords count one by one, and the count starts again after the
        // lock, so each run of wrong passwords locks once.
        let locked = try await write { db in try await db.run("""
            UPDATE users SET
                failed_logins = CASE WHEN failed_logins + 1 >= \(lockAfter) THEN 0 ELSE failed_logins + 1 END,
                locked_until = CASE WHEN failed_logins + 1 >= \(lockAfter) THEN \(until) ELSE locked_until END
            WHERE id = \(userID)
            RETURNING failed_logins = 0
            """, logger).value(Bool.self) }
        return locked == true ? until : nil
    }

    public func recordSuccessfulLogin(userID: Int) async throws {
        try await write("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = \(userID)")
    }

    public func setPassword(userID: Int, passwordHash: String, keepingSession: String?) async throws {
        try await write { db in
            try await db.run("UPDATE users SET password_hash = \(passwordHash), failed_logins = 0, locked_until = NULL WHERE id = \(userID)", logger)
            try await db.run("DELETE FROM sessions WHERE user_id = \(userID) AND token_hash IS DISTINCT FROM \(keepingSession)", logger)
        }
    }

    public func resetPassword(userID: Int, passwordHash: String, now: Date) async throws {
        try await write { db in
            try await db.run("UPDATE users SET password_hash = \(passwordHash), failed_logins = 0, locked_until = NULL WHERE id = \(userID)", logger)
            try await db.run("DELETE FROM sessions WHERE user_id = \(userID)", logger)
            try await db.run("DELETE FROM api_tokens WHERE user_id = \(userID)", logger)
            try await db.run("""
                UPDATE one_time_tokens SET used_at = \(now)
                WHERE user_id = \(userID) AND purpose = \(OneTimePurpose.passwordReset.rawValue) AND used_at IS NULL
                """, logger)
        }
    }

    public func setRole(userID: Int, role: Role) async throws {
        try await write("UPDATE users SET role = \(role.rawValue) WHERE id = \(userID)")
    }

    public func confirmEmail(userID: Int) async throws {
        try await write("UPDATE users SET email_confirmed_at = coalesce(email_confirmed_at, now()) WHERE id = \(userID)")
    }

    public func deleteUser(id: Int) async throws {
        try await write { db in
            // The account's row is locked first, so an upvote it casts meanwhile
            // waits and then finds no account, instead of counting after the
            // counts were taken down.
            guard let username = try await db.run("SELECT username FROM users WHERE id = \(id) FOR UPDATE", logger).value(String.self) else { return }
            // Upvotes vanish with the account (ON DELETE CASCADE); the counts follow.
            try await db.run("""
                UPDATE papers SET reader_upvotes = reader_upvotes - 1
                WHERE seq IN (SELECT paper_seq FROM upvotes WHERE user_id = \(id))
                """, logger)
            try await db.run("""
                UPDATE papers SET submitted_by = NULL
                WHERE submitted_by = \(username) AND seq IN (SELECT paper_seq FROM submissions WHERE user_id = \(id))
                """, logger)
            // An organization keeps an admin while it has members: where
            // the reader was the only one, the longest-standing member takes over.
            try await db.run("""
                UPDATE organization_members SET role = 'admin'
                WHERE (organization_id, user_id) IN (
                    SELECT m.organization_id, (SELECT o.user_id FROM organization_members o
                                               WHERE o.organization_id = m.organization_id AND o.user_id != m.user_id AND o.status = 'approved'
                                               ORDER BY o.requested_at, o.user_id LIMIT 1)
                    FROM organization_members m
                    WHERE m.user_id = \(id) AND m.role = 'admin' AND m.status = 'approved' AND NOT EXISTS (
                        SELECT 1 FROM organization_members a
                        WHERE a.organization_id = m.organization_id AND a.user_id != m.user_id AND a.role = 'admin' AND a.status = 'approved'))
                """, logger)
            try await db.run("DELETE FROM users WHERE id = \(id)", logger)
        }
    }

    // MARK: Sessions

    public func createSession(tokenHash: String, userID: Int, csrfToken: String, now: Date, expiresAt: Date) async throws {
        try await write { db in
            // Expired sessions are swept whenever someone signs in.
            try await db.run("DELETE FROM sessions WHERE expires_at <= \(now)", logger)
            try await db.run("""
                INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)
                VALUES (\(tokenHash), \(userID), \(csrfToken), \(now), \(expiresAt))
                """, logger)
        }
    }

    public func session(tokenHash: String, now: Date) async throws -> Session? {
        try await execute("""
            SELECT \(unescaped: Self.userColumns), s.csrf_token, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.token_hash = \(tokenHash) AND s.expires_at > \(now)
            """).first((Int, String, String, Date?, String, Date, String, Date).self).map { r in
            Session(user: Self.user((r.0, r.1, r.2, r.3, r.4, r.5)), csrfToken: r.6, expiresAt: r.7)
        }
    }

    public func deleteSession(tokenHash: String) async throws {
        try await write("DELETE FROM sessions WHERE token_hash = \(tokenHash)")
    }

    // MARK: API tokens

    public func createAPIToken(userID: Int, name: String, tokenHash: String, prefix: String, now: Date) async throws -> APIToken {
        guard let id = try await write({ db in try await db.run("""
            INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at)
            VALUES (\(userID), \(name), \(tokenHash), \(prefix), \(now)) RETURNING id
            """, logger).value(Int.self) }) else { throw Refusal.notFound("the new token vanished") }
        return APIToken(id: id, name: name, prefix: prefix, createdAt: now, lastUsedAt: nil)
    }

    public func apiTokens(userID: Int) async throws -> [APIToken] {
        try await execute("SELECT id, name, prefix, created_at, last_used_at FROM api_tokens WHERE user_id = \(userID) ORDER BY id")
            .all((Int, String, String, Date, Date?).self)
            .map { APIToken(id: $0.0, name: $0.1, prefix: $0.2, createdAt: $0.3, lastUsedAt: $0.4) }
    }

    public func revokeAPIToken(userID: Int, id: Int) async throws -> Bool {
        try await write { db in
            try await db.run("DELETE FROM api_tokens WHERE id = \(id) AND user_id = \(userID) RETURNING id", logger).value(Int.self) != nil
        }
    }

    public func user(apiTokenHash: String, now: Date) async throws -> User? {
        try await write(visibleToReaders: false) { db in
            try await db.run("""
                WITH used AS (UPDATE api_tokens SET last_used_at = \(now) WHERE token_hash = \(apiTokenHash) RETURNING user_id)
                SELECT \(unescaped: Self.userColumns) FROM used JOIN users u ON u.id = used.user_id
                """, logger).first(UserRow.self).map(Self.user)
        }
    }

    // MARK: One-time links

    public func createOneTimeToken(tokenHash: String, userID: Int, purpose: OneTimePurpose, now: Date, expiresAt: Date) async throws {
        try await write("""
            INSERT INTO one_time_tokens (token_hash, user_id, purpose, created_at, expires_at)
            VALUES (\(tokenHash), \(userID), \(purpose.rawValue), \(now), \(expiresAt))
            """)
    }

    public func consumeOneTimeToken(tokenHash: String, purpose: OneTimePurpose, now: Date) async throws -> Int? {
        // One UPDATE: of two uses at once, the second waits for the first's row lock and then finds it used.
        try await write { db in
            try await db.run("""
                UPDATE one_time_tokens SET used_at = \(now)
                WHERE token_hash = \(tokenHash) AND purpose = \(purpose.rawValue) AND used_at IS NULL AND expires_at > \(now)
                RETURNING user_id
                """, logger).value(Int.self)
        }
    }
}
