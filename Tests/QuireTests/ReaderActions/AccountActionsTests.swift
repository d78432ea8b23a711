import Foundation
import QuireCore
import ReaderActions
import Storage
import Testing

/// The account rules, against the in-memory store (bcrypt at its lowest cost).
@Suite struct AccountActionsTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let password = "correct horse battery"

    static func accounts(_ store: InMemoryStore = InMemoryStore(), now: @escaping @Sendable () -> Date = { now }) -> AccountActions {
        AccountActions(store: store, hasher: PasswordHasher(cost: 4), lockout: .init(after: 3, duration: 600), now: now)
    }

    @Test(arguments: ["x", "has space", "ünïcode", String(repeating: "a", count: 31), "a/b"])
    func usernamesFollowOneRule(_ name: String) async throws {
        let refusal = Refusal.invalid("Choose a username of 3 to 30 letters, digits, - or _.")
        #expect(throws: refusal) { try Username.validated(name) }
        await #expect(throws: refusal) { try await Self.accounts().signUp(username: name, email: "a@example.org", password: Self.password) }
    }

    @Test func aUsernameIsStoredTrimmedInLowerCase() throws {
        #expect(try Username.validated("  Ada_Lovelace-1 ") == "ada_lovelace-1")
    }

    @Test func signUpChecksAddressAndPasswordThenTheStoreForDuplicates() async throws {
        let store = InMemoryStore()
        let accounts = Self.accounts(store)
        await #expect(throws: Refusal.invalid("'not-an-address' is not an email address.")) {
            try await accounts.signUp(username: "ada", email: "not-an-address", password: Self.password)
        }
        #expect(try AccountActions.emailAddress("Ada Lovelace <Ada@Example.org>") == "ada@example.org")
        await #expect(throws: Refusal.self) { // what the form sends is bounded, not only the address in it
            try await accounts.signUp(username: "ada", email: String(repeating: "a", count: 250) + " <a@example.org>", password: Self.password)
        }
        await #expect(throws: Refusal.invalid("Use a password of at least 10 characters.")) {
            try await accounts.signUp(username: "ada", email: "ada@example.org", password: "short")
        }
        await #expect(throws: Refusal.invalid("Use a password of at most 72 bytes (bcrypt ignores the rest).")) {
            try await accounts.signUp(username: "ada", email: "ada@example.org", password: String(repeating: "x", count: 80))
        }
        // Every broken rule at once, so the reader fixes the form in one go.
        await #expect(throws: Refusal.invalid("Choose a username of \(Username.rule). 'nope' is not an email address. Use a password of at least 10 characters.")) {
            try await accounts.signUp(username: "a b", email: "nope", password: "short")
        }
        #expect(try await store.user(username: "ada") == nil) // nothing half-made
        let ada = try await accounts.signUp(username: "Ada", email: " Ada@Example.org ", password: Self.password)
        #expect(ada.username == "ada" && ada.email == "ada@example.org" && !ada.emailConfirmed && ada.role == .reader)
        await #expect(throws: Refusal.conflict("the username 'ada' is taken")) {
            try await accounts.signUp(username: "ADA", email: "other@example.org", password: Self.password)
        }
        let admin = try await accounts.signUp(username: "root", email: "root@example.org", password: Self.password, role: .admin, emailConfirmed: true)
        #expect(admin.role == .admin && admin.emailConfirmed)
        #expect(try await store.user(id: admin.id)?.emailConfirmed == true)
    }

    @Test func loginRefusesStrangersAndWrongPasswordsAlikeAndLocksAfterARun() async throws {
        let store = InMemoryStore()
        let accounts = Self.accounts(store)
        let ada = try await accounts.signUp(username: "ada", email: "ada@example.org", password: Self.password)
        #expect(try await accounts.logIn(login: "nobody", password: Self.password) == .refused)
        #expect(try await accounts.logIn(login: "ada@example.org", password: Self.password) == .signedIn(ada))
        for _ in 0..<3 { #expect(try await accounts.logIn(login: "ada", password: "wrong password") == .refused) }
        // Locked: a wrong password still gets the same answer; only the right one learns of the lock.
        #expect(try await accounts.logIn(login: "ada", password: "wrong password") == .refused)
        #expect(try await accounts.logIn(login: "ada", password: Self.password) == .locked(until: Self.now.addingTimeInterval(600)))
        // Once the lock is over, the right password signs in.
        let later = Self.accounts(store, now: { Self.now.addingTimeInterval(601) })
        #expect(try await later.logIn(login: "ADA", password: Self.password) == .signedIn(ada))
    }

    @Test func aStrangersLoginCostsABcryptCheck() async throws {
        // The decoy check runs at the hasher's cost, so an unknown name takes as long as a wrong password.
        let accounts = AccountActions(store: InMemoryStore(), hasher: PasswordHasher(cost: 10), lockout: .init(after: 3, duration: 600))
        _ = try await accounts.logIn(login: "warm-up", password: "x") // the decoy hash is made once
        let clock = ContinuousClock()
        let elapsed = try await clock.measure { _ = try await accounts.logIn(login: "nobody", password: "x") }
        #expect(elapsed > .milliseconds(10), "\(elapsed)")
    }

    @Test func passwordChangesAndDeletionsNeedThePassword() async throws {
        let store = InMemoryStore()
        let accounts = Self.accounts(store)
        let ada = try await accounts.signUp(username: "ada", email: "ada@example.org", password: Self.password)
        try await store.createSession(tokenHash: "this", userID: ada.id, csrfToken: "c", now: Self.now, expiresAt: Self.now.addingTimeInterval(60))
        try await store.createSession(tokenHash: "other", userID: ada.id, csrfToken: "c", now: Self.now, expiresAt: Self.now.addingTimeInterval(60))
        await #expect(throws: AccountActions.WrongPassword()) {
            try await accounts.changePassword(of: ada, current: "wrong password", new: "a new password", keepingSession: "this")
        }
        await #expect(throws: Refusal.self) {
            try await accounts.changePassword(of: ada, current: Self.password, new: "short", keepingSession: "this")
        }
        try await accounts.changePassword(of: ada, current: Self.password, new: "a new password", keepingSession: "this")
        #expect(try await store.session(tokenHash: "this", now: Self.now) != nil)
        #expect(try await store.session(tokenHash: "other", now: Self.now) == nil)
        #expect(try await accounts.logIn(login: "ada", password: "a new password") == .signedIn(ada))

        await #expect(throws: AccountActions.WrongPassword()) { try await accounts.deleteAccount(ada, password: Self.password) }
        try await accounts.deleteAccount(ada, password: "a new password")
        #expect(try await store.user(id: ada.id) == nil)
    }

    @Test func aResetLinkSetsAPasswordOnce() async throws {
        let store = InMemoryStore()
        let accounts = Self.accounts(store)
        let ada = try await accounts.signUp(username: "ada", email: "ada@example.org", password: Self.password)
        try await store.createOneTimeToken(tokenHash: "link", userID: ada.id, purpose: .passwordReset, now: Self.now, expiresAt: Self.now.addingTimeInterval(60))
        await #expect(throws: Refusal.self) { try await accounts.resetPassword(linkHash: "link", to: "short") }
        #expect(try await accounts.resetPassword(linkHash: "link", to: "a reset password")) // a refused password leaves the link usable
        #expect(try await accounts.resetPassword(linkHash: "link", to: "another password") == false)
        #expect(try await accounts.logIn(login: "ada", password: "a reset password") == .signedIn(ada))
    }

    @Test func anExportHoldsTheReadersOwnThingsUntilTheAccountIsDeleted() async throws {
        let store = InMemoryStore()
        _ = try await store.upsert([Paper(id: "2410.00001", title: "A paper", abstract: "x", authors: ["Grace Hopper"])])
        let accounts = Self.accounts(store)
        let ada = try await accounts.signUp(username: "ada", email: "ada@example.org", password: Self.password)
        let bob = try await accounts.signUp(username: "bob", email: "bob@example.org", password: Self.password)
        try await UpvoteActions(store: store).set("2410.00001", on: true, by: bob)
        _ = try await CommentActions(store: store).add(to: "2410.00001", replyingTo: nil, body: "mine", by: ada)
        let digests = DigestActions(store: store, now: { Self.now })
        try await digests.follow(Follow(kind: .author, slug: "grace-hopper"), on: true, by: ada)
        _ = try await digests.saveSearch("contrastive loss", by: ada)
        try await store.setDefaultCategories(["cs.CL", "stat.ML"], userID: ada.id)
        let export = try await accounts.export(ada)
        #expect(export.user == ada && export.exportedAt == Self.now)
        #expect(export.comments.map(\.body) == ["mine"] && export.upvotes.isEmpty)
        // The digest's part too: follows and saved searches (and settings, none yet).
        #expect(export.follows == [Follow(kind: .author, slug: "grace-hopper")])
        #expect(export.savedSearches.map(\.query) == ["contrastive loss"] && export.digest == nil)
        #expect(export.defaultCategories == ["cs.CL", "stat.ML"])
        try await accounts.deleteAccount(ada, password: Self.password)
        await #expect(throws: Refusal.self) { try await accounts.export(ada) }
    }
}
