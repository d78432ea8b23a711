/// Collections and organizations.
extension APIContract {
    static let collectionFields: [String: JSONValue] = [
        "name": ReaderText.schema(maxLength: collectionNameLength, pattern: ReaderText.notBlankPattern),
        "description": ReaderText.schema(maxLength: collectionTextLength, nullable: true),
        "isPublic": ["type": ["boolean", "null"]],
    ]

    static let collections = APIOperation(
        id: "listCollections", method: .get, path: "/api/collections", summary: "Your collections", access: .token,
        success: .ok("Collections", .list(.ref("Collection"))))

    static let createCollection = APIOperation(
        id: "createCollection", method: .post, path: "/api/collections", summary: "Create a collection", access: .tokenWrite,
        body: .init(schema: ["type": "object", "required": ["name"], "properties": .object(collectionFields)]),
        success: .created("The collection", .ref("Collection")), errors: [.conflict])

    static let collection = APIOperation(
        id: "getCollection", method: .get, path: "/api/collections/{id}",
        summary: "A public collection, or one of yours, with its papers and notes", access: .optionalToken,
        parameters: [idParameter], success: .ok("The collection", .ref("CollectionWithPapers")), errors: [.notFound])

    static let updateCollection = APIOperation(
        id: "updateCollection", method: .patch, path: "/api/collections/{id}",
        summary: "Rename, describe, publish or unpublish (fields left out or null stay as they are)", access: .tokenWrite,
        parameters: [idParameter],
        body: .init(schema: ["type": "object", "properties": .object(collectionFields.mapValues(nullable))], required: false),
        success: .ok("The collection", .ref("Collection")), errors: [.notFound, .conflict])

    static let deleteCollection = APIOperation(
        id: "deleteCollection", method: .delete, path: "/api/collections/{id}", summary: "Delete a collection", access: .tokenWrite,
        parameters: [idParameter], success: .empty(.noContent, "Deleted"), errors: [.notFound])

    static let saveToCollection = APIOperation(
        id: "saveToCollection", method: .put, path: "/api/collections/{id}/papers/{paper}",
        summary: "Save a paper Quire knows into the collection, with an optional note", access: .tokenWrite,
        parameters: [idParameter, .path("paper", .text(), paperReference)],
        body: .init(schema: ["type": "object", "properties": ["note": ReaderText.schema(maxLength: collectionTextLength, nullable: true)]],
                    required: false),
        success: .empty(.noContent, "Saved"), errors: [.notFound])

    static let removeFromCollection = APIOperation(
        id: "removeFromCollection", method: .delete, path: "/api/collections/{id}/papers/{paper}",
        summary: "Remove a paper from the collection", access: .tokenWrite,
        parameters: [idParameter, .path("paper", .text(), paperReference)], success: .empty(.noContent, "Removed"), errors: [.notFound])

    static let createOrganization = APIOperation(
        id: "createOrganization", method: .post, path: "/api/organizations",
        summary: "Create an organization (you become its admin)", access: .tokenWrite,
        body: .init(schema: ["type": "object", "required": ["name"], "properties": [
            "name": ReaderText.schema(maxLength: organizationNameLength, pattern: ReaderText.twoNonBlankPattern,
                                      description: "At least two characters besides blanks"),
        ]]),
        success: .created("The organization", .ref("OrganizationRecord")), errors: [.conflict])

    static let members = APIOperation(
        id: "listMembers", method: .get, path: "/api/organizations/{slug}/members", summary: "Members and pending requests",
        parameters: [.path("slug")], success: .ok("Members", .list(.ref("Member"))), errors: [.notFound])

    static let join = APIOperation(
        id: "joinOrganization", method: .post, path: "/api/organizations/{slug}/members", summary: "Ask to join", access: .tokenWrite,
        parameters: [.path("slug")], success: .empty(.accepted, "Asked; an admin approves"), errors: [.notFound, .conflict])

    static let approve = APIOperation(
        id: "approveMember", method: .post, path: "/api/organizations/{slug}/members/{username}/approve",
        summary: "Approve a member, or make an admin (organization admins)", access: .tokenWrite,
        parameters: [.path("slug"), .path("username")],
        body: .init(schema: ["type": "object", "properties": ["role": ["type": ["string", "null"], "enum": ["member", "admin", .null]]]],
                    required: false),
        success: .empty(.noContent, "Approved"), errors: [.forbidden, .notFound])

    static let claim = APIOperation(
        id: "claimPaper", method: .post, path: "/api/organizations/{slug}/claims",
        summary: "Claim a paper Quire knows for the organization (approved members)", access: .tokenWrite,
        parameters: [.path("slug")],
        body: .init(schema: ["type": "object", "required": ["paper"], "properties": ["paper": ["type": "string", "description": .string(paperReference)]]]),
        success: .empty(.noContent, "Claimed"), errors: [.forbidden, .notFound])

    /// The same field schema, also allowing null ("leave as it is").
    private static func nullable(_ schema: JSONValue) -> JSONValue {
        guard case .object(var object) = schema, case .string(let type)? = object["type"] else { return schema }
        object["type"] = [.string(type), "null"]
        return .object(object)
    }
}
