import ReaderActions
import Search

/// Every operation of Quire's JSON API, and the limits they share with the
/// handlers. This is the truth `/openapi.json` is rendered from; a test checks
/// the router registers exactly these operations.
enum APIContract {
    /// `p` reaches the last entry a list serves at `limit=1`; with larger
    /// limits, pages past `DailyListQuery.maxDepth` (`SearchService.maxDepth`
    /// for search) entries are empty.
    static let pages = 0...(DailyListQuery.maxDepth - 1)
    static let searchPages = 0...(SearchService.maxDepth - 1)
    static let dailyLimits = 1...100
    static let searchLimits = 1...120
    static let groupLimits = 1...100
    static let listLimits = 1...100
    static let commentLength = CommentActions.maxLength
    static let submissionCommentLength = SubmissionRules.maxCommentLength
    static let collectionNameLength = CollectionActions.maxNameLength
    static let collectionTextLength = CollectionActions.maxTextLength
    static let organizationNameLength = OrganizationActions.nameLengths.upperBound

    /// A numbered thing: a comment or a collection.
    static let idParameter = APIParameter.path("id", .integer(1...Int(Int64.max)))

    static let all: [APIOperation] = [
        document, dailyPapers, searchPapers, listPapers, paper, author, organization, stats,
        me, myExport, myDigest, updateMyDigest, myDigestPreview, addWebhook, removeWebhook, upvote, removeUpvote, submit,
        comments, addComment, editComment, deleteComment, hideComment, showComment,
        collections, createCollection, collection, updateCollection, deleteCollection, saveToCollection, removeFromCollection,
        createOrganization, members, join, approve, claim,
        myFeed, myInterests, addInterest, removeInterest, notInterested, removeNotInterested, moreLikeThis, removeMoreLikeThis, markRead, unmarkRead, exclude, unexclude,
        ownPapers, claimOwnPapers, removeOwnPaper,
    ]

    /// The operations on `path` (a template), in the order above.
    static func operations(onTemplate path: String) -> [APIOperation] { all.filter { $0.path == path } }
}
