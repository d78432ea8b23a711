/// The shapes of the API's JSON bodies, as the encoders write them
/// (`HFPaperJSON.swift`, the stores' Codable types). Fields Swift leaves out
/// when nil are simply not required.
enum APISchemas {
    static let dateTime: JSONValue = ["type": "string", "format": "date-time"]

    static let all: [String: JSONValue] = [
        "Error": ["type": "object", "required": ["error"], "properties": ["error": ["type": "string"]]],
        "User": ["type": "object", "properties": ["name": ["type": "string"], "user": ["type": "string"], "fullname": ["type": "string"],
                                                  "type": ["type": "string"], "avatarUrl": ["type": "string"]]],
        "Organization": ["type": "object", "properties": ["_id": ["type": "string"], "name": ["type": "string"], "fullname": ["type": "string"]]],
        "Paper": ["type": "object", "required": ["id", "title", "summary", "authors", "upvotes"], "properties": [
            "id": ["type": "string"], "title": ["type": "string"], "summary": ["type": "string"],
            "authors": .list(["type": "object", "properties": ["_id": ["type": "string"], "name": ["type": "string"], "hidden": ["type": "boolean"]]]),
            "publishedAt": ["type": "string", "format": "date-time", "description": "First arXiv submission"],
            "submittedOnDailyAt": ["type": "string", "format": "date-time", "description": "When it was put on the daily list"],
            "submittedOnDailyBy": .ref("User"),
            "upvotes": ["type": "integer"], "discussionId": ["type": "string"],
            "organization": .ref("Organization"),
            "githubRepo": ["type": "string"], "githubStars": ["type": "integer"], "projectPage": ["type": "string"],
            "categories": .list(["type": "string"]), "withdrawn": ["type": "boolean"], "version": ["type": "integer"],
            "doi": ["type": "string"], "journalRef": ["type": "string"], "comments": ["type": "string"], "license": ["type": "string"],
            "numAuthors": ["type": "integer"],
            "ai_summary": ["type": "string", "description": "One or two sentences of the abstract that say most of what the paper is about, picked by Quire's sentence model (TeX kept as written)."],
            "ai_keywords": .list(["type": "string"]),
        ]],
        "Span": ["type": "object", "properties": ["text": ["type": "string"], "highlighted": ["type": "boolean"]]],
        "DailyEntry": ["type": "object", "required": ["paper", "title"], "properties": [
            "paper": .ref("Paper"), "publishedAt": dateTime,
            "title": ["type": "string"], "summary": ["type": "string"], "thumbnail": ["type": "string"], "numComments": ["type": "integer"],
            "submittedBy": .ref("User"), "organization": .ref("Organization"),
            "highlightedTitle": .list(.ref("Span")), "highlightedSummary": .list(.ref("Span")),
            "ai_summary": ["type": "string"], "ai_keywords": .list(["type": "string"]),
        ]],
        "Group": ["type": "object", "required": ["slug", "name", "numPapers", "papers"], "properties": [
            "slug": ["type": "string"], "name": ["type": "string"], "numPapers": ["type": "integer"], "papers": .list(.ref("Paper")),
        ]],
        "Stats": ["type": "object", "properties": [
            "papers": ["type": "integer"], "authors": ["type": "integer"], "organizations": ["type": "integer"],
            "onDailyList": ["type": "integer"], "firstDay": ["type": ["string", "null"]], "lastDay": ["type": ["string", "null"]],
        ]],
        "Reader": ["type": "object", "required": ["id", "username", "email", "emailConfirmed", "role", "createdAt"], "properties": [
            "id": ["type": "integer"], "username": ["type": "string"], "email": ["type": "string"], "emailConfirmed": ["type": "boolean"],
            "role": ["type": "string", "enum": ["reader", "moderator", "admin"]], "createdAt": dateTime,
        ]],
        "FeedPick": ["allOf": [.ref("Paper"), ["type": "object", "required": ["reason", "because"], "properties": [
            "reason": ["type": "string", "description": "Why it was picked, in one line"],
            "because": .list(["type": "object", "required": ["paperId", "title", "liking"], "properties": [
                "paperId": ["type": "string"], "title": ["type": "string"],
                "liking": ["type": "string", "enum": ["saved", "upvoted", "moreLikeThis", "mine"]],
            ]]),
            "sharedWords": .list(["type": "string"]),
            "trending": ["type": "boolean", "description": "A trending paper, shown until the reader has given enough positives"],
            "interest": ["type": ["object", "null"], "required": ["id", "name"], "description": "The interest it was picked for (null for a trending paper)",
                         "properties": ["id": ["type": "string"], "name": ["type": "string"]]],
        ]]]],
        "Interest": ["type": "object", "required": ["id", "name", "papers", "ready"], "properties": [
            "id": ["type": "string", "description": "'liked', or the collection's id: the value of ?interest="],
            "name": ["type": "string"],
            "papers": ["type": "integer", "description": "Its positives: the papers its model is trained on"],
            "ready": ["type": "boolean", "description": "Whether it has the papers it needs to pick from"],
        ]],
        "FeedSignalState": ["type": "object", "required": ["paperId", "kind", "on"], "properties": [
            "paperId": ["type": "string"], "kind": ["type": "string", "enum": ["not_interested", "more_like_this", "read", "excluded"]],
            "on": ["type": "boolean"],
        ]],
        "OwnPaperClaim": ["type": "object", "required": ["claimed", "unknown"], "properties": [
            "claimed": .list(["type": "string"]),
            "unknown": ["type": "array", "items": ["type": "string"],
                        "description": "What could not be claimed and why: ids not on this server, BibTeX entries without an arXiv id"],
        ]],
        "DigestPreview": ["type": "object",
                          "required": ["on", "frequency", "timeZone", "slot", "sendsAt", "to", "subject", "paperCount", "sections", "text", "html"],
                          "properties": [
            "on": ["type": "boolean", "description": "False when the reader's digest is off: the preview shows what a daily one would hold"],
            "frequency": ["type": "string", "enum": ["daily", "weekly"]], "timeZone": ["type": "string"],
            "slot": ["type": "string", "format": "date", "description": "The local day of the next digest"],
            "sendsAt": dateTime, "to": ["type": "string"], "subject": ["type": "string"], "paperCount": ["type": "integer"],
            "sections": .list(["type": "object", "required": ["title", "papers"], "properties": [
                "title": ["type": "string", "description": "\"For you\", \"Top of the daily list\", \"Trending\", followed authors and organizations, or \"New for your search …\""],
                "papers": .list(["type": "object", "required": ["id", "title"], "properties": [
                    "id": ["type": "string"], "title": ["type": "string"], "reason": ["type": "string", "description": "Why it was picked (For you only)"],
                ]]),
            ]]),
            "text": ["type": "string", "description": "The mail's plain-text part"], "html": ["type": "string", "description": "The mail's HTML part"],
        ]],
        "Webhook": ["type": "object", "required": ["id", "userID", "url", "format", "failures", "createdAt"], "properties": [
            "id": ["type": "integer"], "userID": ["type": "integer", "description": "Who added it"],
            "organizationSlug": ["type": "string", "description": "Set when added for an organization"],
            "url": ["type": "string"], "format": ["type": "string", "enum": ["slack", "discord", "matrix"]],
            "failures": ["type": "integer", "description": "Failed posts in a row"], "lastError": ["type": "string"],
            "disabledAt": dateTime, "createdAt": dateTime,
        ]],
        "UpvoteState": ["type": "object", "required": ["paperId", "upvoted", "upvotes"], "properties": [
            "paperId": ["type": "string"], "upvoted": ["type": "boolean"], "upvotes": ["type": "integer"],
        ]],
        "Submission": ["type": "object", "required": ["paperId", "submitter", "day", "createdAt"], "properties": [
            "paperId": ["type": "string"], "submitter": ["type": "string"], "day": ["type": "string", "format": "date"],
            "comment": ["type": "string"], "createdAt": dateTime,
        ]],
        "Comment": ["type": "object", "required": ["id", "paperId", "author", "body", "html", "createdAt", "hidden", "deleted"], "properties": [
            "id": ["type": "integer"], "paperId": ["type": "string"], "parentId": ["type": "integer"],
            "author": ["type": "string"], "body": ["type": "string"], "html": ["type": "string", "description": "The body rendered safely"],
            "createdAt": dateTime, "editedAt": dateTime, "hidden": ["type": "boolean"], "deleted": ["type": "boolean"],
        ]],
        "Collection": ["type": "object", "required": ["id", "owner", "name", "description", "isPublic", "paperCount", "createdAt"], "properties": [
            "id": ["type": "integer"], "owner": ["type": "string"], "name": ["type": "string"], "description": ["type": "string"],
            "isPublic": ["type": "boolean"], "paperCount": ["type": "integer"], "createdAt": dateTime,
        ]],
        "CollectionWithPapers": ["type": "object", "required": ["collection", "papers"], "properties": [
            "collection": .ref("Collection"),
            "papers": .list(["type": "object", "properties": ["paper": .ref("Paper"), "note": ["type": "string"], "addedAt": dateTime]]),
        ]],
        "OrganizationRecord": ["type": "object", "required": ["slug", "name", "paperCount"], "properties": [
            "slug": ["type": "string"], "name": ["type": "string"], "paperCount": ["type": "integer"],
        ]],
        "Member": ["type": "object", "required": ["username", "role", "status", "requestedAt"], "properties": [
            "username": ["type": "string"], "role": ["type": "string", "enum": ["admin", "member"]],
            "status": ["type": "string", "enum": ["pending", "approved"]], "requestedAt": dateTime,
        ]],
    ]
}
