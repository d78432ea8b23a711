import Foundation
import QuireCore
import ReaderActions
import Storage
import Testing

/// Mutes: what each kind accepts, how it is kept, what it hides.
struct MuteActionsTests {
    static let day = Day(year: 2026, month: 11, day: 2) ?? Day(date: Date())

    @Test func eachKindIsCheckedAndNormalized() async throws {
        let store = InMemoryStore()
        _ = try await store.upsert([Paper(id: "2411.00001", title: "A", abstract: "x", authors: ["Jane Doe"], dailyDate: Self.day)])
        let ada = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "x", role: .reader, now: Date())
        let mutes = MuteActions(store: store)
        #expect(try await mutes.add(.phrase, "  Large   Language Models ", by: ada) == Mute(kind: .phrase, value: "large language models"))
        #expect(try await mutes.add(.author, "jane doe", by: ada) == Mute(kind: .author, value: "jane-doe"))
        #expect(try await mutes.add(.category, "CS.cr", by: ada) == Mute(kind: .category, value: "cs.CR"))
        await #expect(throws: Refusal.self) { try await mutes.add(.author, "Nobody Here", by: ada) }
        await #expect(throws: Refusal.self) { try await mutes.add(.category, "cs.XYZ", by: ada) }
        await #expect(throws: Refusal.self) { try await mutes.add(.phrase, "   ", by: ada) }
        await #expect(throws: Refusal.self) { try await mutes.add(.phrase, "--", by: ada) }
        await #expect(throws: Refusal.self) { try await mutes.add(.phrase, String(repeating: "a", count: 101), by: ada) }
        // Listed by name, not slug.
        let named = try await mutes.named(try await mutes.settings(of: ada))
        #expect(named.map(\.name) == ["Jane Doe", "cs.CR", "large language models"])
        // Only opted-in readers have every list muted.
        let (list, feed, anonymous) = (try await mutes.listRule(for: ada), try await mutes.feedRule(for: ada), try await mutes.listRule(for: nil))
        #expect(list.isEmpty && !feed.isEmpty && anonymous.isEmpty)
        try await mutes.setEverywhere(true, by: ada)
        let everywhere = try await mutes.listRule(for: ada)
        #expect(!everywhere.isEmpty)
        try await mutes.remove(Mute(kind: .author, value: "jane-doe"), by: ada)
        #expect(try await mutes.settings(of: ada).mutes.count == 2)
    }

    @Test func theCapRefusesMore() async throws {
        let store = InMemoryStore()
        let ada = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "x", role: .reader, now: Date())
        let mutes = MuteActions(store: store)
        for n in 0..<MuteActions.maxMutes { _ = try await mutes.add(.phrase, "word\(n)", by: ada) }
        await #expect(throws: Refusal.self) { try await mutes.add(.phrase, "one more", by: ada) }
        _ = try await mutes.add(.phrase, "word0", by: ada)  // a repeat is not a new one
    }

    @Test func whatAMuteHides() {
        let paper = Paper(id: "1", title: "Diffusion-Based Video Generation", abstract: "We study naïve Bayes models.",
                          authors: ["José Núñez", "Ann Lee"], categories: ["cs.CV", "cs.LG"])
        func hides(_ mutes: [Mute]) -> Bool { MuteRule(mutes).hides(paper) }
        #expect(!hides([]))
        #expect(hides([Mute(kind: .phrase, value: "diffusion")]))
        #expect(hides([Mute(kind: .phrase, value: "video generation")]))
        #expect(hides([Mute(kind: .phrase, value: "naive bayes")]))  // accents ignored
        #expect(!hides([Mute(kind: .phrase, value: "diff")]))  // whole words only
        #expect(!hides([Mute(kind: .phrase, value: "generation video")]))  // in order
        #expect(hides([Mute(kind: .author, value: Slug.stable("Jose Nunez"))]))
        #expect(!hides([Mute(kind: .author, value: "ann")]))
        #expect(hides([Mute(kind: .category, value: "cs.LG")]))
        #expect(hides([Mute(kind: .category, value: "cs")]))  // an archive mutes its categories
        #expect(!hides([Mute(kind: .category, value: "cs.CL")]))
        #expect(MuteRule([Mute(kind: .phrase, value: "video")]).filter([paper, Paper(id: "2", title: "Text", abstract: "")]).map(\.id) == ["2"])
    }
}
