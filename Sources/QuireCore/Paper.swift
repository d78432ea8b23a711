import Foundation

/// A research paper as Quire stores it: one record per paper, whatever the
/// source, holding the latest version's metadata plus the community signals.
public struct Paper: Equatable, Sendable, Codable {
    /// Stable id: the arXiv id without version ("2410.17243", "hep-th/9901001"),
    /// or a slug derived from the title for papers without one.
    public var id: String
    /// Latest known arXiv version number (1 for "v1"); nil when unknown.
    public var version: Int?
    /// When the first version was submitted, and when the latest was.
    public var submittedAt: Date?
    public var updatedAt: Date?
    public var title: String
    public var abstract: String
    /// Author names in the order the paper gives them.
    public var authors: [String]
    /// Number of authors when the source gave a count but no names.
    @Clamped public var authorCount: Int?
    /// arXiv categories, primary first.
    public var categories: [String]
    public var comments: String?
    public var journalRef: String?
    public var doi: String?
    public var license: String?
    public var githubRepo: String?
    @Clamped public var githubStars: Int?
    public var projectPage: String?
    /// Display name of the organization that claims the paper.
    public var organization: String?
    /// The upvotes the source reported (Hugging Face's count): what a store
    /// merges and keeps. Quire's own readers' upvotes are apart, below.
    @Clamped public var sourceUpvotes: Int
    /// Upvotes from Quire's readers, as the store counted them when it read
    /// the paper. A store never takes this from a paper it is given, so a
    /// paper read, changed and stored again never adds them to the source's.
    @Clamped public var readerUpvotes: Int
    /// The day the paper was put on the daily list, and by whom.
    public var dailyDate: Day?
    public var submittedBy: String?
    public var withdrawn: Bool
    /// The summary and keyphrases Quire's model made of the paper's text,
    /// as the store held them when it read the paper (nil until made). Like
    /// `readerUpvotes`, a store never takes this from a paper it is given:
    /// only `SummaryStore.saveSummaries` writes it.
    public var summary: PaperSummary?

    /// `upvotes` is the source's count; `readerUpvotes` is for stores only.
    public init(
        id: String, version: Int? = nil, submittedAt: Date? = nil, updatedAt: Date? = nil,
        title: String, abstract: String, authors: [String] = [], authorCount: Int? = nil,
        categories: [String] = [], comments: String? = nil, journalRef: String? = nil,
        doi: String? = nil, license: String? = nil, githubRepo: String? = nil,
        githubStars: Int? = nil, projectPage: String? = nil, organization: String? = nil,
        upvotes: Int = 0, dailyDate: Day? = nil, submittedBy: String? = nil, withdrawn: Bool = false,
        readerUpvotes: Int = 0, summary: PaperSummary? = nil
    ) {
        self.id = id; self.version = version; self.submittedAt = submittedAt; self.updatedAt = updatedAt
        self.title = title; self.abstract = abstract; self.authors = authors; self.authorCount = authorCount
        self.categories = categories; self.comments = comments; self.journalRef = journalRef
        self.doi = doi; self.license = license; self.githubRepo = githubRepo; self.githubStars = githubStars
        self.projectPage = projectPage; self.organization = organization
        self.sourceUpvotes = upvotes; self.readerUpvotes = readerUpvotes
        self.dailyDate = dailyDate; self.submittedBy = submittedBy; self.withdrawn = withdrawn
        self.summary = summary
    }

    /// The upvotes pages show: the source's count plus Quire readers'.
    /// (Both are clamped, so the sum cannot overflow.)
    public var upvotes: Int { sourceUpvotes + readerUpvotes }

    /// The day a paper belongs to when browsing by date: the day it was put on
    /// the daily list, or else the day its first version was submitted.
    public var listDay: Day? {
        dailyDate ?? submittedAt.map { Day(date: $0) }
    }

    /// Whether the id is an arXiv id (and so has abstract and PDF pages there).
    public var isArxiv: Bool { ArxivID.parse(id) != nil }

    /// Number of authors to show: names when known, else the source's count.
    public var displayAuthorCount: Int { authors.isEmpty ? (authorCount ?? 0) : authors.count }
}
