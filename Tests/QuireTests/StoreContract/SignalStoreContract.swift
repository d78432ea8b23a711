import Foundation
import QuireCore
import Storage
import Testing

/// What every `SignalStore` keeps true for readers' signals, under concurrent requests too.
@Suite(.postgresSchemas) struct SignalStoreContract {
    /// The protocols these tests use.
    typealias Store = PaperStore & AccountStore & SignalStore

    static func store(_ implementation: StoreImplementation) async throws -> (any Store, [User]) {
        let store = try await implementation.make(as: (any Store).self)
        _ = try await store.upsert([Paper(id: "2410.00001", submittedAt: Date(), title: "A paper", abstract: "About things.", upvotes: 5),
                                    Paper(id: "2410.00002", submittedAt: Date(), title: "Another", abstract: "More.")])
        var users: [User] = []
        for i in 0..<20 {
            users.append(try await store.createUser(username: "u\(i)", email: "u\(i)@example.org", passwordHash: "x", role: .reader, now: Date()))
        }
        return (store, users)
    }

    @Test(arguments: StoreImplementation.allCases)
    func upvotesStayExactUnderConcurrencyAndLeaveWithTheirReader(_ implementation: StoreImplementation) async throws {
        let (store, users) = try await Self.store(implementation)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for user in users { for _ in 0..<3 { group.addTask { try await store.setUpvote(userID: user.id, paperID: "2410.00001", on: true, now: Date()) } } }
            for try await _ in group {}
        }
        #expect(try await store.paper(id: "2410.00001")?.upvotes == 5 + 20) // the source's 5 and one per reader
        // A later import with the source's own count keeps the readers' votes apart.
        _ = try await store.upsert([Paper(id: "2410.00001", submittedAt: Date(), title: "A paper", abstract: "About things.", upvotes: 9)])
        #expect(try await store.paper(id: "2410.00001")?.upvotes == 9 + 20)
        try await store.deleteUser(id: users[0].id)
        #expect(try await store.paper(id: "2410.00001")?.upvotes == 9 + 19)
        #expect(try await store.setUpvote(userID: users[1].id, paperID: "2410.00001", on: false, now: Date()) == 9 + 18)
        await #expect(throws: Refusal.notFound("Quire has no paper 'nope'")) {
            try await store.setUpvote(userID: users[1].id, paperID: "nope", on: true, now: Date())
        }
        #expect(try await store.upvotedPaperIDs(userID: users[2].id, among: ["2410.00001", "2410.00002", "nope"]) == ["2410.00001"])
    }

    /// Several servers' worth of clicks at once: 30 readers upvote together,
    /// then half take theirs back while the other half click again.
    @Test(arguments: StoreImplementation.allCases)
    func thirtyReadersUpvotingAtOnceCountThirty(_ implementation: StoreImplementation) async throws {
        let store = try await implementation.make(as: (any Store).self)
        _ = try await store.upsert([Paper(id: "2410.00030", title: "Popular", abstract: "Everyone likes it.", upvotes: 2)])
        var readers: [User] = []
        for i in 0..<30 {
            readers.append(try await store.createUser(username: "r\(i)", email: "r\(i)@example.org", passwordHash: "x", role: .reader, now: Date()))
        }
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for reader in readers {
                group.addTask { try await store.setUpvote(userID: reader.id, paperID: "2410.00030", on: true, now: Date()) }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(try await store.paper(id: "2410.00030")?.upvotes == 2 + 30)
        // Each answer is the count right after that click: all different, the last one the total.
        #expect(Set(counts).count == 30 && counts.max() == 2 + 30)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for (i, reader) in readers.enumerated() {
                group.addTask { try await store.setUpvote(userID: reader.id, paperID: "2410.00030", on: i.isMultiple(of: 2), now: Date()) }
            }
            for try await _ in group {}
        }
        #expect(try await store.paper(id: "2410.00030")?.upvotes == 2 + 15)
    }

    @Test(arguments: StoreImplementation.allCases)
    func submissionsKeepTheirRulesUnderConcurrency(_ implementation: StoreImplementation) async throws {
        let (store, users) = try await Self.store(implementation)
        let today = Day(date: Date())
        // Everyone submits the same paper at once: one wins, the rest are duplicates.
        let results = await withTaskGroup(of: Bool.self) { group in
            for user in users {
                group.addTask {
                    let write = try? await store.insertSubmission(paperID: "2410.00002", userID: user.id, comment: nil, day: today, now: Date(), ifFewerThan: 1)
                    if case .inserted = write { return true } else { return false }
                }
            }
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(results == 1)
        let paper = try #require(try await store.paper(id: "2410.00002"))
        #expect(paper.dailyDate == today && paper.submittedBy?.hasPrefix("u") == true)
    }

    @Test(arguments: StoreImplementation.allCases)
    func oneReadersSubmissionsAtOnceStopAtTheCap(_ implementation: StoreImplementation) async throws {
        let store = try await implementation.make(as: (any Store).self)
        let ids = (1...10).map { String(format: "2410.%05d", $0) }
        _ = try await store.upsert(ids.map { Paper(id: $0, submittedAt: Date(), title: "Paper \($0)", abstract: "x") })
        let reader = try await store.createUser(username: "eager", email: "eager@example.org", passwordHash: "x", role: .reader, now: Date())
        let today = Day(date: Date())
        let writes = try await withThrowingTaskGroup(of: SubmissionWrite.self) { group in
            for id in ids {
                group.addTask { try await store.insertSubmission(paperID: id, userID: reader.id, comment: nil, day: today, now: Date(), ifFewerThan: 3) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(writes.filter { if case .inserted = $0 { true } else { false } }.count == 3)
        #expect(writes.filter { $0 == .capReached(3) }.count == 7)
        #expect(try await store.submissions(userID: reader.id, day: today).count == 3)
    }

    @Test(arguments: StoreImplementation.allCases)
    func aSubmissionPutsThePaperOnTheListOnce(_ implementation: StoreImplementation) async throws {
        let (store, users) = try await Self.store(implementation)
        let today = Day(date: Date())
        let write = try await store.insertSubmission(paperID: "2410.00001", userID: users[0].id, comment: "worth it", day: today, now: Date(), ifFewerThan: 5)
        guard case .inserted(let made) = write else { Issue.record("not inserted: \(write)"); return }
        #expect(made.submitter == "u0" && made.comment == "worth it" && made.day == today.description)
        #expect(try await store.insertSubmission(paperID: "2410.00001", userID: users[1].id, comment: nil, day: today, now: Date(), ifFewerThan: 5)
                == .alreadyListed(today.description))
        await #expect(throws: Refusal.self) {
            try await store.insertSubmission(paperID: "nope", userID: users[1].id, comment: nil, day: today, now: Date(), ifFewerThan: 5)
        }
        #expect(try await store.submissions(userID: users[0].id, day: today).map(\.paperID) == ["2410.00001"])
        #expect(try await store.papers(from: today, to: today.adding(days: 1), submitter: "u0", sort: .publishedAt, offset: 0, limit: 10).items.map(\.id) == ["2410.00001"])
    }

    /// The rules of replies and of who may change a comment are `CommentActions`' (see `CommentActionsTests`).
    @Test(arguments: StoreImplementation.allCases)
    func aDeletedCommentWithRepliesIsKeptEmptied(_ implementation: StoreImplementation) async throws {
        let (store, users) = try await Self.store(implementation)
        let top = try await store.addComment(paperID: "2410.00001", userID: users[0].id, parentID: nil, body: "first", now: Date())
        let reply = try await store.addComment(paperID: "2410.00001", userID: users[1].id, parentID: top.id, body: "second", now: Date())
        #expect(reply.parentID == top.id && reply.author == "u1")
        await #expect(throws: Refusal.notFound("there is no comment 999")) {
            try await store.addComment(paperID: "2410.00001", userID: users[2].id, parentID: 999, body: "to nothing", now: Date())
        }
        try await store.deleteComment(id: top.id)
        let left = try await store.comments(paperID: "2410.00001")
        #expect(left.map(\.deleted) == [true, false] && left[0].body.isEmpty)
        try await store.deleteComment(id: reply.id)
        #expect(try await store.comments(paperID: "2410.00001").map(\.id) == [top.id])
        await #expect(throws: Refusal.self) { try await store.deleteComment(id: reply.id) }
    }

    @Test(arguments: StoreImplementation.allCases)
    func commentsAreEditedAndHidden(_ implementation: StoreImplementation) async throws {
        let (store, users) = try await Self.store(implementation)
        let comment = try await store.addComment(paperID: "2410.00001", userID: users[0].id, parentID: nil, body: "first", now: Date())
        #expect(comment.author == "u0" && comment.editedAt == nil && !comment.hidden)
        let edited = try await store.editComment(id: comment.id, body: "better", now: Date())
        #expect(edited.body == "better" && edited.editedAt != nil)
        await #expect(throws: Refusal.self) { try await store.editComment(id: 999, body: "x", now: Date()) }
        #expect(try await store.setCommentHidden(id: comment.id, hidden: true).hidden)
        #expect(try await store.comment(id: comment.id)?.hidden == true)
        await #expect(throws: Refusal.self) { try await store.setCommentHidden(id: 999, hidden: true) }
        await #expect(throws: Refusal.self) { try await store.addComment(paperID: "nope", userID: users[0].id, parentID: nil, body: "x", now: Date()) }
        #expect(try await store.comment(id: 999) == nil)
    }

    /// Who may change a collection is `CollectionActions`' rule (see `CollectionActionsTests`).
    @Test(arguments: StoreImplementation.allCases)
    func collectionsKeepTheirPapersAndNotes(_ implementation: StoreImplementation) async throws {
        let (store, users) = try await Self.store(implementation)
        let (ada, bob) = (users[0].id, users[1].id)
        let reading = try await store.createCollection(userID: ada, name: "Reading", description: "to read", isPublic: false, now: Date())
        await #expect(throws: Refusal.self) { try await store.createCollection(userID: ada, name: "Reading", description: "", isPublic: true, now: Date()) }
        _ = try await store.createCollection(userID: bob, name: "Reading", description: "", isPublic: true, now: Date()) // names are per reader
        try await store.saveToCollection(id: reading.id, paperID: "2410.00002", note: "later", now: Date())
        try await store.saveToCollection(id: reading.id, paperID: "2410.00001", note: "", now: Date().addingTimeInterval(5))
        try await store.saveToCollection(id: reading.id, paperID: "2410.00002", note: "soon", now: Date().addingTimeInterval(9))
        await #expect(throws: Refusal.self) { try await store.saveToCollection(id: reading.id, paperID: "nope", note: "", now: Date()) }
        await #expect(throws: Refusal.notFound("there is no collection 999")) {
            try await store.saveToCollection(id: 999, paperID: "2410.00001", note: "", now: Date())
        }
        #expect(try await store.collectionEntries(id: reading.id).map { "\($0.paper.id) \($0.note)" } == ["2410.00002 soon", "2410.00001 "])
        #expect(try await store.collection(id: reading.id)?.paperCount == 2)
        #expect(try await store.savedPaperIDs(userID: ada, among: ["2410.00001", "nope"]) == ["2410.00001"])
        #expect(try await store.savedPaperIDs(userID: bob, among: ["2410.00001"]).isEmpty)

        let renamed = try await store.updateCollection(id: reading.id, name: "Queue", description: "d", isPublic: true)
        #expect(renamed.name == "Queue" && renamed.isPublic && renamed.owner == "u0")
        _ = try await store.createCollection(userID: ada, name: "Other", description: "", isPublic: false, now: Date())
        await #expect(throws: Refusal.conflict("you already have a collection named 'Other'")) {
            try await store.updateCollection(id: reading.id, name: "Other", description: "", isPublic: true)
        }
        try await store.removeFromCollection(id: reading.id, paperID: "2410.00001")
        #expect(try await store.collectionEntries(id: reading.id).map(\.paper.id) == ["2410.00002"])
        try await store.deleteCollection(id: reading.id)
        #expect(try await store.collection(id: reading.id) == nil)
        await #expect(throws: Refusal.self) { try await store.deleteCollection(id: reading.id) }
        #expect(try await store.collections(userID: bob).map(\.name) == ["Reading"])
    }

    @Test(arguments: StoreImplementation.allCases)
    func organizationsKeepMembersAndClaims(_ implementation: StoreImplementation) async throws {
        let (store, users) = try await Self.store(implementation)
        let (admin, member, stranger) = (users[0], users[1], users[2])
        let lab = try await store.createOrganization(name: "Deep Lab", adminUserID: admin.id)
        await #expect(throws: Refusal.self) { try await store.createOrganization(name: "Deep Lab", adminUserID: stranger.id) }
        #expect(try await store.requestMembership(organizationSlug: lab.slug, userID: member.id, now: Date()))
        // Asking again writes nothing: one row per reader.
        #expect(try await store.requestMembership(organizationSlug: lab.slug, userID: member.id, now: Date()) == false)
        await #expect(throws: Refusal.self) { try await store.requestMembership(organizationSlug: "no-such-lab", userID: member.id, now: Date()) }
        #expect(try await store.membership(organizationSlug: lab.slug, userID: member.id).map { "\($0.username) \($0.role) \($0.status)" } == "u1 member pending")
        #expect(try await store.membership(organizationSlug: lab.slug, userID: stranger.id) == nil)
        try await store.approveMembership(organizationSlug: lab.slug, userID: member.id, role: .member, now: Date())
        #expect(try await store.members(organizationSlug: lab.slug).map { "\($0.username) \($0.role) \($0.status)" } == ["u0 admin approved", "u1 member approved"])
        // Where a reader is an approved admin (whose webhooks they manage).
        #expect(try await store.organizationSlugs(userID: admin.id, approvedAs: .admin) == [lab.slug])
        #expect(try await store.organizationSlugs(userID: member.id, approvedAs: .admin).isEmpty)
        #expect(try await store.organizationSlugs(userID: member.id, approvedAs: .member) == [lab.slug])
        #expect(try await store.claimPaper(paperID: "2410.00001", organizationSlug: lab.slug, userID: member.id, now: Date(), takingOver: false) == .claimed)
        #expect(try await store.paper(id: "2410.00001")?.organization == "Deep Lab")
        #expect(try await store.organization(slug: lab.slug)?.paperCount == 1)
        await #expect(throws: Refusal.self) {
            try await store.claimPaper(paperID: "2410.99999", organizationSlug: lab.slug, userID: member.id, now: Date(), takingOver: false)
        }

        let other = try await store.createOrganization(name: "Other Lab", adminUserID: stranger.id)
        // Another organization's paper is not taken unless the caller takes it over; nothing is written.
        #expect(try await store.claimPaper(paperID: "2410.00001", organizationSlug: other.slug, userID: stranger.id, now: Date(), takingOver: false)
                == .belongsTo(lab.slug))
        #expect(try await store.paper(id: "2410.00001")?.organization == "Deep Lab")
        #expect(try await store.claimPaper(paperID: "2410.00001", organizationSlug: other.slug, userID: stranger.id, now: Date(), takingOver: true) == .claimed)
        #expect(try await store.paper(id: "2410.00001")?.organization == "Other Lab")
    }

    /// An organization keeps an admin while it has members: when its only
    /// admin's account goes, the longest-standing approved member takes over.
    @Test(arguments: StoreImplementation.allCases)
    func anOrganizationOutlivesItsOnlyAdminsAccount(_ implementation: StoreImplementation) async throws {
        let (store, users) = try await Self.store(implementation)
        let (founder, pending, first, second) = (users[0], users[1], users[2], users[3])
        let lab = try await store.createOrganization(name: "Deep Lab", adminUserID: founder.id)
        let solo = try await store.createOrganization(name: "Solo Lab", adminUserID: founder.id)
        let start = Date()
        _ = try await store.requestMembership(organizationSlug: lab.slug, userID: pending.id, now: start)
        for (offset, user) in [first, second].enumerated() {
            _ = try await store.requestMembership(organizationSlug: lab.slug, userID: user.id, now: start.addingTimeInterval(Double(offset + 1)))
            try await store.approveMembership(organizationSlug: lab.slug, userID: user.id, role: .member, now: start.addingTimeInterval(10))
        }
        try await store.deleteUser(id: founder.id)
        #expect(try await store.members(organizationSlug: lab.slug).map { "\($0.username) \($0.role) \($0.status)" }.sorted()
                == ["u1 member pending", "u2 admin approved", "u3 member approved"])
        // With nobody left it stays, with its papers, for a site admin to hand on.
        #expect(try await store.organization(slug: solo.slug) != nil)
        #expect(try await store.members(organizationSlug: solo.slug).isEmpty)
    }

    @Test(arguments: StoreImplementation.allCases)
    func aReadersExportHoldsEverythingTheyMade(_ implementation: StoreImplementation) async throws {
        let (store, users) = try await Self.store(implementation)
        let ada = users[0].id
        _ = try await store.setUpvote(userID: ada, paperID: "2410.00002", on: true, now: Date())
        _ = try await store.insertSubmission(paperID: "2410.00001", userID: ada, comment: "good", day: Day(date: Date()), now: Date(), ifFewerThan: 5)
        _ = try await store.addComment(paperID: "2410.00001", userID: ada, parentID: nil, body: "mine", now: Date())
        _ = try await store.addComment(paperID: "2410.00001", userID: users[1].id, parentID: nil, body: "theirs", now: Date())
        let list = try await store.createCollection(userID: ada, name: "List", description: "", isPublic: true, now: Date())
        try await store.saveToCollection(id: list.id, paperID: "2410.00002", note: "n", now: Date())
        let lab = try await store.createOrganization(name: "Ada Lab", adminUserID: ada)
        _ = try await store.createAPIToken(userID: ada, name: "laptop", tokenHash: "h", prefix: "qt_", now: Date())

        let export = try await store.export(userID: ada, now: Date())
        #expect(export.user.username == "u0")
        #expect(export.upvotes.map(\.paperID) == ["2410.00002"])
        #expect(export.submissions.map(\.paperID) == ["2410.00001"] && export.submissions.first?.comment == "good")
        #expect(export.comments.map(\.body) == ["mine"])
        #expect(export.collections.map { "\($0.collection.name): \($0.papers.map(\.paperID))" } == ["List: [\"2410.00002\"]"])
        #expect(export.memberships.map(\.organization) == [lab.name])
        #expect(export.apiTokens.map(\.name) == ["laptop"])
        await #expect(throws: Refusal.self) { try await store.export(userID: 999, now: Date()) }
    }
}
