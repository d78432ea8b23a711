import Foundation
import QuireCore
import Storage
import Testing

/// The rules the store keeps for readers' signals, on a real SQLite file.
@Suite struct ReaderStoreTests {
    static func store() async throws -> (SQLiteStore, [User]) {
        let store = try TestSupport.temporaryStore()
        _ = try await store.upsert([Paper(id: "2410.00001", submittedAt: Date(), title: "A paper", abstract: "About things.", upvotes: 5),
                                    Paper(id: "2410.00002", submittedAt: Date(), title: "Another", abstract: "More.")])
        var users: [User] = []
        for i in 0..<20 {
            users.append(try await store.createUser(username: "u\(i)", email: "u\(i)@example.org", passwordHash: "x", role: .reader, now: Date()))
        }
        return (store, users)
    }

    @Test func upvotesStayExactUnderConcurrencyAndLeaveWithTheirReader() async throws {
        let (store, users) = try await Self.store()
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
        await #expect(throws: StoreError.notFound("Quire has no paper 'nope'")) {
            try await store.setUpvote(userID: users[1].id, paperID: "nope", on: true, now: Date())
        }
    }

    @Test func submissionsKeepTheirRulesUnderConcurrency() async throws {
        let (store, users) = try await Self.store()
        let rules = SubmissionRules(dailyCap: 1, maxAgeDays: 14)
        let today = Day(date: Date())
        // Everyone submits the same paper at once: one wins, the rest are duplicates.
        let results = await withTaskGroup(of: Bool.self) { group in
            for user in users { group.addTask { (try? await store.submit(paperID: "2410.00002", userID: user.id, comment: nil, day: today, rules: rules, now: Date())) != nil } }
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(results == 1)
        let paper = try #require(try await store.paper(id: "2410.00002"))
        #expect(paper.dailyDate == today && paper.submittedBy?.hasPrefix("u") == true)
    }

    @Test func commentsNestOneLevelAndOnlyTheirAuthorChangesThem() async throws {
        let (store, users) = try await Self.store()
        let top = try await store.addComment(paperID: "2410.00001", userID: users[0].id, parentID: nil, body: "first", now: Date())
        let reply = try await store.addComment(paperID: "2410.00001", userID: users[1].id, parentID: top.id, body: "second", now: Date())
        await #expect(throws: StoreError.self) { try await store.addComment(paperID: "2410.00001", userID: users[2].id, parentID: reply.id, body: "third", now: Date()) }
        await #expect(throws: StoreError.self) { try await store.addComment(paperID: "2410.00002", userID: users[2].id, parentID: top.id, body: "elsewhere", now: Date()) }
        await #expect(throws: StoreError.self) { try await store.editComment(id: top.id, userID: users[1].id, body: "mine", now: Date()) }
        try await store.deleteComment(id: top.id, userID: users[0].id)
        let left = try await store.comments(paperID: "2410.00001")
        #expect(left.map(\.deleted) == [true, false] && left[0].body.isEmpty)
        try await store.deleteComment(id: reply.id, userID: users[1].id)
        #expect(try await store.comments(paperID: "2410.00001").map(\.id) == [top.id])
    }
}
