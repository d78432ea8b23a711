import Foundation
import QuireCore
import Storage
import Testing

/// What every `AccountStore` keeps true about people, sessions and tokens.
@Suite struct AccountStoreContract {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    @Test(arguments: StoreImplementation.allCases)
    func usernamesAndEmailsAreUniqueWhateverTheirCase(_ implementation: StoreImplementation) async throws {
        let store = try implementation.make()
        let ada = try await store.createUser(username: "Ada", email: "Ada@Example.org", passwordHash: "h1", role: .reader, now: Self.now)
        #expect(ada.username == "ada" && ada.email == "ada@example.org" && !ada.emailConfirmed && ada.role == .reader)
        await #expect(throws: Refusal.conflict("the username 'ada' is taken")) {
            try await store.createUser(username: "ADA", email: "other@example.org", passwordHash: "h", role: .reader, now: Self.now)
        }
        await #expect(throws: Refusal.conflict("an account with that email address already exists")) {
            try await store.createUser(username: "other", email: "ADA@example.org", passwordHash: "h", role: .reader, now: Self.now)
        }
        #expect(try await store.user(username: "ADA")?.id == ada.id)
        #expect(try await store.user(id: ada.id)?.username == "ada")
        #expect(try await store.credentials(login: "ada@EXAMPLE.org")?.passwordHash == "h1")
        #expect(try await store.credentials(login: "Ada")?.user.id == ada.id)
        #expect(try await store.credentials(login: "nobody") == nil)
        try await store.setRole(userID: ada.id, role: .moderator)
        try await store.confirmEmail(userID: ada.id)
        let changed = try #require(try await store.user(id: ada.id))
        #expect(changed.role == .moderator && changed.emailConfirmed)
    }

    @Test(arguments: StoreImplementation.allCases)
    func wrongPasswordsLockAnAccountOncePerRun(_ implementation: StoreImplementation) async throws {
        let store = try implementation.make()
        let ada = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "h", role: .reader, now: Self.now)
        for _ in 0..<2 { #expect(try await store.recordFailedLogin(userID: ada.id, now: Self.now, lockAfter: 3, lockFor: 60) == nil) }
        let until = try await store.recordFailedLogin(userID: ada.id, now: Self.now, lockAfter: 3, lockFor: 60)
        #expect(until == Self.now.addingTimeInterval(60))
        #expect(try await store.credentials(login: "ada")?.lockedUntil == Self.now.addingTimeInterval(60))
        // The count starts again after a lock.
        #expect(try await store.recordFailedLogin(userID: ada.id, now: Self.now, lockAfter: 3, lockFor: 60) == nil)
        try await store.recordSuccessfulLogin(userID: ada.id)
        #expect(try await store.credentials(login: "ada")?.lockedUntil == nil)
    }

    @Test(arguments: StoreImplementation.allCases)
    func sessionsExpireAndEndWithANewPassword(_ implementation: StoreImplementation) async throws {
        let store = try implementation.make()
        let ada = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "h", role: .reader, now: Self.now)
        for token in ["s1", "s2", "s3"] {
            try await store.createSession(tokenHash: token, userID: ada.id, csrfToken: "c-\(token)", now: Self.now, expiresAt: Self.now.addingTimeInterval(3600))
        }
        let session = try #require(try await store.session(tokenHash: "s1", now: Self.now))
        #expect(session.user.id == ada.id && session.csrfToken == "c-s1")
        #expect(try await store.session(tokenHash: "s1", now: Self.now.addingTimeInterval(3600)) == nil)
        #expect(try await store.session(tokenHash: "unknown", now: Self.now) == nil)
        try await store.deleteSession(tokenHash: "s3")
        #expect(try await store.session(tokenHash: "s3", now: Self.now) == nil)
        try await store.setPassword(userID: ada.id, passwordHash: "h2", keepingSession: "s1")
        #expect(try await store.session(tokenHash: "s1", now: Self.now) != nil)
        #expect(try await store.session(tokenHash: "s2", now: Self.now) == nil)
        #expect(try await store.credentials(login: "ada")?.passwordHash == "h2")
    }

    @Test(arguments: StoreImplementation.allCases)
    func apiTokensBelongToTheirOwner(_ implementation: StoreImplementation) async throws {
        let store = try implementation.make()
        let ada = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "h", role: .reader, now: Self.now)
        let bob = try await store.createUser(username: "bob", email: "bob@example.org", passwordHash: "h", role: .reader, now: Self.now)
        let token = try await store.createAPIToken(userID: ada.id, name: "laptop", tokenHash: "t1", prefix: "qt_ab", now: Self.now)
        #expect(token.name == "laptop" && token.prefix == "qt_ab" && token.lastUsedAt == nil)
        #expect(try await store.user(apiTokenHash: "t1", now: Self.now.addingTimeInterval(5))?.id == ada.id)
        #expect(try await store.apiTokens(userID: ada.id).map(\.lastUsedAt) == [Self.now.addingTimeInterval(5)])
        #expect(try await store.user(apiTokenHash: "nope", now: Self.now) == nil)
        #expect(try await store.revokeAPIToken(userID: bob.id, id: token.id) == false)
        #expect(try await store.revokeAPIToken(userID: ada.id, id: token.id) == true)
        #expect(try await store.user(apiTokenHash: "t1", now: Self.now) == nil)
        #expect(try await store.apiTokens(userID: ada.id).isEmpty)
    }

    @Test(arguments: StoreImplementation.allCases)
    func oneTimeLinksWorkOnceAndAResetEndsEverything(_ implementation: StoreImplementation) async throws {
        let store = try implementation.make()
        let ada = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "h", role: .reader, now: Self.now)
        let later = Self.now.addingTimeInterval(600)
        try await store.createOneTimeToken(tokenHash: "confirm", userID: ada.id, purpose: .confirmEmail, now: Self.now, expiresAt: later)
        #expect(try await store.consumeOneTimeToken(tokenHash: "confirm", purpose: .passwordReset, now: Self.now) == nil) // wrong purpose
        #expect(try await store.consumeOneTimeToken(tokenHash: "confirm", purpose: .confirmEmail, now: Self.now) == ada.id)
        #expect(try await store.consumeOneTimeToken(tokenHash: "confirm", purpose: .confirmEmail, now: Self.now) == nil) // spent
        try await store.createOneTimeToken(tokenHash: "late", userID: ada.id, purpose: .passwordReset, now: Self.now, expiresAt: later)
        #expect(try await store.consumeOneTimeToken(tokenHash: "late", purpose: .passwordReset, now: later) == nil) // expired

        try await store.createOneTimeToken(tokenHash: "r1", userID: ada.id, purpose: .passwordReset, now: Self.now, expiresAt: later)
        try await store.createOneTimeToken(tokenHash: "r2", userID: ada.id, purpose: .passwordReset, now: Self.now, expiresAt: later)
        try await store.createSession(tokenHash: "s", userID: ada.id, csrfToken: "c", now: Self.now, expiresAt: later)
        _ = try await store.createAPIToken(userID: ada.id, name: "cli", tokenHash: "t", prefix: "qt_", now: Self.now)
        _ = try await store.recordFailedLogin(userID: ada.id, now: Self.now, lockAfter: 1, lockFor: 60)
        #expect(try await store.consumeOneTimeToken(tokenHash: "r1", purpose: .passwordReset, now: Self.now) == ada.id)
        try await store.resetPassword(userID: ada.id, passwordHash: "new", now: Self.now)
        #expect(try await store.session(tokenHash: "s", now: Self.now) == nil)
        #expect(try await store.apiTokens(userID: ada.id).isEmpty)
        #expect(try await store.consumeOneTimeToken(tokenHash: "r2", purpose: .passwordReset, now: Self.now) == nil)
        let credentials = try #require(try await store.credentials(login: "ada"))
        #expect(credentials.passwordHash == "new" && credentials.lockedUntil == nil)
    }

    @Test(arguments: StoreImplementation.allCases)
    func aDeletedAccountTakesWhatItOwnedWithIt(_ implementation: StoreImplementation) async throws {
        let store = try implementation.make()
        _ = try await store.upsert([Paper(id: "2410.00001", submittedAt: Date(), title: "A paper", abstract: "x")])
        let ada = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "h", role: .reader, now: Date())
        let bob = try await store.createUser(username: "bob", email: "bob@example.org", passwordHash: "h", role: .reader, now: Date())
        _ = try await store.insertSubmission(paperID: "2410.00001", userID: ada.id, comment: nil, day: Day(date: Date()), now: Date(), ifFewerThan: 5)
        let top = try await store.addComment(paperID: "2410.00001", userID: ada.id, parentID: nil, body: "mine", now: Date())
        _ = try await store.addComment(paperID: "2410.00001", userID: bob.id, parentID: top.id, body: "a reply", now: Date())
        _ = try await store.addComment(paperID: "2410.00001", userID: bob.id, parentID: nil, body: "bob's", now: Date())
        try await store.createSession(tokenHash: "s", userID: ada.id, csrfToken: "c", now: Date(), expiresAt: Date().addingTimeInterval(60))
        try await store.saveSubscription(Subscription(), userID: ada.id)

        try await store.deleteUser(id: ada.id)
        #expect(try await store.user(id: ada.id) == nil)
        #expect(try await store.session(tokenHash: "s", now: Date()) == nil)
        #expect(try await store.subscription(userID: ada.id) == nil)
        // Her comment goes, and the replies under it; the paper stays listed, by nobody.
        #expect(try await store.comments(paperID: "2410.00001").map(\.body) == ["bob's"])
        let paper = try #require(try await store.paper(id: "2410.00001"))
        #expect(paper.dailyDate != nil && paper.submittedBy == nil)
        // The name is free again.
        _ = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "h", role: .reader, now: Date())
    }
}
