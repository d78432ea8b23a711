import Foundation
import Storage

/// Organizations: what a name may be, who joins, who approves members and
/// who claims papers. An organization's approved admins approve those who
/// asked to join; a site admin appoints anyone and moves a paper that
/// belongs to another organization. The store only persists; the one rule
/// two requests at once could break (a paper taken from another
/// organization meanwhile) is decided here and enforced by the store's
/// conditional write (`claimPaper(…, takingOver:)`).
public struct OrganizationActions: Sendable {
    public static let nameLengths = 2...80

    /// Memberships and claims, the readers they name, and which organizations exist.
    let store: any SignalStore & AccountStore & PaperStore
    let now: @Sendable () -> Date

    public init(store: any SignalStore & AccountStore & PaperStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store; self.now = now
    }

    /// A name as stored: trimmed, 2 to 80 characters (at most 80 as sent).
    public static func name(_ text: String?) throws -> String {
        guard let name = WrittenText.trimmed(text, within: nameLengths) else {
            throw Refusal.invalid("the name must be \(nameLengths.lowerBound) to \(nameLengths.upperBound) characters")
        }
        return name
    }

    /// A new organization with `user` as its admin (`.conflict` if the name is taken).
    public func create(name: String?, by user: User) async throws -> Organization {
        try await store.createOrganization(name: Self.name(name), adminUserID: user.id)
    }

    /// Asks to join; one of the organization's admins approves. Asking twice,
    /// or as a member, is a `.conflict`.
    public func join(_ organizationSlug: String, by user: User) async throws {
        guard try await store.requestMembership(organizationSlug: organizationSlug, userID: user.id, now: now()) else {
            throw Refusal.conflict("you have already asked to join or are a member")
        }
    }

    /// Approves a member who asked, or makes a member an admin (the
    /// organization's approved admins), or appoints anyone (site admins).
    public func approve(_ username: String, role: MembershipRole, in organizationSlug: String, by user: User) async throws {
        try await requireOrganization(organizationSlug)
        let asSiteAdmin = user.role == .admin
        if !asSiteAdmin {
            let approver = try await store.membership(organizationSlug: organizationSlug, userID: user.id)
            guard approver?.role == .admin, approver?.status == .approved else {
                throw Refusal.forbidden("only an admin of this organization can approve members")
            }
        }
        guard let member = try await store.user(username: username) else {
            throw Refusal.notFound("there is no reader '\(username.prefix(60))'")
        }
        // Nobody is made a member without asking, but by a site admin.
        if !asSiteAdmin, try await store.membership(organizationSlug: organizationSlug, userID: member.id) == nil {
            throw Refusal.notFound("'\(username.prefix(60))' has not asked to join this organization")
        }
        try await store.approveMembership(organizationSlug: organizationSlug, userID: member.id, role: role, now: now())
    }

    /// An approved member claims a paper for the organization. A paper that
    /// belongs to another one (by a claim or by its source) moves only for a
    /// site admin.
    public func claim(_ paperID: String, for organizationSlug: String, by user: User) async throws {
        try await requireOrganization(organizationSlug)
        guard try await store.membership(organizationSlug: organizationSlug, userID: user.id)?.status == .approved else {
            throw Refusal.forbidden("only approved members can claim papers for this organization")
        }
        switch try await store.claimPaper(paperID: paperID, organizationSlug: organizationSlug, userID: user.id, now: now(),
                                          takingOver: user.role == .admin) {
        case .claimed:
            return
        case .belongsTo:
            throw Refusal.forbidden("this paper belongs to another organization; only a site admin can move it")
        }
    }

    private func requireOrganization(_ slug: String) async throws {
        guard try await store.organization(slug: slug) != nil else {
            throw Refusal.notFound("Quire knows no organization '\(slug.prefix(100))'")
        }
    }
}
