import Foundation
import QuireCore

/// What "Trending code" keeps: each repository's star counts by day, and when
/// it was last asked about (with the ETag GitHub gave, for a conditional
/// request next time). A repository is named by the paper's `githubRepo`
/// address, exactly as stored, so papers join it without parsing.
public protocol CodeTrendStore: Sendable {
    /// Repository addresses of papers, never-checked first, then the longest
    /// unchecked; only those last checked before `checkedBefore`.
    func repositoriesToCheck(checkedBefore: Date, limit: Int) async throws -> [RepositoryToCheck]

    /// Stores what a check found, in one transaction: the day's count and the
    /// papers' `githubStars` for `.stars`; only the check time otherwise.
    func recordCheck(_ check: RepositoryCheck, now: Date) async throws

    /// Papers with a counted repository, by stars gained since `since` (see
    /// `CodeTrending`), then by stars, then newest first; only those listed
    /// in `listed` (from, to: half-open) and put on the list by `submitter`
    /// when given, and in `categories`.
    func papersByStarGrowth(since: Day, listed: (from: Day, to: Day)?, submitter: String?, categories: CategorySelection,
                            offset: Int, limit: Int) async throws -> ResultPage<StarGrowth>
}

extension CodeTrendStore {
    /// Every paper, listed or not.
    public func papersByStarGrowth(since: Day, categories: CategorySelection, offset: Int, limit: Int) async throws -> ResultPage<StarGrowth> {
        try await papersByStarGrowth(since: since, listed: nil, submitter: nil, categories: categories, offset: offset, limit: limit)
    }
}

public struct RepositoryToCheck: Sendable, Equatable {
    public var address: String
    /// The ETag of the last answer with a count, for `If-None-Match`.
    public var etag: String?
    public init(address: String, etag: String?) { self.address = address; self.etag = etag }
}

public struct RepositoryCheck: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case stars(Int, etag: String?)
        /// 304: the count is the one stored.
        case unchanged
        /// 404 or 410, or not a GitHub address: asked again only after the others.
        case gone
    }
    public var address: String
    public var outcome: Outcome
    public init(address: String, outcome: Outcome) { self.address = address; self.outcome = outcome }
}

public struct StarGrowth: Sendable, Equatable {
    public var paperID: String
    public var gained: Int
    public var stars: Int
    public init(paperID: String, gained: Int, stars: Int) { self.paperID = paperID; self.gained = gained; self.stars = stars }
}
