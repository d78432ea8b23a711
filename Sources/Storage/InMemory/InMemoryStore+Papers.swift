import Foundation
import QuireCore

extension InMemoryStore: PaperStore, SearchIndexStore, StoreKeywordSearch, EmbeddingStore, SummaryStore {
    /// The paper as readers see it: its organization's name, readers' upvotes and summary filled in.
    func loaded(_ stored: StoredPaper) -> Paper {
        var paper = stored.paper
        paper.organization = stored.organizationSlug.flatMap { organizationNames[$0] }
        paper.readerUpvotes = stored.readerUpvotes
        paper.summary = stored.summary?.summary
        return paper
    }

    /// Papers newest on the list first (papers with no list day last), later-stored first on a tie.
    static func newestFirst(_ a: StoredPaper, _ b: StoredPaper) -> Bool {
        switch (a.paper.listDay, b.paper.listDay) {
        case let (x?, y?) where x != y: x > y
        case (nil, _?): false
        case (_?, nil): true
        default: a.seq > b.seq
        }
    }

    static func mostUpvotedFirst(_ a: StoredPaper, _ b: StoredPaper) -> Bool {
        let (x, y) = (a.paper.sourceUpvotes + a.readerUpvotes, b.paper.sourceUpvotes + b.readerUpvotes)
        return x != y ? x > y : newestFirst(a, b)
    }

    /// `limit` below zero means every one, as SQL's `LIMIT -1`.
    static func window<T>(_ items: [T], offset: Int, limit: Int) -> [T] {
        let rest = items.dropFirst(max(0, offset))
        return Array(limit < 0 ? rest : rest.prefix(limit))
    }

    // MARK: Writes

    public func upsert(_ papers: [Paper]) async throws -> [UpsertOutcome] {
        upsertAll(papers, checkpoint: nil)
    }

    public func upsert(_ papers: [Paper], checkpoint: Checkpoint?) async throws -> [UpsertOutcome] {
        upsertAll(papers, checkpoint: checkpoint)
    }

    private func upsertAll(_ incoming: [Paper], checkpoint: Checkpoint?) -> [UpsertOutcome] {
        let outcomes = incoming.map(upsertOne)
        if let checkpoint { checkpoints[checkpoint.key] = checkpoint.value }
        return outcomes
    }

    private func upsertOne(_ incoming: Paper) -> UpsertOutcome {
        let existing = papers[incoming.id]
        let held = existing.map(loaded)
        var paper = held.map { $0.merged(with: incoming) } ?? incoming
        paper.submittedAt = paper.submittedAt.map(Self.stored)
        paper.updatedAt = paper.updatedAt.map(Self.stored)
        paper.readerUpvotes = existing?.readerUpvotes ?? 0
        if let held, held == paper { return .unchanged }

        for name in paper.authors where authorNames[Slug.stable(name)] == nil { authorNames[Slug.stable(name)] = name }
        let organizationSlug = paper.organization.map { Slug.stable($0) }
        if let organizationSlug, let name = paper.organization, organizationNames[organizationSlug] == nil {
            organizationNames[organizationSlug] = name
        }
        var stored = existing ?? StoredPaper(seq: lastPaperSeq + 1, paper: paper)
        if existing == nil { lastPaperSeq += 1 }
        if let held, held.title != paper.title || held.abstract != paper.abstract {
            stored.embedding = nil // stale: embedded again
            stored.summary = nil // and summarised again
        }
        paper.organization = nil
        paper.readerUpvotes = 0
        paper.summary = nil
        stored.paper = paper
        stored.organizationSlug = organizationSlug
        if held == nil || held?.title != paper.title || held?.abstract != paper.abstract { textChanges.append(stored.seq) }
        papers[paper.id] = stored
        return existing == nil ? .inserted : .updated
    }

    public func checkpoint(_ key: String) async throws -> String? { checkpoints[key] }

    // MARK: Reads

    public func paper(id: String) async throws -> Paper? { papers[id].map(loaded) }

    public func papers(ids: [String]) async throws -> [Paper] {
        ids.compactMap { papers[$0].map(loaded) }
    }

    public func papers(storedAfter seq: Int, limit: Int) async throws -> [SequencedPaper] {
        let after = papers.values.filter { $0.seq > seq }.sorted { $0.seq < $1.seq }
        return Self.window(after, offset: 0, limit: limit).map { SequencedPaper(seq: $0.seq, paper: loaded($0)) }
    }

    public func papers(from: Day, to: Day, submitter: String?, categories: CategorySelection, sort: ListSort, offset: Int, limit: Int) async throws -> ResultPage<Paper> {
        let matching = papers.values.filter { stored in
            guard let day = stored.paper.listDay, from <= day, day < to, categories.accepts(stored.paper.categories) else { return false }
            return submitter == nil || stored.paper.submittedBy == submitter
        }
        let sorted = matching.sorted { a, b in
            switch sort {
            case .upvotes: Self.mostUpvotedFirst(a, b)
            case .publishedAt: a.paper.listDay != b.paper.listDay ? Self.newestFirst(a, b) : Self.mostUpvotedFirst(a, b)
            }
        }
        return ResultPage(items: Self.window(sorted, offset: offset, limit: limit).map(loaded), total: matching.count)
    }

    public func listSignals(from: Day, to: Day, categories: CategorySelection) async throws -> [ListSignal] {
        papers.values.compactMap { stored in
            guard let day = stored.paper.listDay, from <= day, day < to, categories.accepts(stored.paper.categories) else { return nil }
            let listedAt = stored.paper.dailyDate?.start ?? stored.paper.submittedAt ?? from.start
            return ListSignal(id: stored.paper.id, upvotes: stored.paper.sourceUpvotes + stored.readerUpvotes, listedAt: listedAt)
        }
    }

    private var listDays: [Day] { papers.values.compactMap(\.paper.listDay) }

    public func latestListDay() async throws -> Day? { listDays.max() }
    public func listDay(before day: Day, categories: CategorySelection) async throws -> Day? {
        listDays(in: categories).filter { $0 < day }.max()
    }
    public func listDay(after day: Day, categories: CategorySelection) async throws -> Day? {
        listDays(in: categories).filter { $0 > day }.min()
    }

    private func listDays(in categories: CategorySelection) -> [Day] {
        papers.values.compactMap { categories.accepts($0.paper.categories) ? $0.paper.listDay : nil }
    }

    private func hasAuthor(_ stored: StoredPaper, slug: String) -> Bool {
        stored.paper.authors.contains { Slug.stable($0) == slug }
    }

    public func author(slug: String) async throws -> Author? {
        guard let name = authorNames[slug] else { return nil }
        let count = papers.values.reduce(0) { $0 + $1.paper.authors.filter { Slug.stable($0) == slug }.count }
        return Author(slug: slug, name: name, paperCount: count)
    }

    public func papers(authorSlug: String, offset: Int, limit: Int) async throws -> ResultPage<Paper> {
        let matching = papers.values.filter { hasAuthor($0, slug: authorSlug) }.sorted(by: Self.newestFirst)
        return ResultPage(items: Self.window(matching, offset: offset, limit: limit).map(loaded), total: matching.count)
    }

    public func authors(slugContaining fragment: String?, offset: Int, limit: Int) async throws -> ResultPage<Author> {
        let slugs = authorNames.keys.filter { fragment.map($0.contains) ?? true }.sorted()
        var authors: [Author] = []
        for slug in Self.window(slugs, offset: offset, limit: limit) {
            if let author = try await author(slug: slug) { authors.append(author) }
        }
        return ResultPage(items: authors, total: slugs.count)
    }

    public func organizations(offset: Int, limit: Int) async throws -> ResultPage<Organization> {
        var all: [Organization] = []
        for slug in organizationNames.keys {
            if let organization = try await organization(slug: slug) { all.append(organization) }
        }
        all.sort { ($0.paperCount, $1.slug) > ($1.paperCount, $0.slug) }
        return ResultPage(items: Self.window(all, offset: offset, limit: limit), total: all.count)
    }

    public func organization(slug: String) async throws -> Organization? {
        guard let name = organizationNames[slug] else { return nil }
        return Organization(slug: slug, name: name, paperCount: papers.values.filter { $0.organizationSlug == slug }.count)
    }

    public func papers(organizationSlug: String, offset: Int, limit: Int) async throws -> ResultPage<Paper> {
        let matching = papers.values.filter { $0.organizationSlug == organizationSlug }.sorted(by: Self.newestFirst)
        return ResultPage(items: Self.window(matching, offset: offset, limit: limit).map(loaded), total: matching.count)
    }

    /// Naive matching: a paper's score is how often the words occur, title
    /// occurrences counting twice; phrases must appear as written (any case).
    public func keywordSearch(words: [String], phrases: [String], limit: Int, scoringBudget: Int?) async throws -> [KeywordHit] {
        guard !words.isEmpty || !phrases.isEmpty else { return [] }
        let words = words.map { $0.lowercased() }, phrases = phrases.map { $0.lowercased() }
        func tokens(_ text: String) -> [Substring] { text.lowercased().split { !$0.isLetter && !$0.isNumber } }
        var hits: [(hit: KeywordHit, seq: Int)] = []
        for stored in papers.values {
            let text = (stored.paper.title + " " + stored.paper.abstract).lowercased()
            guard phrases.allSatisfy({ text.contains($0) }) else { continue }
            let title = tokens(stored.paper.title), abstract = tokens(stored.paper.abstract)
            let score = words.reduce(0) { sum, word in
                sum + 2 * title.filter { $0 == word }.count + abstract.filter { $0 == word }.count
            }
            guard score > 0 || words.isEmpty else { continue }
            hits.append((KeywordHit(id: stored.paper.id, score: Double(max(score, 1))), stored.seq))
        }
        hits.sort { $0.hit.score != $1.hit.score ? $0.hit.score > $1.hit.score : $0.seq < $1.seq }
        return hits.prefix(max(0, limit)).map(\.hit)
    }

    /// Every word as a whole lower-cased token and every phrase as text, as `keywordSearch` reads them.
    public func keywordMatches(words: [String], phrases: [String]) async throws -> [String] {
        guard !words.isEmpty || !phrases.isEmpty else { return [] }
        let words = words.map { $0.lowercased() }, phrases = phrases.map { $0.lowercased() }
        return papers.values.filter { stored in
            let text = (stored.paper.title + " " + stored.paper.abstract).lowercased()
            let tokens = Set(text.split { !$0.isLetter && !$0.isNumber })
            return phrases.allSatisfy { text.contains($0) } && words.allSatisfy { tokens.contains(Substring($0)) }
        }.map(\.paper.id)
    }

    public func paperIDs(authorNamed name: String, limit: Int) async throws -> [String] {
        let slug = Slug.stable(name)
        return papers.values.filter { $0.paper.authors.contains { Slug.stable($0) == slug } }
            .sorted(by: Self.newestFirst).prefix(max(0, limit)).map(\.paper.id)
    }

    /// `FilterRule`'s definitions, checked paper by paper.
    public func filteredPaperIDs(author: String?, category: String?, categories: CategorySelection, organization: String?,
                                 after: Day?, before: Day?, limit: Int) async throws -> [String] {
        let authorPattern = author.map(FilterRule.namePattern), organizationPattern = organization.map(FilterRule.namePattern)
        let categoryPattern = category.map(FilterRule.categoryPattern)
        return papers.values.filter { stored in
            let paper = stored.paper
            if let authorPattern, !paper.authors.contains(where: { FilterRule.name($0, matches: authorPattern) }) { return false }
            if let categoryPattern, !paper.categories.contains(where: { FilterRule.category($0, matches: categoryPattern) }) { return false }
            if !categories.accepts(paper.categories) { return false }
            if let organizationPattern {
                guard let name = stored.organizationSlug.flatMap({ organizationNames[$0] }),
                      FilterRule.name(name, matches: organizationPattern) else { return false }
            }
            if let after, !(paper.listDay.map { $0 >= after } ?? false) { return false }
            if let before, !(paper.listDay.map { $0 <= before } ?? false) { return false }
            return true
        }
        .sorted(by: Self.newestFirst).prefix(max(0, limit)).map(\.paper.id)
    }

    // MARK: Embeddings

    public func saveEmbeddings(_ vectors: [(id: String, vector: [Float])], model: String) async throws {
        for (id, vector) in vectors { papers[id]?.embedding = (model, vector) }
    }

    public func papersWithoutEmbedding(model: String, limit: Int) async throws -> [Paper] {
        papers.values.filter { $0.embedding?.model != model }.sorted { $0.seq < $1.seq }.prefix(max(0, limit)).map(loaded)
    }

    public func embeddings(model: String, afterSeq: Int, limit: Int) async throws -> [StoredEmbedding] {
        papers.values.filter { $0.seq > afterSeq && $0.embedding?.model == model }.sorted { $0.seq < $1.seq }
            .prefix(max(0, limit))
            .compactMap { stored in stored.embedding.map { StoredEmbedding(seq: stored.seq, id: stored.paper.id, vector: $0.vector) } }
    }

    // MARK: Summaries

    public func saveSummaries(_ summaries: [(id: String, summary: PaperSummary)], model: String) async throws {
        for (id, summary) in summaries { papers[id]?.summary = (model, summary) }
    }

    public func papersWithoutSummary(model: String, limit: Int) async throws -> [Paper] {
        papers.values.filter { $0.summary?.model != model }.sorted { $0.seq < $1.seq }.prefix(max(0, limit)).map(loaded)
    }

    public func stats() async throws -> StoreStats {
        let days = listDays
        return StoreStats(papers: papers.count, authors: authorNames.count, organizations: organizationNames.count,
                          onDailyList: papers.values.filter { $0.paper.dailyDate != nil }.count,
                          firstDay: days.min()?.description, lastDay: days.max()?.description)
    }
}
