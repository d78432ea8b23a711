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
        ],
        success: .ok("Picks", .list(.ref("FeedPick"))))

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

    static let feedSignalOperations: [(operation: APIOperation, kind: FeedSignalKind, on: Bool)] = [
        (notInterested, .notInterested, true), (removeNotInterested, .notInterested, false),
        (moreLikeThis, .moreLikeThis, true), (removeMoreLikeThis, .moreLikeThis, false),
        (markRead, .read, true), (unmarkRead, .read, false),
    ]
}
