import ReaderActions
import Storage

/// The reader's own data, and what readers do: upvotes, submissions,
/// comments. Writes need a personal API token and are rate-limited.
extension APIContract {
    static let paperReference = "arXiv id or link (https://arxiv.org/abs/2410.17243), or Quire id"

    static let me = APIOperation(
        id: "getMe", method: .get, path: "/api/me", summary: "The reader the token belongs to", access: .token,
        success: .ok("The reader", .ref("Reader")))

    static let myExport = APIOperation(
        id: "exportMe", method: .get, path: "/api/me/export", summary: "Everything Quire holds about the reader", access: .token,
        success: .ok("User, upvotes, submissions, comments, collections, memberships, token names", ["type": "object"]))

    static let myDigest = APIOperation(
        id: "getMyDigest", method: .get, path: "/api/me/digest",
        summary: "The reader's digest settings, follows, saved searches and recent deliveries", access: .token,
        success: .ok("Settings", ["type": "object"]))

    static let updateMyDigest = APIOperation(
        id: "updateMyDigest", method: .put, path: "/api/me/digest",
        summary: "Change the reader's digest settings: fields left out or null keep their value (or the default, for a first digest)",
        access: .tokenWrite,
        body: .init(schema: ["type": "object", "properties": .object(digestFields.mapValues(orNull))], required: false),
        success: .ok("Settings, as GET /api/me/digest", ["type": "object"]))

    /// A field of a change: null keeps what is there.
    private static func orNull(_ schema: JSONValue) -> JSONValue {
        guard case .object(var object) = schema, case .string(let type)? = object["type"] else { return schema }
        object["type"] = [.string(type), "null"]
        if case .array(let words)? = object["enum"] { object["enum"] = .array(words + [.null]) }
        return .object(object)
    }

    static let digestFields: [String: JSONValue] = [
        "frequency": ["type": "string", "enum": .array(Subscription.Frequency.allCases.map { .string($0.rawValue) })],
        "weekday": ["type": "integer", "minimum": .int(DigestActions.weekdays.lowerBound), "maximum": .int(DigestActions.weekdays.upperBound),
                    "description": "For weekly digests: 1 = Monday … 7 = Sunday"],
        "hour": ["type": "integer", "minimum": .int(DigestActions.hours.lowerBound), "maximum": .int(DigestActions.hours.upperBound)],
        "timeZone": ["type": "string", "description": "An IANA name, e.g. Europe/Paris (one Quire does not know is a 400)"],
        "includeTop": ["type": "boolean"], "includeTrending": ["type": "boolean"], "includeFollowed": ["type": "boolean"],
        "includeSavedSearches": ["type": "boolean"],
        "includeForYou": ["type": "boolean", "description": "The reader's own picks among the papers the digest covers"],
        "maxPapers": ["type": "integer", "minimum": .int(DigestActions.papersPerSection.lowerBound),
                      "maximum": .int(DigestActions.papersPerSection.upperBound), "description": "Papers per section"],
    ]

    static let myDigestPreview = APIOperation(
        id: "previewMyDigest", method: .get, path: "/api/me/digest/preview",
        summary: "The reader's next digest as it would be mailed now, for their settings and time zone (a digest that is off shows a daily one). Nothing is recorded: the real digest still goes out.",
        access: .token, success: .ok("The next digest", .ref("DigestPreview")))

    static let addWebhook = APIOperation(
        id: "addMyWebhook", method: .post, path: "/api/me/digest/webhooks",
        summary: "Post your digests to an incoming-webhook address too (Slack, Discord, or Matrix through a webhook bridge). The address must be https and resolve outside loopback, private and link-local networks (403 with the reason otherwise, as for a reader who is not the organization's admin). With `organization`, an approved admin adds one for the organization, which every admin of it may then manage.",
        access: .tokenWrite,
        body: .init(schema: ["type": "object", "required": ["url", "format"], "properties": [
            "url": ["type": "string", "minLength": 1, "maxLength": .int(WebhookAddressCheck.maxLength),
                    "description": "The service's incoming-webhook address (https)"],
            "format": ["type": "string", "enum": ["slack", "discord", "matrix"]],
            "organization": ["type": ["string", "null"], "maxLength": 200, "description": "The short name (slug) of an organization you are an admin of"],
        ]]),
        success: .created("The webhook", .ref("Webhook")), errors: [.forbidden])

    static let removeWebhook = APIOperation(
        id: "removeMyWebhook", method: .delete, path: "/api/me/digest/webhooks/{id}",
        summary: "Remove a webhook you added, or one of an organization you are an admin of", access: .tokenWrite,
        parameters: [idParameter], success: .empty(.noContent, "Removed"), errors: [.notFound])

    static let upvote = APIOperation(
        id: "upvote", method: .post, path: "/api/upvotes/{paper}", summary: "Upvote a paper Quire knows (repeating is harmless)",
        access: .tokenWrite, parameters: [.path("paper", .text(), paperReference)],
        success: .ok("The new state", .ref("UpvoteState")), errors: [.notFound])

    static let removeUpvote = APIOperation(
        id: "removeUpvote", method: .delete, path: "/api/upvotes/{paper}", summary: "Take an upvote back",
        access: .tokenWrite, parameters: [.path("paper", .text(), paperReference)],
        success: .ok("The new state", .ref("UpvoteState")), errors: [.notFound])

    static let submit = APIOperation(
        id: "submitPaper", method: .post, path: "/api/submissions",
        summary: "Put a paper on today's daily list (per-reader daily cap, no duplicates, recent papers only). The one operation that fetches a paper Quire does not know from arXiv, with a short deadline.",
        access: .tokenWrite,
        body: .init(schema: ["type": "object", "required": ["paper"], "properties": [
            "paper": ["type": "string", "description": .string(paperReference)],
            "comment": ReaderText.schema(maxLength: submissionCommentLength, nullable: true),
        ]]),
        success: .created("Submitted", .ref("Submission")),
        errors: [.forbidden, .notFound, .conflict, .badGateway, .gatewayTimeout])

    static let comments = APIOperation(
        id: "listComments", method: .get, path: "/api/comments",
        summary: "A paper's comments (hidden ones only for moderators and their authors). Only papers Quire knows: nothing is fetched.",
        access: .optionalToken,
        parameters: [.query("paper", .text(minLength: 1), required: true, paperReference)],
        success: .ok("Comments, oldest first, with their safe HTML", .list(.ref("Comment"))), errors: [.notFound])

    static let addComment = APIOperation(
        id: "addComment", method: .post, path: "/api/comments",
        summary: "Comment on a paper Quire knows, or reply to a top-level comment", access: .tokenWrite,
        body: .init(schema: ["type": "object", "required": ["paper", "body"], "properties": [
            "paper": ["type": "string", "description": .string(paperReference)],
            "body": ReaderText.schema(maxLength: commentLength, pattern: ReaderText.notBlankPattern),
            "parentId": ["type": ["integer", "null"], "minimum": 1, "maximum": .int(Int(Int64.max))],
        ]]),
        success: .created("The comment", .ref("Comment")), errors: [.notFound])

    static let editComment = APIOperation(
        id: "editComment", method: .patch, path: "/api/comments/{id}", summary: "Edit your comment", access: .tokenWrite,
        parameters: [idParameter],
        body: .init(schema: ["type": "object", "required": ["body"], "properties": [
            "body": ReaderText.schema(maxLength: commentLength, pattern: ReaderText.notBlankPattern),
        ]]),
        success: .ok("The comment", .ref("Comment")), errors: [.forbidden, .notFound])

    static let deleteComment = APIOperation(
        id: "deleteComment", method: .delete, path: "/api/comments/{id}", summary: "Delete your comment", access: .tokenWrite,
        parameters: [idParameter], success: .empty(.noContent, "Deleted"), errors: [.forbidden, .notFound])

    static let hideComment = APIOperation(
        id: "hideComment", method: .post, path: "/api/comments/{id}/hide", summary: "Hide a comment (moderators)", access: .tokenWrite,
        parameters: [idParameter], success: .ok("The comment", .ref("Comment")), errors: [.forbidden, .notFound])

    static let showComment = APIOperation(
        id: "showComment", method: .delete, path: "/api/comments/{id}/hide", summary: "Show a hidden comment again (moderators)",
        access: .tokenWrite, parameters: [idParameter], success: .ok("The comment", .ref("Comment")), errors: [.forbidden, .notFound])
}
