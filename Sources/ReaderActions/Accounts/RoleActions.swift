import Foundation
import Storage

/// Who moderates and who runs the site. Roles change only from the command
/// line (`quire user role`), by whoever runs the server, so no web form can
/// be talked into making an admin.
public struct RoleActions: Sendable {
    let store: any AccountStore

    public init(store: any AccountStore) { self.store = store }

    /// A role by its name, or `.invalid` listing the names.
    public static func role(_ name: String) throws -> Role {
        guard let role = Role(rawValue: name) else {
            throw Refusal.invalid("the role must be reader, moderator or admin")
        }
        return role
    }

    /// Gives the account `username` (any case) the role; `.notFound` when there is none.
    public func set(_ username: String, to role: Role) async throws -> User {
        guard var user = try await store.user(username: username) else {
            throw Refusal.notFound("there is no account '\(username.prefix(60))'")
        }
        try await store.setRole(userID: user.id, role: role)
        user.role = role
        return user
    }
}
