import Foundation
import QuireCore

/// What happened to one paper handed to `PaperStore.upsert`.
public enum UpsertOutcome: String, Sendable, Codable {
    case inserted, updated, unchanged
}

public enum ListSort: String, Sendable {
    /// Newest on the list first, then most upvoted.
    case publishedAt
    /// Most upvoted first (the order of a finished day on Hugging Face).
    case upvotes
}

/// A page of results and the total they were cut from.
public struct ResultPage<Item: Sendable>: Sendable {
    public var items: [Item]
    public var total: Int
    public init(items: [Item], total: Int) { self.items = items; self.total = total }
}

public struct StoreStats: Sendable, Codable, Equatable {
    public var papers: Int
    public var authors: Int
    public var organizations: Int
    public var onDailyList: Int
    public var firstDay: String?
    public var lastDay: String?
    public init(papers: Int, authors: Int, organizations: Int, onDailyList: Int, firstDay: String?, lastDay: String?) {
        self.papers = papers; self.authors = authors; self.organizations = organizations; self.onDailyList = onDailyList; self.firstDay = firstDay; self.lastDay = lastDay
    }
}

public struct Organization: Sendable, Codable, Equatable {
    public var slug: String
    public var name: String
    public var paperCount: Int
    public init(slug: String, name: String, paperCount: Int) {
        self.slug = slug; self.name = name; self.paperCount = paperCount
    }
}

public struct Author: Sendable, Codable, Equatable {
    public var slug: String
    public var name: String
    public var paperCount: Int
    public init(slug: String, name: String, paperCount: Int) {
        self.slug = slug; self.name = name; self.paperCount = paperCount
    }
}

/// A harvester's resume point: a named source ("arxiv-oai:cs") and an opaque value
/// (a resumption token, a date, a page offset) that only that harvester reads.
public struct Checkpoint: Sendable, Equatable {
    public var key: String
    public var value: String
    public init(key: String, value: String) { self.key = key; self.value = value }
}

public struct ListSignal: Sendable, Equatable {
    public var id: String
    public var upvotes: Int
    /// When the paper was put on the list (its daily day, else its submission).
    public var listedAt: Date
    public init(id: String, upvotes: Int, listedAt: Date) { self.id = id; self.upvotes = upvotes; self.listedAt = listedAt }
}

/// A paper with its place in the order papers were first stored: the
/// position only grows, so it marks where a walk through every paper got to.
public struct SequencedPaper: Sendable {
    public var seq: Int
    public var paper: Paper
    public init(seq: Int, paper: Paper) { self.seq = seq; self.paper = paper }
}

/// Where papers live. One implementation per database (SQLite today,
/// PostgreSQL later); the SQL of every implementation uses the same
/// snake_case tables so data means the same thing in both.
public protocol PaperStore: Sendable {
    /// Stores each paper, merged with what is already held under its id
    /// (`Paper.merged(with:)`). Each paper is written whole or not at all.
    func upsert(_ papers: [Paper]) async throws -> [UpsertOutcome]

    /// Like `upsert`, and in the same transaction records `checkpoint`, so a
    /// harvester killed at any moment resumes exactly after the last page
    /// whose papers were stored.
    func upsert(_ papers: [Paper], checkpoint: Checkpoint?) async throws -> [UpsertOutcome]
    func checkpoint(_ key: String) async throws -> String?

    func paper(id: String) async throws -> Paper?

    /// Papers whose list day falls in [from, to), optionally only those a
    /// given user put on the daily list, and only those in `categories`.
    func papers(from: Day, to: Day, submitter: String?, categories: CategorySelection, sort: ListSort, offset: Int, limit: Int) async throws -> ResultPage<Paper>

    /// Upvotes and listing time of every paper listed from `from` up to (not
    /// including) `to`, in `categories`: what the trending ranking needs,
    /// without loading whole papers.
    func listSignals(from: Day, to: Day, categories: CategorySelection) async throws -> [ListSignal]

    /// The most recent day that has papers on it, if any.
    func latestListDay() async throws -> Day?
    /// The nearest day before / after `day` that has papers.
    /// The nearest list day before (after) `day` with a paper in `categories`:
    /// a filtered list's "previous day" skips the days it would show empty.
    func listDay(before day: Day, categories: CategorySelection) async throws -> Day?
    func listDay(after day: Day, categories: CategorySelection) async throws -> Day?

    func author(slug: String) async throws -> Author?
    func papers(authorSlug: String, offset: Int, limit: Int) async throws -> ResultPage<Paper>
    func organization(slug: String) async throws -> Organization?
    func papers(organizationSlug: String, offset: Int, limit: Int) async throws -> ResultPage<Paper>
    /// Authors by name (their slug's order), only those whose slug contains
    /// `slugContaining` when given (`Slug.stable` of what a reader typed, so
    /// "balazs" finds "Balázs Kégl").
    func authors(slugContaining: String?, offset: Int, limit: Int) async throws -> ResultPage<Author>
    /// Every organization, those with most papers first, then by name.
    func organizations(offset: Int, limit: Int) async throws -> ResultPage<Organization>

    func papers(ids: [String]) async throws -> [Paper]

    /// Up to `limit` papers stored after position `seq` (0 for the first),
    /// in the order they were first stored. Papers stored later come at the
    /// end, so a walk that resumes from where it stopped misses none.
    func papers(storedAfter seq: Int, limit: Int) async throws -> [SequencedPaper]

    func stats() async throws -> StoreStats
}

extension PaperStore {
    /// Papers of every category.
    public func papers(from: Day, to: Day, submitter: String?, sort: ListSort, offset: Int, limit: Int) async throws -> ResultPage<Paper> {
        try await papers(from: from, to: to, submitter: submitter, categories: .everything, sort: sort, offset: offset, limit: limit)
    }

    public func listSignals(from: Day, to: Day) async throws -> [ListSignal] {
        try await listSignals(from: from, to: to, categories: .everything)
    }
}
