import Foundation
import QuireCore
import Storage
import Testing

/// What every `SummaryStore` keeps true: summaries are stored whole (the
/// keyphrases in order, TeX as written), come with the paper on every read,
/// are replaced, and go when the paper's text changes, so they are made again.
@Suite(.postgresSchemas) struct SummaryStoreContract {
    typealias Store = any PaperStore & SummaryStore

    @Test(arguments: StoreImplementation.allCases)
    func summariesComeWithThePaperAndGoWhenItsTextChanges(_ implementation: StoreImplementation) async throws {
        let store = try await PaperStoreContract.store(implementation, as: Store.self)
        let model = "test-model"
        #expect(try await store.papersWithoutSummary(model: model, limit: 10).map(\.id) == ["2410.00001", "2410.00002", "2410.00003"])
        #expect(try await store.papersWithoutSummary(model: model, limit: 2).count == 2)

        let sparse = PaperSummary(text: "We make attention sparse at $O(n \\log n)$ cost.", keyphrases: ["sparse attention", "long documents", "Zürich", "GPT-4"])
        try await store.saveSummaries([("2410.00001", sparse), ("no-such-paper", sparse)], model: model)
        #expect(try await store.paper(id: "2410.00001")?.summary == sparse)
        #expect(try await store.paper(id: "2410.00002")?.summary == nil)
        #expect(try await store.papersWithoutSummary(model: model, limit: 10).map(\.id) == ["2410.00002", "2410.00003"])
        // Another model's summaries do not count as this one's.
        #expect(try await store.papersWithoutSummary(model: "other", limit: 10).count == 3)

        // Lists carry it too.
        let day = PaperStoreContract.day
        let listed = try await store.papers(from: day, to: day.adding(days: 1), submitter: nil, sort: .upvotes, offset: 0, limit: 10)
        #expect(listed.items.first { $0.id == "2410.00001" }?.summary == sparse)
        #expect(try await store.papers(ids: ["2410.00001"]).first?.summary == sparse)

        // Replaced; an empty list of keyphrases is kept as empty.
        let shorter = PaperSummary(text: "Sparse.", keyphrases: [])
        try await store.saveSummaries([("2410.00001", shorter), ("2410.00002", sparse)], model: model)
        #expect(try await store.paper(id: "2410.00001")?.summary == shorter)
        #expect(try await store.paper(id: "2410.00002")?.summary == sparse)

        // A paper read and written back keeps its summary and is unchanged.
        let held = try #require(try await store.paper(id: "2410.00002"))
        #expect(try await store.upsert([held]) == [.unchanged])
        // New upvotes change nothing of its text: the summary stays.
        _ = try await store.upsert([Paper(id: "2410.00002", title: "Dense retrieval", abstract: "Retrieval with dense vectors and attention.", upvotes: 9)])
        #expect(try await store.paper(id: "2410.00002")?.summary == sparse)
        // A new abstract makes it stale: gone, and the paper is to be summarised again.
        _ = try await store.upsert([Paper(id: "2410.00002", version: 2, title: "Dense retrieval", abstract: "A new abstract.")])
        #expect(try await store.paper(id: "2410.00002")?.summary == nil)
        #expect(try await store.papersWithoutSummary(model: model, limit: 10).map(\.id) == ["2410.00002", "2410.00003"])
        // A summary a paper carries when it is written is not taken from it.
        var carried = try #require(try await store.paper(id: "2410.00003"))
        carried.summary = sparse
        carried.sourceUpvotes = 50
        _ = try await store.upsert([carried])
        #expect(try await store.paper(id: "2410.00003")?.summary == nil)
    }
}
