import Foundation
import Storage

/// Organizations: what a name may be, and what a site admin may do beyond
/// an organization's own admins (appoint anyone, move a claimed paper). The
/// membership rules that concurrent requests could break (who has asked,
/// who is an approved admin or member) are checked inside the store's writes.
public struct OrganizationActions: Sendable {
    public static let nameLengths = 2...80

    let store: any SignalStore
    let now: @Sendable () -> Date

    public init(store: any SignalStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store; self.now = now
    }

    /// A name as stored: trimmed, 2 to 80 characters (at most 80 as sent).
    public static func name(_ text: String?) throws -> String {
        guard let name = WrittenText.trimmed(text, within: nameLengths) else {
            throw StoreError.invalid("the name must be \(nameLengths.lowerBound) to \(nameLengths.upperBound) characters")
        }
        return name
    }

    /// A new organization with `user` as its admin (`.conflict` if the name is taken).
    public func create(name: String?, by user: User) async throws -> Organization {
        try await store.createOrganization(name: Self.name(name), adminUserID: user.id)
    }

    /// Approves a member who asked (organization admins), or appoints anyone (site admins).
    public func approve(_ username: String, role: MembershipRole, in organizationSlug: String, by user: User) async throws {
        try await store.approveMembership(organizationSlug: organizationSlug, username: username, role: role, byUserID: user.id,
                                          asSiteAdmin: user.role == .admin, now: now())
    }

    /// An approved member claims a paper; only a site admin moves one that belongs to another organization.
    public func claim(_ paperID: String, for organizationSlug: String, by user: User) async throws {
        try await store.claimPaper(paperID: paperID, organizationSlug: organizationSlug, userID: user.id, asSiteAdmin: user.role == .admin, now: now())
    }
}
