import Foundation
import PostgresStorage
import QuireCore
import Storage
import Testing

/// The shared embedding backlog (`EmbeddingClaims`): workers in two
/// processes (two `PostgresStore`s over one schema) never get the same
/// paper, a claim whose lease ran out is taken over, and a worker whose claim
/// was taken over stores nothing. Only PostgreSQL shares a backlog; SQLite
/// keeps its single worker.
@Suite(.postgresSchemas, .enabled(if: PostgresTestSchemas.address != nil, "needs QUIRE_TEST_POSTGRES_URL"))
struct EmbeddingClaimsContract {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let model = "all-MiniLM-L6-v2"

    static func twoProcesses(papers: Int) async throws -> (PostgresStore, PostgresStore) {
        let first = try await PostgresTestSchemas.makeStore()
        _ = try await first.upsert((1...papers).map { i in
            Paper(id: "2410.\(String(format: "%05d", i))", title: "Paper \(i)", abstract: "About thing \(i).")
        })
        return (first, try await PostgresTestSchemas.makeStore(schema: first.schema))
    }

    static func vectors(_ papers: [Paper]) -> [(id: String, vector: [Float])] {
        papers.map { ($0.id, [1, 2, 3]) }
    }

    @Test func workersClaimingAtOnceGetDisjointBatchesCoveringTheBacklog() async throws {
        let (first, second) = try await Self.twoProcesses(papers: 60)
        let lease = Self.now.addingTimeInterval(60)
        let batches = try await withThrowingTaskGroup(of: [String].self) { group in
            for worker in 0..<8 {
                let store = worker.isMultiple(of: 2) ? first : second
                group.addTask {
                    try await store.claimPapersWithoutEmbedding(model: Self.model, limit: 10, worker: "w\(worker)", now: Self.now, leaseUntil: lease)
                        .papers.map(\.id)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let claimed = batches.flatMap { $0 }
        #expect(claimed.count == 60 && Set(claimed).count == 60, "each paper claimed once: \(batches.map(\.count))")
        // Nothing is left to claim, but the papers are held until stored.
        let nothing = try await first.claimPapersWithoutEmbedding(model: Self.model, limit: 10, worker: "late", now: Self.now, leaseUntil: lease)
        #expect(nothing.papers.isEmpty && nothing.heldElsewhere)
    }

    @Test func aWorkerStoresOnlyWhatItHoldsAndADeadWorkersBatchIsTakenOver() async throws {
        let (first, second) = try await Self.twoProcesses(papers: 6)
        let a = try await first.claimPapersWithoutEmbedding(model: Self.model, limit: 3, worker: "a", now: Self.now,
                                                            leaseUntil: Self.now.addingTimeInterval(30)).papers
        let b = try await second.claimPapersWithoutEmbedding(model: Self.model, limit: 3, worker: "b", now: Self.now,
                                                             leaseUntil: Self.now.addingTimeInterval(30)).papers
        #expect(Set(a.map(\.id)).isDisjoint(with: b.map(\.id)) && a.count == 3 && b.count == 3)
        // "a" cannot store "b"'s papers.
        #expect(try await first.saveClaimedEmbeddings(Self.vectors(b), model: Self.model, worker: "a") == 0)
        #expect(try await first.saveClaimedEmbeddings(Self.vectors(a), model: Self.model, worker: "a") == 3)
        // "b" dies; within its lease nobody takes its papers, after it "c" does.
        let early = try await first.claimPapersWithoutEmbedding(model: Self.model, limit: 10, worker: "c", now: Self.now.addingTimeInterval(29),
                                                                leaseUntil: Self.now.addingTimeInterval(59))
        #expect(early.papers.isEmpty && early.heldElsewhere)
        let later = Self.now.addingTimeInterval(31)
        let takenOver = try await first.claimPapersWithoutEmbedding(model: Self.model, limit: 10, worker: "c", now: later,
                                                                    leaseUntil: later.addingTimeInterval(30)).papers
        #expect(Set(takenOver.map(\.id)) == Set(b.map(\.id)))
        // "b" was only slow: what it embedded is dropped, "c"'s is stored.
        #expect(try await second.saveClaimedEmbeddings(Self.vectors(b), model: Self.model, worker: "b") == 0)
        #expect(try await first.saveClaimedEmbeddings(Self.vectors(takenOver), model: Self.model, worker: "c") == 3)
        let done = try await second.claimPapersWithoutEmbedding(model: Self.model, limit: 10, worker: "d", now: later, leaseUntil: later)
        #expect(done.papers.isEmpty && !done.heldElsewhere)
        #expect(try await first.papersWithoutEmbedding(model: Self.model, limit: 10).isEmpty)
        #expect(try await second.embeddings(model: Self.model, afterSeq: 0, limit: 10).count == 6)
    }

    @Test func aWorkerThatStopsGivesItsClaimsBack() async throws {
        let (first, second) = try await Self.twoProcesses(papers: 4)
        let lease = Self.now.addingTimeInterval(600)
        let held = try await first.claimPapersWithoutEmbedding(model: Self.model, limit: 4, worker: "a", now: Self.now, leaseUntil: lease).papers
        #expect(held.count == 4)
        try await first.releaseEmbeddingClaims(worker: "a")
        #expect(try await second.claimPapersWithoutEmbedding(model: Self.model, limit: 4, worker: "b", now: Self.now, leaseUntil: lease).papers.count == 4)
    }

    @Test func aPaperStoredOutsideTheClaimsIsNotClaimed() async throws {
        let (first, _) = try await Self.twoProcesses(papers: 2)
        // `quire import` embeds its new papers without claims (one process).
        try await first.saveEmbeddings([("2410.00001", [1, 2, 3])], model: Self.model)
        let claim = try await first.claimPapersWithoutEmbedding(model: Self.model, limit: 5, worker: "a", now: Self.now,
                                                                leaseUntil: Self.now.addingTimeInterval(60))
        #expect(claim.papers.map(\.id) == ["2410.00002"])
    }
}
