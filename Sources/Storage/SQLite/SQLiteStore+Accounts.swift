import Foundation
import QuireCore

extension SQLiteStore: AccountStore {
    static let userColumns = "u.id, u.username, u.email, u.email_confirmed_at, u.role, u.created_at"

    static func user(_ r: SQLiteConnection.Row, from column: Int32 = 0) -> User {
        User(id: r.int(column), username: r.string(column + 1), email: r.string(column + 2),
             emailConfirmed: !r.isNull(column + 3), role: Role(rawValue: r.string(column + 4)) ?? .reader,
             createdAt: Timestamp.parse(r.string(column + 5)) ?? Date(timeIntervalSince1970: 0))
    }

    static func date(_ text: String?) -> Date? { text.flatMap(Timestamp.parse) }

    public func createUser(username: String, email: String, passwordHash: String, role: Role, now: Date) async throws -> User {
        let username = username.lowercased(), email = email.lowercased()
        return try await write { db in
            try db.transaction {
                if try db.queryOne("SELECT 1 FROM users WHERE username = ?", [username], { _ in true }) != nil {
                    throw Refusal.conflict("the username '\(username)' is taken")
                }
                if try db.queryOne("SELECT 1 FROM users WHERE email = ?", [email], { _ in true }) != nil {
                    throw Refusal.conflict("an account with that email address already exists")
                }
                try db.run("INSERT INTO users (username, email, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?)",
                           [username, email, passwordHash, role.rawValue, Timestamp.format(now)])
                return try db.queryOne("SELECT \(Self.userColumns) FROM users u WHERE u.id = ?", [Int(db.lastInsertRowID)]) { Self.user($0) }!
            }
        }
    }

    public func user(id: Int) async throws -> User? {
        try await read { db in try db.queryOne("SELECT \(Self.userColumns) FROM users u WHERE u.id = ?", [id]) { Self.user($0) } }
    }

    public func user(username: String) async throws -> User? {
        try await read { db in
            try db.queryOne("SELECT \(Self.userColumns) FROM users u WHERE u.username = ?", [username.lowercased()]) { Self.user($0) }
        }
    }

    public func credentials(login: String) async throws -> UserCredentials? {
        try await read { db in
            try db.queryOne("""
                SELECT \(Self.userColumns), u.password_hash, u.locked_until FROM users u
                WHERE u.username = ?1 OR u.email = ?1
                """, [login.lowercased()]) { r in
                UserCredentials(user: Self.user(r), passwordHash: r.string(6), lockedUntil: Self.date(r.optionalString(7)))
            }
        }
    }

    public func recordFailedLogin(userID: Int, now: Date, lockAfter: Int, lockFor: TimeInterval) async throws -> Date? {
        try await write { db in
            try db.transaction {
                try db.run("UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?", [userID])
                let failures = try db.queryOne("SELECT failed_logins FROM users WHERE id = ?", [userID]) { $0.int(0) } ?? 0
                guard failures >= lockAfter else { return nil }
                let until = now.addingTimeInterval(lockFor)
                // The count starts again after the lock, so each run of wrong passwords locks once.
                try db.run("UPDATE users SET failed_logins = 0, locked_until = ? WHERE id = ?", [Timestamp.format(until), userID])
                return until
            }
        }
    }

    public func recordSuccessfulLogin(userID: Int) async throws {
        try await write { db in try db.run("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?", [userID]) }
    }

    public func setPassword(userID: Int, passwordHash: String, keepingSession: String?) async throws {
        try await write { db in
            try db.transaction {
                try db.run("UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE id = ?", [passwordHash, userID])
                try db.run("DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ?", [userID, keepingSession])
            }
        }
    }

    public func resetPassword(userID: Int, passwordHash: String, now: Date) async throws {
        try await write { db in
            try db.transaction {
                try db.run("UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE id = ?", [passwordHash, userID])
                try db.run("DELETE FROM sessions WHERE user_id = ?", [userID])
                try db.run("DELETE FROM api_tokens WHERE user_id = ?", [userID])
                try db.run("UPDATE one_time_tokens SET used_at = ? WHERE user_id = ? AND purpose = ? AND used_at IS NULL",
                           [Timestamp.format(now), userID, OneTimePurpose.passwordReset.rawValue])
            }
        }
    }

    public func setRole(userID: Int, role: Role) async throws {
        try await write { db in try db.run("UPDATE users SET role = ? WHERE id = ?", [role.rawValue, userID]) }
    }

    public func confirmEmail(userID: Int) async throws {
        try await write { db in
            try db.run("UPDATE users SET email_confirmed_at = coalesce(email_confirmed_at, ?) WHERE id = ?", [Timestamp.format(Date()), userID])
        }
    }

    public func deleteUser(id: Int) async throws {
        try await write { db in
            try db.transaction {
                // Upvotes vanish with the account (ON DELETE CASCADE); the counts follow.
                try db.run("""
                    UPDATE papers SET reader_upvotes = reader_upvotes - 1
                    WHERE seq IN (SELECT paper_seq FROM upvotes WHERE user_id = ?)
                    """, [id])
                if let username = try db.queryOne("SELECT username FROM users WHERE id = ?", [id], { $0.string(0) }) {
                    try db.run("""
                        UPDATE papers SET submitted_by = NULL
                        WHERE submitted_by = ? AND seq IN (SELECT paper_seq FROM submissions WHERE user_id = ?)
                        """, [username, id])
                }
                // An organization keeps an admin while it has members: where
                // the reader was the only one, the longest-standing member takes over.
                try db.run("""
                    UPDATE organization_members SET role = 'admin'
                    WHERE (organization_id, user_id) IN (
                        SELECT m.organization_id, (SELECT o.user_id FROM organization_members o
                                                   WHERE o.organization_id = m.organization_id AND o.user_id != m.user_id AND o.status = 'approved'
                                                   ORDER BY o.requested_at, o.user_id LIMIT 1)
                        FROM organization_members m
                        WHERE m.user_id = ? AND m.role = 'admin' AND m.status = 'approved' AND NOT EXISTS (
                            SELECT 1 FROM organization_members a
                            WHERE a.organization_id = m.organization_id AND a.user_id != m.user_id AND a.role = 'admin' AND a.status = 'approved'))
                    """, [id])
                try db.run("DELETE FROM users WHERE id = ?", [id])
            }
        }
    }

    // MARK: Sessions

    public func createSession(tokenHash: String, userID: Int, csrfToken: String, now: Date, expiresAt: Date) async throws {
        try await write { db in
            try db.transaction {
                // Expired sessions are swept whenever someone signs in.
                try db.run("DELETE FROM sessions WHERE expires_at <= ?", [Timestamp.format(now)])
                try db.run("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                           [tokenHash, userID, csrfToken, Timestamp.format(now), Timestamp.format(expiresAt)])
            }
        }
    }

    public func session(tokenHash: String, now: Date) async throws -> Session? {
        try await read { db in
            try db.queryOne("""
                SELECT \(Self.userColumns), s.csrf_token, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
                WHERE s.token_hash = ? AND s.expires_at > ?
                """, [tokenHash, Timestamp.format(now)]) { r in
                Session(user: Self.user(r), csrfToken: r.string(6), expiresAt: Self.date(r.string(7)) ?? now)
            }
        }
    }

    public func deleteSession(tokenHash: String) async throws {
        try await write { db in try db.run("DELETE FROM sessions WHERE token_hash = ?", [tokenHash]) }
    }

    // MARK: API tokens

    static func apiToken(_ r: SQLiteConnection.Row) -> APIToken {
        APIToken(id: r.int(0), name: r.string(1), prefix: r.string(2),
                 createdAt: date(r.string(3)) ?? Date(timeIntervalSince1970: 0), lastUsedAt: date(r.optionalString(4)))
    }

    public func createAPIToken(userID: Int, name: String, tokenHash: String, prefix: String, now: Date) async throws -> APIToken {
        try await write { db in
            try db.run("INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) VALUES (?, ?, ?, ?, ?)",
                       [userID, name, tokenHash, prefix, Timestamp.format(now)])
            return APIToken(id: Int(db.lastInsertRowID), name: name, prefix: prefix, createdAt: now, lastUsedAt: nil)
        }
    }

    public func apiTokens(userID: Int) async throws -> [APIToken] {
        try await read { db in
            try db.query("SELECT id, name, prefix, created_at, last_used_at FROM api_tokens WHERE user_id = ? ORDER BY id", [userID], Self.apiToken)
        }
    }

    public func revokeAPIToken(userID: Int, id: Int) async throws -> Bool {
        try await write { db in
            try db.run("DELETE FROM api_tokens WHERE id = ? AND user_id = ?", [id, userID])
            return db.changes > 0
        }
    }

    public func user(apiTokenHash: String, now: Date) async throws -> User? {
        try await write(visibleToReaders: false) { db in
            try db.run("UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?", [Timestamp.format(now), apiTokenHash])
            return try db.queryOne("""
                SELECT \(Self.userColumns) FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?
                """, [apiTokenHash]) { Self.user($0) }
        }
    }

    // MARK: One-time links

    public func createOneTimeToken(tokenHash: String, userID: Int, purpose: OneTimePurpose, now: Date, expiresAt: Date) async throws {
        try await write { db in
            try db.run("INSERT INTO one_time_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                       [tokenHash, userID, purpose.rawValue, Timestamp.format(now), Timestamp.format(expiresAt)])
        }
    }

    public func consumeOneTimeToken(tokenHash: String, purpose: OneTimePurpose, now: Date) async throws -> Int? {
        try await write { db in
            try db.run("""
                UPDATE one_time_tokens SET used_at = ?1
                WHERE token_hash = ?2 AND purpose = ?3 AND used_at IS NULL AND expires_at > ?1
                """, [Timestamp.format(now), tokenHash, purpose.rawValue])
            guard db.changes == 1 else { return nil }
            return try db.queryOne("SELECT user_id FROM one_time_tokens WHERE token_hash = ?", [tokenHash]) { $0.int(0) }
        }
    }
}
