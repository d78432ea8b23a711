import Foundation
import Hummingbird
import QuireCore
import ReaderActions
import Storage

/// The forms readers send from pages: upvote, save, submit, comment,
/// collections and organizations. Each answers with a redirect back to the
/// page it came from (POST, then GET), or the form again with the problem.
struct SignalsController {
    /// Today's submissions, collections and their entries.
    let store: any SignalStore & FeedSignalStore
    let gate: Gate
    /// Finds (or fetches) the paper a form names.
    let lookup: PaperLookup
    let upvoteActions: UpvoteActions
    let commentActions: CommentActions
    let collectionActions: CollectionActions
    let organizationActions: OrganizationActions
    /// Whether the owner's collection is an interest of its own (the toggle on its page).
    let interests: InterestActions
    /// Shown on the submit page.
    let submissionRules: SubmissionRules
    let now: @Sendable () -> Date

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.post("/upvote", use: upvote)
        router.post("/save", use: save)
        router.get("/submit", use: submitPage)
        router.post("/submit", use: submit)
        router.post("/comments", use: addComment)
        router.get("/comments/:id/edit", use: editCommentPage)
        router.post("/comments/:id/edit", use: editComment)
        router.post("/comments/:id/delete", use: deleteComment)
        router.post("/comments/:id/hide", use: hideComment)
        router.get("/collections", use: collections)
        router.post("/collections", use: createCollection)
        router.get("/collections/:id", use: collection)
        for format in CitationDownload.allCases {
            router.get("/collections/:id/\(format.collectionPath)") { request, context in try await citations(format, request, context) }
        }
        router.post("/collections/:id/edit", use: editCollection)
        router.post("/collections/:id/delete", use: deleteCollection)
        router.post("/collections/:id/remove", use: removeFromCollection)
        router.get("/organizations/new") { _, _ in HTMLPage(html: SignalPages.newOrganization()) }
        router.post("/organizations", use: createOrganization)
        router.post("/organizations/:slug/join", use: joinOrganization)
        router.post("/organizations/:slug/approve", use: approveMember)
        router.post("/organizations/:slug/claim", use: claimPaper)
    }

    /// Back to the page the form was on (only paths on this site), else `fallback`.
    private func back(_ context: AppRequestContext, fallback: String, anchor: String? = nil) -> Response {
        let path = context.form["back"].flatMap(Gate.localPath) ?? fallback
        return Response(status: .seeOther, headers: [.location: path + (anchor.map { "#" + $0 } ?? "")])
    }

    // MARK: Upvotes and saves

    func upvote(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        let paper = try await lookup.paper(context.form["paper"] ?? "")
        let on = context.form["on"] != "0"
        let count = try await upvoteActions.set(paper.id, on: on, by: user)
        if InPlace.wanted(request) {
            return InPlace.response(back: context.form["back"]) { PaperListView.votesBox(paper, upvoted: on, count: count) }
        }
        return back(context, fallback: PaperListView.paperPath(paper.id), anchor: PaperListView.anchor(paper.id))
    }

    func save(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        let paper = try await lookup.paper(context.form["paper"] ?? "")
        let target: PaperCollection
        if let name = context.form.trimmed("new_collection") {
            target = try await collectionActions.named(name, for: user)
        } else if let chosen = context.form["collection"].flatMap(Int.init) {
            target = try await collectionActions.visible(chosen, to: user)
        } else {
            target = try await collectionActions.named(CollectionActions.defaultName, for: user)
        }
        // Forms are cut to the limit their `maxlength` states; the API refuses instead.
        let note = String((context.form.trimmed("note") ?? "").prefix(CollectionActions.maxTextLength))
        try await collectionActions.save(paper.id, to: target.id, note: note, by: user)
        if InPlace.wanted(request) {
            return InPlace.response(back: context.form["back"]) { PaperListView.saveButton(paper, saved: true) }
        }
        return back(context, fallback: "/collections/\(target.id)", anchor: PaperListView.anchor(paper.id))
    }

    // MARK: Submissions

    func submitPage(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        var today: [Submission] = []
        if let user = context.viewer.user { today = try await store.submissions(userID: user.id, day: Day(date: now())) }
        return HTMLPage(html: SignalPages.submit(rules: submissionRules, today: today))
    }

    func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        let reference = context.form["paper"] ?? ""
        do {
            let submission = try await lookup.submit(reference, comment: context.form.trimmed("comment"), by: user)
            return Response(status: .seeOther, headers: [.location: "/papers/date/\(submission.day)"])
        } catch let error as Refusal {
            let today = try await store.submissions(userID: user.id, day: Day(date: now()))
            return try HTMLPage(html: SignalPages.submit(rules: submissionRules, today: today,
                                                         message: "Not submitted: \(error.description).", reference: reference),
                                status: error.httpStatus)
                .response(from: request, context: context)
        }
    }

    // MARK: Comments

    func addComment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        let paper = try await lookup.paper(context.form["paper"] ?? "")
        let parent = try context.form.trimmed("parent").map { text -> Int in
            guard let id = Int(text) else { throw Refusal.invalid("'\(text.prefix(20))' is not a comment number") }
            return id
        }
        let comment = try await commentActions.add(to: paper.id, replyingTo: parent, body: context.form["body"], by: user)
        return Response(status: .seeOther, headers: [.location: PaperListView.paperPath(paper.id) + "#comment-\(comment.id)"])
    }

    func editCommentPage(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let user = try gate.user(request, context)
        do {
            return HTMLPage(html: CommentsView.editPage(try await commentActions.editable(context.number("id"), by: user)))
        } catch is Refusal {
            throw PageError.notFound("You have no such comment.")
        }
    }

    func editComment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        let comment = try await commentActions.edit(context.number("id"), body: context.form["body"], by: user)
        return Response(status: .seeOther, headers: [.location: PaperListView.paperPath(comment.paperID) + "#comment-\(comment.id)"])
    }

    func deleteComment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        let comment = try await commentActions.delete(context.number("id"), by: user)
        return Response(status: .seeOther, headers: [.location: PaperListView.paperPath(comment.paperID) + "#comments"])
    }

    func hideComment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        let comment = try await commentActions.setHidden(context.number("id"), hidden: context.form["hidden"] != "0", by: user)
        return Response(status: .seeOther, headers: [.location: PaperListView.paperPath(comment.paperID) + "#comment-\(comment.id)"])
    }

    // MARK: Collections

    func collections(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let user = try gate.user(request, context)
        return HTMLPage(html: SignalPages.collections(try await store.collections(userID: user.id)))
    }

    func createCollection(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        let collection = try await collectionActions.create(
            name: context.form["name"], description: String((context.form.trimmed("description") ?? "").prefix(CollectionActions.maxTextLength)),
            isPublic: context.form.flag("public"), by: user)
        return Response(status: .seeOther, headers: [.location: "/collections/\(collection.id)"])
    }

    func collection(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let collection = try await collectionActions.visible(context.number("id"), to: context.viewer.user)
        let entries = try await store.collectionEntries(id: collection.id)
        let marks = try await ReaderMarks.load(for: entries.map(\.paper), store: store)
        let isInterest: Bool? = if let user = context.viewer.user, user.username == collection.owner {
            try await interests.collectionIDs(of: user).contains(collection.id)
        } else { nil }
        return HTMLPage(html: SignalPages.collection(collection, entries: entries, marks: marks, isInterest: isInterest))
    }

    /// The collection as a BibTeX, RIS or CSL-JSON file, to import into a reference manager.
    func citations(_ format: CitationDownload, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let collection = try await collectionActions.visible(context.number("id"), to: context.viewer.user)
        let entries = try await store.collectionEntries(id: collection.id)
        return format.response(entries.map(\.paper), filename: "quire-collection-\(collection.id)")
    }

    func editCollection(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        let collections = collectionActions
        let collection = try await collections.update(
            try await collections.owned(context.number("id"), by: user), name: context.form["name"] ?? "",
            description: String((context.form.trimmed("description") ?? "").prefix(CollectionActions.maxTextLength)),
            isPublic: context.form.flag("public"))
        return Response(status: .seeOther, headers: [.location: "/collections/\(collection.id)"])
    }

    func deleteCollection(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        try await collectionActions.delete(context.number("id"), by: user)
        return Response(status: .seeOther, headers: [.location: "/collections"])
    }

    func removeFromCollection(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        let collectionID = try context.number("id")
        try await collectionActions.remove(context.form["paper"] ?? "", from: collectionID, by: user)
        return Response(status: .seeOther, headers: [.location: "/collections/\(collectionID)"])
    }

    // MARK: Organizations

    func createOrganization(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        let name = context.form.trimmed("name") ?? ""
        let organization: Organization
        do {
            organization = try await organizationActions.create(name: name, by: user)
        } catch Refusal.invalid {
            let lengths = OrganizationActions.nameLengths
            return try HTMLPage(html: SignalPages.newOrganization(message: "Give the organization a name of \(lengths.lowerBound) to \(lengths.upperBound) characters.",
                                                                  name: name),
                                status: .badRequest).response(from: request, context: context)
        }
        return Response(status: .seeOther, headers: [.location: "/organizations/\(urlPart(organization.slug))"])
    }

    func joinOrganization(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        let slug = try context.parameters.require("slug")
        try await organizationActions.join(slug, by: user)
        return Response(status: .seeOther, headers: [.location: "/organizations/\(urlPart(slug))"])
    }

    func approveMember(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        let slug = try context.parameters.require("slug")
        try await organizationActions.approve(context.form["username"] ?? "", role: MembershipRole(rawValue: context.form["role"] ?? "") ?? .member,
                                                           in: slug, by: user)
        return Response(status: .seeOther, headers: [.location: "/organizations/\(urlPart(slug))"])
    }

    func claimPaper(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        let slug = try context.parameters.require("slug")
        let paper = try await lookup.paper(context.form["paper"] ?? "")
        try await organizationActions.claim(paper.id, for: slug, by: user)
        return Response(status: .seeOther, headers: [.location: "/organizations/\(urlPart(slug))"])
    }
}
