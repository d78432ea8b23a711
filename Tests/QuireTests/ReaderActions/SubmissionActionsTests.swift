import Foundation
import QuireCore
import ReaderActions
import Storage
import Testing

/// The rules of the daily list, against the in-memory store.
@Suite struct SubmissionActionsTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    static func setUp(papers: [Paper]) async throws -> (SubmissionActions, InMemoryStore, User) {
        let store = InMemoryStore()
        _ = try await store.upsert(papers)
        let reader = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "x", role: .reader, now: now)
        return (SubmissionActions(store: store, rules: SubmissionRules(dailyCap: 2, maxAgeDays: 14), now: { now }), store, reader)
    }

    static func recent(_ id: String, daysOld: Double = 1) -> Paper {
        Paper(id: id, submittedAt: now.addingTimeInterval(-daysOld * 86_400), title: "Paper \(id)", abstract: "x")
    }

    @Test func aReaderSubmitsUpToTheCapADay() async throws {
        let papers = (1...3).map { Self.recent("2410.0000\($0)") }
        let (actions, store, ada) = try await Self.setUp(papers: papers)
        let first = try await actions.submit(comment: "  ", by: ada, paper: { papers[0] })
        #expect(first.comment == nil && first.submitter == "ada" && first.day == Day(date: Self.now).description)
        #expect(try await actions.submit(comment: "good", by: ada, paper: { papers[1] }).comment == "good")
        await #expect(throws: Refusal.ruleBroken("you have submitted 2 papers today, the most one reader may; try again tomorrow")) {
            try await actions.submit(comment: nil, by: ada, paper: { papers[2] })
        }
        #expect(try await store.paper(id: papers[2].id)?.dailyDate == nil)
    }

    @Test func oldAndListedPapersAreRefused() async throws {
        let old = Self.recent("2301.00001", daysOld: 15), fresh = Self.recent("2410.00001")
        let (actions, store, ada) = try await Self.setUp(papers: [old, fresh])
        await #expect(throws: Refusal.ruleBroken("2301.00001 was published on \(Day(date: old.submittedAt ?? Self.now)); only papers from the last 14 days can be submitted")) {
            try await actions.submit(comment: nil, by: ada, paper: { old })
        }
        _ = try await actions.submit(comment: nil, by: ada, paper: { fresh })
        let listed = try #require(try await store.paper(id: fresh.id))
        await #expect(throws: Refusal.conflict("2410.00001 is already on the daily list of \(Day(date: Self.now))")) {
            try await actions.submit(comment: nil, by: ada, paper: { listed })
        }
        // Known to the caller but listed meanwhile: the store's write says so.
        let bob = try await store.createUser(username: "bob", email: "bob@example.org", passwordHash: "x", role: .reader, now: Self.now)
        await #expect(throws: Refusal.conflict("2410.00001 is already on the daily list of \(Day(date: Self.now))")) {
            try await actions.submit(comment: nil, by: bob, paper: { fresh })
        }
    }

    @Test func aCommentTooLongIsRefusedBeforeThePaperIsLookedUp() async throws {
        let (actions, _, ada) = try await Self.setUp(papers: [])
        let long = String(repeating: "x", count: SubmissionRules.maxCommentLength + 1)
        await #expect(throws: Refusal.invalid("keep the submission comment to 1000 characters")) {
            try await actions.submit(comment: long, by: ada, paper: {
                Issue.record("the paper was looked up")
                return Self.recent("2410.00001")
            })
        }
    }
}
