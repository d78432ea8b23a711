import HTTPTypes
import ReaderActions
import Storage

/// "For you": the reader's feed and the signals that train it.
extension APIContract {
    static let feedLimits = ForYouFeed.limits

    static let myFeed = APIOperation(
        id: "getMyFeed", method: .get, path: "/api/me/feed",
        summary: "The reader's \"For you\" picks, best first, each with the reason it was picked. Until the reader has \(ForYouFeed.positivesNeeded) positives (upvotes, saves, \"more like this\"), trending papers, with a reason that says so. Papers the reader upvoted, saved, dismissed or read never appear.",
        access: .token,
        parameters: [
            .query("limit", .integer(feedLimits, default: 20)),
            .query("since", .date, "Only papers listed on or after this day"),
            interestParameter,
        ],
        success: .ok("Picks", .list(.ref("FeedPick"))))

    /// Which interest a feed shows: every one blended, or one (`ReaderInterest.ID`).
    static let interestParameter = APIParameter.query(
        "interest", .text(maxLength: 20, pattern: "^(all|liked|[1-9][0-9]{0,17})$", meaning: "'all', 'liked' or a collection's id"),
        "'all' (the default): every interest blended, taking turns by rank; 'liked': everything the reader liked; a collection's id: that collection, when the reader made it an interest (GET /api/me/interests lists them; another id is a 400)")

    static let myInterests = APIOperation(
        id: "getMyInterests", method: .get, path: "/api/me/interests",
        summary: "The reader's interests, each with a model of its own: everything they liked, then each collection they made an interest. One with fewer than \(ForYouFeed.positivesNeeded) papers picks nothing yet.",
        access: .token, success: .ok("Interests", .list(.ref("Interest"))))

    static let addInterest = APIOperation(
        id: "addInterest", method: .put, path: "/api/me/interests/{id}",
        summary: "Make one of your collections an interest of its own (at most \(InterestActions.maxCollections); repeating is harmless)",
        access: .tokenWrite, parameters: [idParameter], success: .ok("The reader's interests", .list(.ref("Interest"))),
        errors: [.forbidden, .notFound])

    static let removeInterest = APIOperation(
        id: "removeInterest", method: .delete, path: "/api/me/interests/{id}",
        summary: "Stop a collection being an interest (the collection stays)", access: .tokenWrite, parameters: [idParameter],
        success: .ok("The reader's interests", .list(.ref("Interest"))), errors: [.notFound])

    /// The three signals, each set with POST and taken back with DELETE.
    static func feedSignal(method: HTTPRequest.Method, path: String, id: String, summary: String) -> APIOperation {
        APIOperation(id: id, method: method, path: "/api/me/\(path)/{paper}", summary: summary, access: .tokenWrite,
                     parameters: [.path("paper", .text(), paperReference)],
                     success: .ok("The new state", .ref("FeedSignalState")), errors: [.forbidden, .notFound])
    }

    static let notInterested = feedSignal(method: .post, path: "not-interested", id: "markNotInterested",
                                          summary: "\"Not interested\": a negative for the reader's feed, and never shown in it again (takes \"more like this\" back)")
    static let removeNotInterested = feedSignal(method: .delete, path: "not-interested", id: "unmarkNotInterested",
                                                summary: "Take \"not interested\" back")
    static let moreLikeThis = feedSignal(method: .post, path: "more-like-this", id: "markMoreLikeThis",
                                         summary: "\"More like this\": a positive for the reader's feed (takes \"not interested\" back)")
    static let removeMoreLikeThis = feedSignal(method: .delete, path: "more-like-this", id: "unmarkMoreLikeThis",
                                               summary: "Take \"more like this\" back")
    static let markRead = feedSignal(method: .post, path: "read", id: "markRead",
                                     summary: "\"Mark as read\": hidden from the feed, kept in the reading history")
    static let unmarkRead = feedSignal(method: .delete, path: "read", id: "unmarkRead", summary: "Take \"read\" back")

    static let exclude = feedSignal(method: .post, path: "excluded", id: "excludeFromFeed",
                                    summary: "\"Don't use this\": the paper stops counting for the reader's feed and is never named in a reason (its upvote or save stays)")
    static let unexclude = feedSignal(method: .delete, path: "excluded", id: "unexcludeFromFeed",
                                      summary: "Let the paper count for the feed again")

    static let feedSignalOperations: [(operation: APIOperation, kind: FeedSignalKind, on: Bool)] = [
        (notInterested, .notInterested, true), (removeNotInterested, .notInterested, false),
        (moreLikeThis, .moreLikeThis, true), (removeMoreLikeThis, .moreLikeThis, false),
        (markRead, .read, true), (unmarkRead, .read, false),
        (exclude, .excluded, true), (unexclude, .excluded, false),
    ]

    // MARK: Own papers

    static let ownPapers = APIOperation(
        id: "listOwnPapers", method: .get, path: "/api/me/own-papers",
        summary: "The papers the reader marked as their own, most recently claimed first: strong positives for their feed",
        access: .token, success: .ok("Own papers", .list(.ref("Paper"))))

    static let claimOwnPapers = APIOperation(
        id: "claimOwnPapers", method: .post, path: "/api/me/own-papers",
        summary: "Mark papers as the reader's own, given by arXiv id (`ids`) or in a BibTeX file's text (`bibtex`: ids from eprint, arxiv, a 10.48550/arXiv DOI or an arXiv address). Ids Quire does not hold and entries without an arXiv id come back in `unknown`; at most \(OwnPaperActions.maxPerClaim) papers a call",
        access: .tokenWrite,
        body: .init(schema: ["type": "object", "minProperties": 1, "properties": [
            "ids": ["type": "array", "minItems": 1, "maxItems": .int(OwnPaperActions.maxPerClaim), "items": ["type": "string", "maxLength": 200]],
            "bibtex": ["type": "string", "minLength": 1, "description": "The text of a BibTeX file; one that cannot be read is said in `unknown`"],
        ]]),
        success: .ok("What was claimed", .ref("OwnPaperClaim")), errors: [.forbidden])

    static let removeOwnPaper = APIOperation(
        id: "removeOwnPaper", method: .delete, path: "/api/me/own-papers/{paper}",
        summary: "Take back a paper marked as the reader's own", access: .tokenWrite,
        parameters: [.path("paper", .text(), paperReference)],
        success: .empty(.noContent, "Taken back"), errors: [.notFound])
}
