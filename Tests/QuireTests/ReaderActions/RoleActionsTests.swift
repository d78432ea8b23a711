import Foundation
import ReaderActions
import Storage
import Testing

/// Role changes (`quire user role`), against the in-memory store.
@Suite struct RoleActionsTests {
    @Test func aRoleIsOneOfThree() throws {
        #expect(try RoleActions.role("moderator") == .moderator)
        #expect(throws: Refusal.invalid("the role must be reader, moderator or admin")) { try RoleActions.role("owner") }
        #expect(throws: Refusal.self) { try RoleActions.role("Admin") }
    }

    @Test func anAccountGetsItsRoleByName() async throws {
        let store = InMemoryStore()
        let ada = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "x", role: .reader, now: Date())
        let roles = RoleActions(store: store)
        #expect(try await roles.set("ADA", to: .moderator).role == .moderator)
        #expect(try await store.user(id: ada.id)?.role == .moderator)
        await #expect(throws: Refusal.notFound("there is no account 'nobody'")) { try await roles.set("nobody", to: .admin) }
    }
}
