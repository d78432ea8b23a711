import Foundation
import QuireCore

/// What readers add to papers: upvotes, submissions to the daily list,
/// comments, collections, and organizations' claims. Who may do what is
/// decided in ReaderActions; these writes persist, checking inside their
/// transaction only what concurrent requests could otherwise break (a daily
/// cap, a duplicate, a row deleted a moment ago, a paper claimed meanwhile).
public protocol SignalStore: Sendable {
    /// Sets or clears the reader's upvote; returns the paper's new count.
    /// Throws `.notFound` for an unknown paper. Repeating either is harmless.
    func setUpvote(userID: Int, paperID: String, on: Bool, now: Date) async throws -> Int
    /// Which of `paperIDs` the reader has upvoted.
    func upvotedPaperIDs(userID: Int, among paperIDs: [String]) async throws -> Set<String>

    /// Puts a known paper on `day`'s list, unless it is on a list already or
    /// the reader has made `cap` submissions that day: checked and written in
    /// one transaction, so concurrent requests cannot pass either. The rules
    /// themselves (the cap, a paper's age) are `SubmissionActions`'.
    func insertSubmission(paperID: String, userID: Int, comment: String?, day: Day, now: Date, ifFewerThan cap: Int) async throws -> SubmissionWrite
    func submissions(userID: Int, day: Day) async throws -> [Submission]

    func comments(paperID: String) async throws -> [Comment]
    func comment(id: Int) async throws -> Comment?
    /// `.notFound` for an unknown paper, or a `parentID` that names no comment
    /// (the parent may have been deleted a moment ago).
    func addComment(paperID: String, userID: Int, parentID: Int?, body: String, now: Date) async throws -> Comment
    func editComment(id: Int, body: String, now: Date) async throws -> Comment
    /// Removes the comment, or, if it has replies, keeps it emptied and marked
    /// deleted so the replies still make sense: decided in the same
    /// transaction, so a reply written meanwhile never loses its parent.
    func deleteComment(id: Int) async throws
    func setCommentHidden(id: Int, hidden: Bool) async throws -> Comment

    func createCollection(userID: Int, name: String, description: String, isPublic: Bool, now: Date) async throws -> PaperCollection
    func collections(userID: Int) async throws -> [PaperCollection]
    func collection(id: Int) async throws -> PaperCollection?
    // Who may change a collection is `CollectionActions`' rule; these only
    // persist, `.notFound` when the collection (or the paper) is not there.

    /// `.conflict` when its owner has another collection of that name.
    func updateCollection(id: Int, name: String, description: String, isPublic: Bool) async throws -> PaperCollection
    func deleteCollection(id: Int) async throws
    /// Adds a paper to the collection, or updates its note there.
    func saveToCollection(id: Int, paperID: String, note: String, now: Date) async throws
    func removeFromCollection(id: Int, paperID: String) async throws
    func collectionEntries(id: Int) async throws -> [CollectionEntry]
    /// Which of `paperIDs` the reader has saved in any collection.
    func savedPaperIDs(userID: Int, among paperIDs: [String]) async throws -> Set<String>

    /// Creates an organization with the user as its admin (`.conflict` if the name is taken).
    func createOrganization(name: String, adminUserID: Int) async throws -> Organization
    func members(organizationSlug: String) async throws -> [OrganizationMember]
    /// The reader's place in the organization, if they have asked to join or belong to it.
    func membership(organizationSlug: String, userID: Int) async throws -> OrganizationMember?
    /// The slugs of the organizations where the reader is an approved member with `role`, sorted.
    func organizationSlugs(userID: Int, approvedAs role: MembershipRole) async throws -> [String]
    // Who may join, approve and claim is `OrganizationActions`' rule; these
    // only persist, `.notFound` for an unknown organization or paper.

    /// Records a pending request to join, unless the reader has asked or
    /// belongs already: then false, and nothing changes (one row per reader,
    /// however many requests arrive at once).
    @discardableResult
    func requestMembership(organizationSlug: String, userID: Int, now: Date) async throws -> Bool
    /// Makes the reader an approved member with `role`, whether they asked or not.
    func approveMembership(organizationSlug: String, userID: Int, role: MembershipRole, now: Date) async throws
    /// Claims a paper for the organization, unless it belongs to another one
    /// (by a claim or by its source) and `takingOver` is false: checked and
    /// written in one transaction, so two claims at once cannot both take it.
    func claimPaper(paperID: String, organizationSlug: String, userID: Int, now: Date, takingOver: Bool) async throws -> ClaimWrite

    func export(userID: Int, now: Date) async throws -> ReaderExport
}

/// Everything `quire serve` keeps: one database behind all these protocols.
public typealias QuireStore = PaperStore & SearchIndexStore & EmbeddingStore & SummaryStore & AccountStore & SignalStore & DigestStore & WebhookStore & FeedSignalStore & PrivateFeedStore & MuteStore & InterestStore & CodeTrendStore & ChangeTracking
