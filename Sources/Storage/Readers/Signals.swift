import Foundation
import QuireCore

/// A reader's comment on a paper. Replies are one level deep: a reply's
/// parent is always a top-level comment.
public struct Comment: Sendable, Codable, Equatable {
    public var id: Int
    public var paperID: String
    public var parentID: Int?
    public var author: String
    /// As the reader wrote it; rendered safely by the web layer.
    public var body: String
    public var createdAt: Date
    public var editedAt: Date?
    /// Hidden by a moderator: shown to nobody but moderators and its author.
    public var hidden: Bool
    /// Deleted by its author but kept (empty) because it has replies.
    public var deleted: Bool

    enum CodingKeys: String, CodingKey {
        case id, paperID = "paperId", parentID = "parentId", author, body, createdAt, editedAt, hidden, deleted
    }
    public init(id: Int, paperID: String, parentID: Int?, author: String, body: String, createdAt: Date, editedAt: Date?, hidden: Bool, deleted: Bool) {
        self.id = id; self.paperID = paperID; self.parentID = parentID; self.author = author; self.body = body; self.createdAt = createdAt; self.editedAt = editedAt; self.hidden = hidden; self.deleted = deleted
    }
}

public struct PaperCollection: Sendable, Codable, Equatable {
    public var id: Int
    public var owner: String
    public var name: String
    public var description: String
    public var isPublic: Bool
    public var paperCount: Int
    public var createdAt: Date
    public init(id: Int, owner: String, name: String, description: String, isPublic: Bool, paperCount: Int, createdAt: Date) {
        self.id = id; self.owner = owner; self.name = name; self.description = description; self.isPublic = isPublic; self.paperCount = paperCount; self.createdAt = createdAt
    }
}

public struct CollectionEntry: Sendable {
    public var paper: Paper
    public var note: String
    public var addedAt: Date
    public init(paper: Paper, note: String, addedAt: Date) {
        self.paper = paper; self.note = note; self.addedAt = addedAt
    }
}

/// What `SignalStore.insertSubmission` did.
public enum SubmissionWrite: Sendable, Equatable {
    case inserted(Submission)
    /// The paper is on the list of this day already (a "YYYY-MM-DD").
    case alreadyListed(String)
    /// The reader has made this many submissions on the day: the cap or more.
    case capReached(Int)
}

public struct Submission: Sendable, Codable, Equatable {
    enum CodingKeys: String, CodingKey { case paperID = "paperId", submitter, day, comment, createdAt }
    public var paperID: String
    public var submitter: String
    public var day: String
    public var comment: String?
    public var createdAt: Date
    public init(paperID: String, submitter: String, day: String, comment: String?, createdAt: Date) {
        self.paperID = paperID; self.submitter = submitter; self.day = day; self.comment = comment; self.createdAt = createdAt
    }
}

public enum MembershipRole: String, Sendable, Codable { case admin, member }
public enum MembershipStatus: String, Sendable, Codable { case pending, approved }

/// What `SignalStore.claimPaper` did.
public enum ClaimWrite: Sendable, Equatable {
    case claimed
    /// The paper belongs to the organization with this slug; nothing was written.
    case belongsTo(String)
}

public struct OrganizationMember: Sendable, Codable, Equatable {
    public var username: String
    public var role: MembershipRole
    public var status: MembershipStatus
    public var requestedAt: Date
    public init(username: String, role: MembershipRole, status: MembershipStatus, requestedAt: Date) {
        self.username = username; self.role = role; self.status = status; self.requestedAt = requestedAt
    }
}

/// Everything Quire holds about one reader, for "download my data".
public struct ReaderExport: Sendable, Codable {
    public struct Upvote: Sendable, Codable {
        public var paperID: String; public var createdAt: Date
        enum CodingKeys: String, CodingKey { case paperID = "paperId", createdAt }
        public init(paperID: String, createdAt: Date) {
            self.paperID = paperID; self.createdAt = createdAt
        }
    }
    public struct SavedCollection: Sendable, Codable {
        public var collection: PaperCollection
        public var papers: [SavedPaper]
        public init(collection: PaperCollection, papers: [SavedPaper]) {
            self.collection = collection; self.papers = papers
        }
    }
    public struct SavedPaper: Sendable, Codable {
        public var paperID: String; public var title: String; public var note: String; public var addedAt: Date
        enum CodingKeys: String, CodingKey { case paperID = "paperId", title, note, addedAt }
        public init(paperID: String, title: String, note: String, addedAt: Date) {
            self.paperID = paperID; self.title = title; self.note = note; self.addedAt = addedAt
        }
    }
    public struct Membership: Sendable, Codable {
        public var organization: String; public var role: MembershipRole; public var status: MembershipStatus
        public init(organization: String, role: MembershipRole, status: MembershipStatus) {
            self.organization = organization; self.role = role; self.status = status
        }
    }

    public var user: User
    public var upvotes: [Upvote]
    public var submissions: [Submission]
    public var comments: [Comment]
    public var collections: [SavedCollection]
    public var memberships: [Membership]
    public var apiTokens: [APIToken]
    public var exportedAt: Date
    // The digest's part, which the signal store does not hold: filled in by
    // `AccountActions.export` from the digest store.
    public var digest: Subscription? = nil
    public var follows: [Follow] = []
    public var savedSearches: [SavedSearch] = []
    public var deliveries: [Delivery] = []
    /// The categories the reader's lists show by default (none: every one).
    public var defaultCategories: [String] = []
    // The "For you" signals (the reading history among them), from the feed
    // signal store: filled in by `AccountActions.export` too.
    public var feedSignals: [FeedSignal] = []
    /// The webhooks the reader added (their addresses are the reader's own secrets).
    public var webhooks: [Webhook] = []
    /// The reader's mutes and whether they hide papers in every list.
    public var mutes = MuteSettings()
    /// The ids of the reader's collections that are interests of their own.
    public var interestCollections: [Int] = []
    public init(user: User, upvotes: [Upvote], submissions: [Submission], comments: [Comment], collections: [SavedCollection], memberships: [Membership], apiTokens: [APIToken], exportedAt: Date) {
        self.user = user; self.upvotes = upvotes; self.submissions = submissions; self.comments = comments; self.collections = collections; self.memberships = memberships; self.apiTokens = apiTokens; self.exportedAt = exportedAt
    }
}
