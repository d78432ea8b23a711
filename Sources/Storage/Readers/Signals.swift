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
}

public struct PaperCollection: Sendable, Codable, Equatable {
    public var id: Int
    public var owner: String
    public var name: String
    public var description: String
    public var isPublic: Bool
    public var paperCount: Int
    public var createdAt: Date
}

public struct CollectionEntry: Sendable {
    public var paper: Paper
    public var note: String
    public var addedAt: Date
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
}

/// Everything Quire holds about one reader, for "download my data".
public struct ReaderExport: Sendable, Codable {
    public struct Upvote: Sendable, Codable {
        public var paperID: String; public var createdAt: Date
        enum CodingKeys: String, CodingKey { case paperID = "paperId", createdAt }
    }
    public struct SavedCollection: Sendable, Codable {
        public var collection: PaperCollection
        public var papers: [SavedPaper]
    }
    public struct SavedPaper: Sendable, Codable {
        public var paperID: String; public var title: String; public var note: String; public var addedAt: Date
        enum CodingKeys: String, CodingKey { case paperID = "paperId", title, note, addedAt }
    }
    public struct Membership: Sendable, Codable { public var organization: String; public var role: MembershipRole; public var status: MembershipStatus }

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
}
