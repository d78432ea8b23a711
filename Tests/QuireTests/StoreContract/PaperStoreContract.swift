import Foundation
import QuireCore
import Search
import Storage
import Testing

/// What every `PaperStore` keeps true about papers: merging, lists, authors
/// and organizations, searches and embeddings.
@Suite(.postgresSchemas) struct PaperStoreContract {
    static let day = Day(year: 2024, month: 10, day: 25) ?? Day(date: Date())

    /// Three papers over two days, two of them on the daily list.
    /// As `Store`, the protocols the test uses (see `StoreImplementation.make(as:)`).
    static func store<Store>(_ implementation: StoreImplementation, as type: Store.Type = (any QuireStore).self) async throws -> Store {
        let store = try await implementation.make(as: type)
        let papers = try #require(store as? any PaperStore)
        let outcomes = try await papers.upsert([
            Paper(id: "2410.00001", submittedAt: day.start, title: "Sparse attention for long documents", abstract: "We make attention sparse.",
                  authors: ["Ada Lovelace", "Alan Turing"], categories: ["cs.CL", "cs.LG"], organization: "Deep Lab", upvotes: 3, dailyDate: day),
            Paper(id: "2410.00002", submittedAt: day.start, title: "Dense retrieval", abstract: "Retrieval with dense vectors and attention.",
                  authors: ["Alan Turing"], categories: ["cs.IR"], upvotes: 7, dailyDate: day),
            Paper(id: "2410.00003", submittedAt: day.adding(days: -1).start, title: "Graph networks", abstract: "Message passing.",
                  authors: ["Grace Hopper"], categories: ["cs.LG"]),
        ], checkpoint: Checkpoint(key: "test:cs", value: "page-2"))
        #expect(outcomes == [.inserted, .inserted, .inserted])
        return store
    }

    @Test(arguments: StoreImplementation.allCases)
    func aStoredPaperWrittenBackKeepsReadersUpvotesApart(_ implementation: StoreImplementation) async throws {
        let store = try await implementation.make()
        _ = try await store.upsert([Paper(id: "2410.00001", title: "A paper", abstract: "About things.", upvotes: 5)])
        var readers: [User] = []
        for i in 0..<3 {
            let reader = try await store.createUser(username: "r\(i)", email: "r\(i)@example.org", passwordHash: "x", role: .reader, now: Date())
            _ = try await store.setUpvote(userID: reader.id, paperID: "2410.00001", on: true, now: Date())
            readers.append(reader)
        }
        // What a harvester does with an OAI deletion record: read, mark, store.
        var held = try #require(try await store.paper(id: "2410.00001"))
        #expect(held.upvotes == 5 + 3)
        held.withdrawn = true
        #expect(try await store.upsert([held]) == [.updated])
        #expect(try await store.paper(id: "2410.00001")?.upvotes == 5 + 3)
        #expect(try await store.paper(id: "2410.00001")?.withdrawn == true)
        // Written back unchanged, it is unchanged.
        #expect(try await store.upsert([try #require(try await store.paper(id: "2410.00001"))]) == [.unchanged])
        #expect(try await store.setUpvote(userID: readers[0].id, paperID: "2410.00001", on: false, now: Date()) == 5 + 2)
        // The source's own count still merges as before (the highest wins).
        _ = try await store.upsert([Paper(id: "2410.00001", title: "A paper", abstract: "About things.", upvotes: 6)])
        #expect(try await store.paper(id: "2410.00001")?.upvotes == 6 + 2)
    }

    @Test(arguments: StoreImplementation.allCases)
    func papersMergeAndKeepTheirCheckpoint(_ implementation: StoreImplementation) async throws {
        let store = try await Self.store(implementation, as: (any PaperStore).self)
        #expect(try await store.checkpoint("test:cs") == "page-2")
        #expect(try await store.checkpoint("other") == nil)
        let newer = Paper(id: "2410.00003", version: 2, title: "Graph neural networks", abstract: "", authors: [], githubStars: 12)
        #expect(try await store.upsert([newer, newer]) == [.updated, .unchanged])
        let paper = try #require(try await store.paper(id: "2410.00003"))
        #expect(paper.title == "Graph neural networks" && paper.abstract == "Message passing." && paper.authors == ["Grace Hopper"])
        #expect(paper.version == 2 && paper.githubStars == 12 && paper.categories == ["cs.LG"])
        #expect(try await store.papers(ids: ["2410.00003", "nope", "2410.00001"]).map(\.id) == ["2410.00003", "2410.00001"])
        #expect(try await store.paper(id: "2410.00001")?.organization == "Deep Lab")
    }

    /// `category=` on the lists: a category, an archive for all its
    /// categories, several for any of them, without case.
    @Test(arguments: StoreImplementation.allCases)
    func listsNarrowToCategories(_ implementation: StoreImplementation) async throws {
        let store = try await Self.store(implementation, as: (any PaperStore).self)
        _ = try await store.upsert([Paper(id: "2410.00004", submittedAt: Self.day.start, title: "Cells", abstract: "",
                                          categories: ["q-bio.CB", "csx.AI"], dailyDate: Self.day)])
        let (from, to) = (Self.day.adding(days: -1), Self.day.adding(days: 1))
        func ids(_ categories: [String]) async throws -> [String] {
            let selection = try CategorySelection(parsing: categories)
            let page = try await store.papers(from: from, to: to, submitter: nil, categories: selection, sort: .upvotes, offset: 0, limit: 10)
            #expect(page.total == page.items.count)
            let signals = try await store.listSignals(from: from, to: to, categories: selection)
            #expect(Set(signals.map(\.id)) == Set(page.items.map(\.id)))
            return page.items.map(\.id)
        }
        #expect(try await ids(["cs.LG"]) == ["2410.00001", "2410.00003"])
        #expect(try await ids(["CS.lg"]) == ["2410.00001", "2410.00003"])
        // "cs" is every cs.* category, not "csx.AI".
        #expect(try await ids(["cs"]) == ["2410.00002", "2410.00001", "2410.00003"])
        #expect(try await ids(["cs.IR", "q-bio"]) == ["2410.00002", "2410.00004"])
        #expect(try await ids(["cs.CV"]) == [])
        #expect(try await ids([]).count == 4)
        // A filtered day's neighbours are the nearest days with a paper in those categories.
        let (ir, qbio, lg) = (try CategorySelection(parsing: ["cs.IR"]), try CategorySelection(parsing: ["q-bio"]), try CategorySelection(parsing: ["cs.LG"]))
        #expect(try await store.listDay(before: Self.day, categories: ir) == nil)
        #expect(try await store.listDay(before: Self.day, categories: lg) == Self.day.adding(days: -1))
        #expect(try await store.listDay(after: Self.day.adding(days: -5), categories: ir) == Self.day)
        #expect(try await store.listDay(after: Self.day.adding(days: -5), categories: qbio) == Self.day)
        #expect(try await store.listDay(after: Self.day.adding(days: -2), categories: try CategorySelection(parsing: ["cs.CV"])) == nil)
    }

    /// The walk behind `/api/papers`: store order, resumable, and a paper
    /// stored during the walk comes at its end.
    @Test(arguments: StoreImplementation.allCases)
    func everyPaperInStoreOrderFromAPosition(_ implementation: StoreImplementation) async throws {
        let store = try await Self.store(implementation, as: (any PaperStore).self)
        let first = try await store.papers(storedAfter: 0, limit: 2)
        #expect(first.map(\.paper.id) == ["2410.00001", "2410.00002"])
        #expect(first.first?.paper.categories == ["cs.CL", "cs.LG"] && first.first?.paper.organization == "Deep Lab")
        let resume = try #require(first.last?.seq)
        _ = try await store.upsert([Paper(id: "2410.00000", title: "Stored last", abstract: "")])
        let rest = try await store.papers(storedAfter: resume, limit: 10)
        #expect(rest.map(\.paper.id) == ["2410.00003", "2410.00000"])
        #expect(try await store.papers(storedAfter: try #require(rest.last?.seq), limit: 10).isEmpty)
    }

    @Test(arguments: StoreImplementation.allCases)
    func onePaperImportedManyTimesAtOnceIsStoredOnce(_ implementation: StoreImplementation) async throws {
        let store = try await implementation.make(as: (any PaperStore).self)
        // Two harvesters (several servers) meeting the same new paper: one inserts it, the others merge into it.
        let paper = Paper(id: "2410.00009", title: "Shared", abstract: "Met twice.", authors: ["Ada Lovelace", "Alan Turing"], categories: ["cs.LG"])
        let outcomes = try await withThrowingTaskGroup(of: [UpsertOutcome].self) { group in
            for _ in 0..<10 { group.addTask { try await store.upsert([paper]) } }
            return try await group.reduce(into: [UpsertOutcome]()) { $0 += $1 }
        }
        #expect(outcomes.filter { $0 == .inserted }.count == 1 && outcomes.filter { $0 == .unchanged }.count == 9)
        let stored = try #require(try await store.paper(id: "2410.00009"))
        #expect(stored.authors == ["Ada Lovelace", "Alan Turing"] && stored.categories == ["cs.LG"])
        #expect(try await store.stats().authors == 2)
    }

    /// Several importers at once whose batches share new authors and
    /// organizations, named in different orders: none waits for ever on
    /// another (PostgreSQL would end one with a deadlock error), and each
    /// name is stored once.
    @Test(arguments: StoreImplementation.allCases)
    func batchesSharingNewNamesAtOnceAllLand(_ implementation: StoreImplementation) async throws {
        let store = try await implementation.make(as: (any PaperStore).self)
        let names = (0..<12).map { "Author \($0)" }
        let outcomes = try await withThrowingTaskGroup(of: [UpsertOutcome].self) { group in
            for batch in 0..<8 {
                let order = batch.isMultiple(of: 2) ? names : names.reversed()
                let papers = (0..<20).map { i in
                    Paper(id: String(format: "2410.%05d", batch * 100 + i), title: "Paper \(batch)-\(i)", abstract: "x",
                          authors: Array(order.dropFirst(i % 4).prefix(5)), categories: ["cs.LG"], organization: "Lab \((batch + i) % 3)")
                }
                group.addTask { try await store.upsert(papers) }
            }
            return try await group.reduce(into: [UpsertOutcome]()) { $0 += $1 }
        }
        #expect(outcomes.count == 160 && outcomes.allSatisfy { $0 == .inserted })
        let stats = try await store.stats()
        #expect(stats.papers == 160 && stats.authors == 12 && stats.organizations == 3)
        #expect(try await store.paper(id: "2410.00101")?.authors == Array(names.reversed().dropFirst(1).prefix(5)))
    }

    @Test(arguments: StoreImplementation.allCases)
    func listsAreOrderedAndPaged(_ implementation: StoreImplementation) async throws {
        let store = try await Self.store(implementation, as: (any PaperStore).self)
        let (day, next) = (Self.day, Self.day.adding(days: 1))
        let byList = try await store.papers(from: day.adding(days: -1), to: next, submitter: nil, sort: .publishedAt, offset: 0, limit: 10)
        #expect(byList.items.map(\.id) == ["2410.00002", "2410.00001", "2410.00003"] && byList.total == 3)
        let page = try await store.papers(from: day.adding(days: -1), to: next, submitter: nil, sort: .upvotes, offset: 1, limit: 1)
        #expect(page.items.map(\.id) == ["2410.00001"] && page.total == 3)
        #expect(try await store.papers(from: next, to: next.adding(days: 1), submitter: nil, sort: .upvotes, offset: 0, limit: 10).total == 0)
        #expect(try await store.latestListDay() == day)
        #expect(try await store.listDay(before: day, categories: .everything) == day.adding(days: -1))
        #expect(try await store.listDay(after: day, categories: .everything) == nil)
        #expect(try await store.listDay(after: day.adding(days: -5), categories: .everything) == day.adding(days: -1))
        let signals = try await store.listSignals(from: day, to: next).sorted { $0.id < $1.id }
        #expect(signals == [ListSignal(id: "2410.00001", upvotes: 3, listedAt: day.start), ListSignal(id: "2410.00002", upvotes: 7, listedAt: day.start)])
        let stats = try await store.stats()
        #expect(stats.papers == 3 && stats.authors == 3 && stats.organizations == 1 && stats.onDailyList == 2)
        #expect(stats.firstDay == day.adding(days: -1).description && stats.lastDay == day.description)
    }

    @Test(arguments: StoreImplementation.allCases)
    func authorsAndOrganizationsHaveTheirPapers(_ implementation: StoreImplementation) async throws {
        let store = try await Self.store(implementation, as: (any PaperStore).self)
        let turing = Slug.stable("Alan Turing")
        let author = try #require(try await store.author(slug: turing))
        #expect(author.slug == turing && author.name == "Alan Turing" && author.paperCount == 2)
        #expect(try await store.author(slug: "nobody") == nil)
        let page = try await store.papers(authorSlug: turing, offset: 0, limit: 1)
        #expect(page.items.map(\.id) == ["2410.00002"] && page.total == 2)
        let lab = Slug.stable("Deep Lab")
        let organization = try #require(try await store.organization(slug: lab))
        #expect(organization.name == "Deep Lab" && organization.paperCount == 1)
        #expect(try await store.papers(organizationSlug: lab, offset: 0, limit: 10).items.map(\.id) == ["2410.00001"])
        #expect(try await store.organization(slug: "no-lab") == nil)
    }

    /// Text comes back byte for byte, whatever it holds: PostgreSQL's bulk
    /// path (COPY's text format) reserves backslashes, tabs, line breaks and
    /// `\N` (NULL), and must escape them all.
    @Test(arguments: StoreImplementation.allCases)
    func textWithEveryReservedByteComesBackAsWritten(_ implementation: StoreImplementation) async throws {
        let store = try await implementation.make(as: (any PaperStore).self)
        let odd = "\\N"
        let paper = Paper(id: "2410.00011", version: 1, title: "Back\\slash\ttab\nline\r\nend \\N \\\\N", abstract: odd,
                          authors: ["Balázs \\ Kovács", "Tab\tName", odd, "数学 🙂"], categories: ["cs.LG", "x\\y"], comments: odd,
                          journalRef: "\t", doi: "\n", organization: "Lab \\ Two", upvotes: 2)
        #expect(try await store.upsert([paper]) == [.inserted])
        let stored = try #require(try await store.paper(id: "2410.00011"))
        #expect(stored.title == paper.title && stored.abstract == odd && stored.comments == odd)
        #expect(stored.journalRef == "\t" && stored.doi == "\n" && stored.organization == "Lab \\ Two")
        #expect(stored.authors == paper.authors && stored.categories == paper.categories)
        #expect(try await store.upsert([paper]) == [.unchanged])
        // And through the update path too.
        var edited = paper
        edited.version = 2
        edited.title = "Edited \\t\t\\"
        edited.authors = [odd, "Tab\tName"]
        #expect(try await store.upsert([edited]) == [.updated])
        let updated = try #require(try await store.paper(id: "2410.00011"))
        #expect(updated.title == edited.title && updated.authors == edited.authors && updated.abstract == odd)
    }

    /// A newer version from a source that names no organization (the arXiv
    /// snapshot never does) updates the paper and keeps its organization.
    @Test(arguments: StoreImplementation.allCases)
    func aNewerVersionNamingNoOrganizationKeepsThePapers(_ implementation: StoreImplementation) async throws {
        let store = try await Self.store(implementation, as: (any PaperStore).self)
        let newer = Paper(id: "2410.00001", version: 2, title: "Sparse attention for longer documents", abstract: "We make attention sparser.",
                          authors: ["Ada Lovelace", "Alan Turing"], categories: ["cs.CL", "cs.LG"])
        #expect(try await store.upsert([newer]) == [.updated])
        let paper = try #require(try await store.paper(id: "2410.00001"))
        #expect(paper.title == "Sparse attention for longer documents" && paper.organization == "Deep Lab")
        #expect(try await store.papers(organizationSlug: Slug.stable("Deep Lab"), offset: 0, limit: 10).items.map(\.id) == ["2410.00001"])
    }

    /// A paper with no day (never on the daily list, no submission date)
    /// comes after the dated ones on an author's and an organization's page,
    /// however late it was stored: SQLite sorts NULL lowest, PostgreSQL
    /// highest unless told otherwise.
    @Test(arguments: StoreImplementation.allCases)
    func papersWithoutADayComeLastOnAuthorAndOrganizationPages(_ implementation: StoreImplementation) async throws {
        let store = try await Self.store(implementation, as: (any PaperStore).self)
        _ = try await store.upsert([Paper(id: "2410.00007", title: "Undated", abstract: "x", authors: ["Alan Turing"], organization: "Deep Lab")])
        let author = try await store.papers(authorSlug: Slug.stable("Alan Turing"), offset: 0, limit: 10)
        #expect(author.items.map(\.id) == ["2410.00002", "2410.00001", "2410.00007"])
        let organization = try await store.papers(organizationSlug: Slug.stable("Deep Lab"), offset: 0, limit: 10)
        #expect(organization.items.map(\.id) == ["2410.00001", "2410.00007"])
    }

    /// The /authors and /organizations indexes: by name, filtered by a
    /// fragment of the slug, paged with an exact total.
    @Test(arguments: StoreImplementation.allCases)
    func authorsAndOrganizationsAreListed(_ implementation: StoreImplementation) async throws {
        let store = try await Self.store(implementation, as: (any PaperStore).self)
        let all = try await store.authors(slugContaining: nil, offset: 0, limit: 2)
        #expect(all.items.map(\.name) == ["Ada Lovelace", "Alan Turing"] && all.total == 3)
        #expect(try await store.authors(slugContaining: nil, offset: 2, limit: 2).items.map { "\($0.name) \($0.paperCount)" } == ["Grace Hopper 1"])
        let turing = try await store.authors(slugContaining: "turing", offset: 0, limit: 10)
        #expect(turing.items.map { "\($0.name) \($0.paperCount)" } == ["Alan Turing 2"] && turing.total == 1)
        #expect(try await store.authors(slugContaining: "nobody", offset: 0, limit: 10).total == 0)
        _ = try await store.upsert([Paper(id: "2410.00004", title: "Another", abstract: "x", organization: "Zeta Lab"),
                                    Paper(id: "2410.00005", title: "And another", abstract: "y", organization: "Zeta Lab")])
        let organizations = try await store.organizations(offset: 0, limit: 10)
        #expect(organizations.items.map { "\($0.name) \($0.paperCount)" } == ["Zeta Lab 2", "Deep Lab 1"] && organizations.total == 2)
        #expect(try await store.organizations(offset: 1, limit: 10).items.map(\.name) == ["Deep Lab"])
    }

    @Test(arguments: StoreImplementation.allCases)
    func keywordSearchAndFiltersFindPapers(_ implementation: StoreImplementation) async throws {
        let store = try await Self.store(implementation, as: (any SearchableStore).self)
        // Keyword search is Search's index over the store's text feed, and the
        // store's own (FTS5) where it has one: both rank the same.
        let index = KeywordSearch(feed: store)
        try await index.load()
        let own = store as? any StoreKeywordSearch
        for (words, phrases, expected) in [
            // "sparse" is in 00001's title and abstract: it ranks first of the two papers with "attention".
            (["attention", "sparse"], [String](), ["2410.00001", "2410.00002"]),
            ([], ["dense vectors"], ["2410.00002"]),
            (["attention"], ["message passing"], []),
            (["unicorn"], [], []),
        ] {
            #expect(try await index.search(words: words, phrases: phrases, limit: 10).map(\.id) == expected)
            if let own { #expect(try await own.keywordSearch(words: words, phrases: phrases, limit: 10).map(\.id) == expected) }
        }
        #expect(try await store.filteredPaperIDs(author: "turing", category: nil, organization: nil, after: nil, before: nil, limit: 10)
                == ["2410.00002", "2410.00001"])
        #expect(try await store.filteredPaperIDs(author: nil, category: "cs", organization: nil, after: nil, before: nil, limit: 10).count == 3)
        #expect(try await store.filteredPaperIDs(author: nil, category: "cs.lg", organization: "deep", after: nil, before: nil, limit: 10) == ["2410.00001"])
        #expect(try await store.filteredPaperIDs(author: nil, category: nil, organization: nil, after: nil, before: Self.day.adding(days: -1), limit: 10)
                == ["2410.00003"])
        #expect(try await store.filteredPaperIDs(author: nil, category: nil, organization: nil, after: Self.day, before: nil, limit: 1) == ["2410.00002"])
        // Names compare by slug (`FilterRule`): any spelling of a Latin name, and a name with no Latin letters exactly.
        _ = try await store.upsert([Paper(id: "2410.00004", title: "Chinese names", abstract: "x", authors: ["王小明"], categories: ["cs.CLX"])])
        #expect(try await store.filteredPaperIDs(author: "Lovelace, Ada", category: nil, organization: nil, after: nil, before: nil, limit: 10) == [])
        #expect(try await store.filteredPaperIDs(author: "alan_turing", category: "CS.cl", organization: "Deep-Lab", after: nil, before: nil, limit: 10)
                == ["2410.00001"])
        #expect(try await store.filteredPaperIDs(author: "王小明", category: nil, organization: nil, after: nil, before: nil, limit: 10) == ["2410.00004"])
        #expect(try await store.filteredPaperIDs(author: "王小", category: nil, organization: nil, after: nil, before: nil, limit: 10) == [])
        #expect(try await store.filteredPaperIDs(author: nil, category: "cs.cl", organization: nil, after: nil, before: nil, limit: 10) == ["2410.00001"])
    }

    @Test(arguments: StoreImplementation.allCases)
    func keywordMatchesHoldEveryWordAndAuthorsAreFoundByFullName(_ implementation: StoreImplementation) async throws {
        let store = try await Self.store(implementation, as: (any SearchableStore).self)
        let index = KeywordSearch(feed: store)
        try await index.load()
        let own = store as? any StoreKeywordSearch
        for (words, phrases, expected) in [
            (["attention"], [String](), ["2410.00001", "2410.00002"]),
            (["attention", "sparse"], [], ["2410.00001"]), // every word, not any
            (["attention"], ["dense vectors"], ["2410.00002"]),
            (["attention", "unicorn"], [], []),
            ([], [], []),
        ] {
            #expect(Set(try await index.matches(words: words, phrases: phrases)) == Set(expected))
            if let own { #expect(Set(try await own.keywordMatches(words: words, phrases: phrases)) == Set(expected)) }
        }
        #expect(try await store.paperIDs(authorNamed: "Alan Turing", limit: 10) == ["2410.00002", "2410.00001"], "newest first, later stored first")
        #expect(try await store.paperIDs(authorNamed: "alan-turing", limit: 1) == ["2410.00002"])
        #expect(try await store.paperIDs(authorNamed: "Alan", limit: 10).isEmpty, "a whole name, not a part of one")
    }

    @Test(arguments: StoreImplementation.allCases)
    func embeddingsAreKeptPerModelUntilTheTextChanges(_ implementation: StoreImplementation) async throws {
        let store = try await Self.store(implementation, as: (any PaperStore & EmbeddingStore).self)
        #expect(try await store.papersWithoutEmbedding(model: "m", limit: 10).map(\.id) == ["2410.00001", "2410.00002", "2410.00003"])
        try await store.saveEmbeddings([(id: "2410.00001", vector: [1, 0]), (id: "2410.00003", vector: [0, 1]), (id: "nope", vector: [1, 1])], model: "m")
        #expect(try await store.papersWithoutEmbedding(model: "m", limit: 10).map(\.id) == ["2410.00002"])
        let stored = try await store.embeddings(model: "m", afterSeq: 0, limit: 10)
        #expect(stored.map(\.id) == ["2410.00001", "2410.00003"] && stored.map(\.vector) == [[1, 0], [0, 1]])
        #expect(try await store.embeddings(model: "m", afterSeq: stored[0].seq, limit: 10).map(\.id) == ["2410.00003"])
        #expect(try await store.embeddings(model: "other", afterSeq: 0, limit: 10).isEmpty)
        // A new abstract makes the old vector stale.
        _ = try await store.upsert([Paper(id: "2410.00003", title: "Graph networks", abstract: "Message passing, revised.")])
        #expect(try await store.papersWithoutEmbedding(model: "m", limit: 10).map(\.id) == ["2410.00002", "2410.00003"])
    }
}
