import Foundation
import Hummingbird
import QuireCore
import ReaderActions
import Storage

/// The write API: the same actions as the pages, for scripts and apps,
/// authorised by personal API tokens (`Authorization: Bearer`). Errors are
/// `{"error": "..."}` with 400, 401, 403, 404, 409 or 429.
struct SignalsAPIController {
    /// Organizations and their members, collections and their entries.
    let store: any PaperStore & SignalStore
    let gate: Gate
    /// Finds (or fetches) the paper a request names.
    let lookup: PaperLookup
    /// The reader's export.
    let accountActions: AccountActions
    let upvoteActions: UpvoteActions
    let commentActions: CommentActions
    let collectionActions: CollectionActions
    let organizationActions: OrganizationActions

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.on(APIContract.me, use: me)
        router.on(APIContract.myExport, use: export)
        router.on(APIContract.upvote, use: { try await upvote($0, $1, on: true) })
        router.on(APIContract.removeUpvote, use: { try await upvote($0, $1, on: false) })
        router.on(APIContract.submit, use: submit)
        router.on(APIContract.comments, use: comments)
        router.on(APIContract.addComment, use: addComment)
        router.on(APIContract.editComment, use: editComment)
        router.on(APIContract.deleteComment, use: deleteComment)
        router.on(APIContract.hideComment, use: { try await hideComment($0, $1, hidden: true) })
        router.on(APIContract.showComment, use: { try await hideComment($0, $1, hidden: false) })
        router.on(APIContract.collections, use: collections)
        router.on(APIContract.createCollection, use: createCollection)
        router.on(APIContract.collection, use: collection)
        router.on(APIContract.updateCollection, use: updateCollection)
        router.on(APIContract.deleteCollection, use: deleteCollection)
        router.on(APIContract.saveToCollection, use: saveToCollection)
        router.on(APIContract.removeFromCollection, use: removeFromCollection)
        router.on(APIContract.createOrganization, use: createOrganization)
        router.on(APIContract.members, use: members)
        router.on(APIContract.join, use: join)
        router.on(APIContract.approve, use: approve)
        router.on(APIContract.claim, use: claim)
    }

    private func paperParameter(_ context: AppRequestContext) throws -> String {
        try context.parameters.require("paper").removingPercentEncoding ?? context.parameters.require("paper")
    }

    // MARK: The reader

    func me(_ request: Request, context: AppRequestContext) async throws -> Response {
        try jsonResponse(try gate.user(request, context))
    }

    func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try gate.user(request, context)
        return try jsonResponse(try await accountActions.export(user))
    }

    // MARK: Upvotes and submissions

    struct UpvoteState: Encodable { var paperId: String; var upvoted: Bool; var upvotes: Int }

    func upvote(_ request: Request, _ context: AppRequestContext, on: Bool) async throws -> Response {
        let user = try await gate.writer(request, context)
        let paper = try await lookup.paper(try paperParameter(context))
        let count = try await upvoteActions.set(paper.id, on: on, by: user)
        return try jsonResponse(UpvoteState(paperId: paper.id, upvoted: on, upvotes: count))
    }

    struct SubmitBody: Decodable { var paper: String; var comment: String? }

    func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        let body = try await decodeJSONBody(SubmitBody.self, from: request)
        return try jsonResponse(try await lookup.submit(body.paper, comment: body.comment, by: user), status: .created)
    }

    // MARK: Comments

    /// Comments as readers see them: hidden ones only for moderators and their authors.
    struct CommentJSON: Encodable {
        var comment: Comment
        var html: String
        func encode(to encoder: Encoder) throws {
            try comment.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(html, forKey: .html)
        }
        enum Key: String, CodingKey { case html }
    }

    func comments(_ request: Request, context: AppRequestContext) async throws -> Response {
        let q = QueryReader(request, error: APIError.badRequest)
        guard let reference = q.string("paper") else { throw APIError.badRequest("give the paper: /api/comments?paper=2410.17243") }
        let paper = try await lookup.paper(reference)
        let visible = try await commentActions.visible(on: paper.id, to: context.viewer.user)
        return try jsonResponse(visible.map { CommentJSON(comment: $0, html: $0.deleted ? "" : CommentMarkup.html($0.body)) })
    }

    struct NewComment: Decodable { var paper: String; var body: String; var parentId: Int? }

    func addComment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        let body = try await decodeJSONBody(NewComment.self, from: request)
        let paper = try await lookup.paper(body.paper)
        let comment = try await commentActions.add(to: paper.id, replyingTo: body.parentId, body: body.body, by: user)
        return try jsonResponse(CommentJSON(comment: comment, html: CommentMarkup.html(comment.body)), status: .created)
    }

    struct CommentEdit: Decodable { var body: String }

    func editComment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        let body = try await decodeJSONBody(CommentEdit.self, from: request)
        let comment = try await commentActions.edit(context.number("id"), body: body.body, by: user)
        return try jsonResponse(CommentJSON(comment: comment, html: CommentMarkup.html(comment.body)))
    }

    func deleteComment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        try await commentActions.delete(context.number("id"), by: user)
        return Response(status: .noContent)
    }

    func hideComment(_ request: Request, _ context: AppRequestContext, hidden: Bool) async throws -> Response {
        let user = try await gate.writer(request, context)
        let comment = try await commentActions.setHidden(context.number("id"), hidden: hidden, by: user)
        return try jsonResponse(CommentJSON(comment: comment, html: CommentMarkup.html(comment.body)))
    }

    // MARK: Collections

    struct CollectionBody: Decodable { var name: String; var description: String?; var isPublic: Bool? }
    struct CollectionJSON: Encodable {
        var collection: PaperCollection
        var papers: [Entry]
        struct Entry: Encodable { var paper: HFPaper; var note: String; var addedAt: Date }
    }

    func collections(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try gate.user(request, context)
        return try jsonResponse(try await store.collections(userID: user.id))
    }

    func createCollection(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        let body = try await decodeJSONBody(CollectionBody.self, from: request)
        let collection = try await collectionActions.create(name: body.name, description: body.description,
                                                                         isPublic: body.isPublic ?? false, by: user)
        return try jsonResponse(collection, status: .created)
    }

    func collection(_ request: Request, context: AppRequestContext) async throws -> Response {
        let collection = try await collectionActions.visible(context.number("id"), to: context.viewer.user)
        let entries = try await store.collectionEntries(id: collection.id)
        return try jsonResponse(CollectionJSON(collection: collection, papers: entries.map {
            .init(paper: HFPaper($0.paper), note: $0.note, addedAt: $0.addedAt)
        }))
    }

    func updateCollection(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        let current = try await collectionActions.owned(context.number("id"), by: user)
        struct Patch: Decodable { var name: String?; var description: String?; var isPublic: Bool? }
        // The body is optional: no body changes nothing.
        var request = request
        let hasBody = (try await request.collectBody(upTo: 64 * 1024)).readableBytes > 0
        let patch = hasBody ? try await decodeJSONBody(Patch.self, from: request) : Patch()
        let updated = try await collectionActions.update(current, name: patch.name, description: patch.description,
                                                                      isPublic: patch.isPublic)
        return try jsonResponse(updated)
    }

    func deleteCollection(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        try await collectionActions.delete(context.number("id"), by: user)
        return Response(status: .noContent)
    }

    func saveToCollection(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        struct Note: Decodable { var note: String? }
        var request = request
        let hasBody = (try await request.collectBody(upTo: 64 * 1024)).readableBytes > 0
        let note = hasBody ? try CollectionActions.text(try await decodeJSONBody(Note.self, from: request).note, field: "note") ?? "" : ""
        let paper = try await lookup.paper(try paperParameter(context))
        try await collectionActions.save(paper.id, to: context.number("id"), note: note, by: user)
        return Response(status: .noContent)
    }

    func removeFromCollection(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        try await collectionActions.remove(try paperParameter(context), from: context.number("id"), by: user)
        return Response(status: .noContent)
    }

    // MARK: Organizations

    func createOrganization(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        struct Body: Decodable { var name: String }
        let name = try await decodeJSONBody(Body.self, from: request).name
        return try jsonResponse(try await organizationActions.create(name: name, by: user), status: .created)
    }

    func members(_ request: Request, context: AppRequestContext) async throws -> Response {
        let slug = try context.parameters.require("slug")
        guard try await store.organization(slug: slug) != nil else { throw APIError.notFound("no organization '\(slug.prefix(100))'") }
        return try jsonResponse(try await store.members(organizationSlug: slug))
    }

    func join(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        try await organizationActions.join(try context.parameters.require("slug"), by: user)
        return Response(status: .accepted)
    }

    func approve(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        struct Body: Decodable { var role: MembershipRole? }
        var request = request
        let hasBody = (try await request.collectBody(upTo: 64 * 1024)).readableBytes > 0
        let role = hasBody ? try await decodeJSONBody(Body.self, from: request).role ?? .member : .member
        try await organizationActions.approve(try context.parameters.require("username"), role: role,
                                                           in: try context.parameters.require("slug"), by: user)
        return Response(status: .noContent)
    }

    func claim(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        struct Body: Decodable { var paper: String }
        let paper = try await lookup.paper(try await decodeJSONBody(Body.self, from: request).paper)
        try await organizationActions.claim(paper.id, for: try context.parameters.require("slug"), by: user)
        return Response(status: .noContent)
    }
}
