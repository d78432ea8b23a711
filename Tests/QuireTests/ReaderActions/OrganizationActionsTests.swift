import Foundation
import QuireCore
import ReaderActions
import Storage
import Testing

/// The rules of organizations, against the in-memory store.
@Suite struct OrganizationActionsTests {
    @Test(arguments: ["", " a ", "\t\n", String(repeating: "n", count: 81)])
    func namesAreTwoToEightyCharacters(_ name: String) {
        #expect(throws: Refusal.invalid("the name must be 2 to 80 characters")) { try OrganizationActions.name(name) }
    }

    @Test func aNameIsStoredTrimmed() throws {
        #expect(try OrganizationActions.name("  Deep Lab \n") == "Deep Lab")
        #expect(try OrganizationActions.name("AI") == "AI")
    }

    @Test func onlyASiteAdminAppointsAnyoneAndMovesAnotherOrganizationsPaper() async throws {
        let store = InMemoryStore()
        _ = try await store.upsert([Paper(id: "2410.00001", title: "A paper", abstract: "x", organization: "Other Lab")])
        func user(_ name: String, _ role: Role) async throws -> User {
            try await store.createUser(username: name, email: "\(name)@example.org", passwordHash: "x", role: role, now: Date())
        }
        let (founder, reader, siteAdmin) = (try await user("founder", .reader), try await user("reader", .reader), try await user("root", .admin))
        let organizations = OrganizationActions(store: store)
        let lab = try await organizations.create(name: " Deep Lab ", by: founder)
        #expect(lab.name == "Deep Lab")
        // The lab's own admin approves only those who asked; a site admin appoints anyone.
        await #expect(throws: Refusal.self) { try await organizations.approve("reader", role: .member, in: lab.slug, by: founder) }
        try await organizations.approve("reader", role: .member, in: lab.slug, by: siteAdmin)
        // The paper belongs to Other Lab: a member cannot take it, a site admin can move it.
        await #expect(throws: Refusal.forbidden("this paper belongs to another organization; only a site admin can move it")) {
            try await organizations.claim("2410.00001", for: lab.slug, by: reader)
        }
        try await organizations.approve("root", role: .member, in: lab.slug, by: siteAdmin)
        try await organizations.claim("2410.00001", for: lab.slug, by: siteAdmin)
        #expect(try await store.paper(id: "2410.00001")?.organization == "Deep Lab")
    }

    @Test func membersAskAndTheOrganizationsAdminsApprove() async throws {
        let store = InMemoryStore()
        _ = try await store.upsert([Paper(id: "2410.00001", title: "A paper", abstract: "x")])
        func user(_ name: String) async throws -> User {
            try await store.createUser(username: name, email: "\(name)@example.org", passwordHash: "x", role: .reader, now: Date())
        }
        let (founder, member, stranger) = (try await user("founder"), try await user("u1"), try await user("stranger"))
        let organizations = OrganizationActions(store: store)
        let lab = try await organizations.create(name: "Deep Lab", by: founder)
        try await organizations.join(lab.slug, by: member)
        await #expect(throws: Refusal.conflict("you have already asked to join or are a member")) { try await organizations.join(lab.slug, by: member) }
        await #expect(throws: Refusal.conflict("you have already asked to join or are a member")) { try await organizations.join(lab.slug, by: founder) }
        await #expect(throws: Refusal.self) { try await organizations.join("no-such-lab", by: member) }
        await #expect(throws: Refusal.forbidden("only approved members can claim papers for this organization")) { // a pending member cannot claim
            try await organizations.claim("2410.00001", for: lab.slug, by: member)
        }
        await #expect(throws: Refusal.forbidden("only an admin of this organization can approve members")) {
            try await organizations.approve("u1", role: .member, in: lab.slug, by: stranger)
        }
        await #expect(throws: Refusal.notFound("'stranger' has not asked to join this organization")) {
            try await organizations.approve("stranger", role: .member, in: lab.slug, by: founder)
        }
        await #expect(throws: Refusal.notFound("there is no reader 'nobody'")) {
            try await organizations.approve("nobody", role: .member, in: lab.slug, by: founder)
        }
        await #expect(throws: Refusal.notFound("Quire knows no organization 'no-such-lab'")) {
            try await organizations.approve("u1", role: .member, in: "no-such-lab", by: founder)
        }
        try await organizations.approve("U1", role: .member, in: lab.slug, by: founder) // names in any case
        #expect(try await store.members(organizationSlug: lab.slug).map { "\($0.username) \($0.role) \($0.status)" } == ["founder admin approved", "u1 member approved"])
        try await organizations.claim("2410.00001", for: lab.slug, by: member)
        #expect(try await store.paper(id: "2410.00001")?.organization == "Deep Lab")
    }
}
