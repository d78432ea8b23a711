import Foundation
import QuireCore
import Storage

/// The steps pages and the API share when readers act, so both check the
/// same things and say the same thing when they refuse.
struct SignalActions {
    let dependencies: AppDependencies
    var store: any QuireStore { dependencies.store }

    /// A paper named by arXiv id or URL (or Quire id): the stored one, else
    /// fetched from arXiv when the server can.
    func paper(_ reference: String) async throws -> Paper {
        let trimmed = reference.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw StoreError.invalid("give an arXiv id (2410.17243) or link (https://arxiv.org/abs/2410.17243)") }
        let id = ArxivID.parse(trimmed)?.base ?? trimmed
        if let paper = try await store.paper(id: id) { return paper }
        guard ArxivID.parse(trimmed) != nil else {
            throw StoreError.invalid("'\(trimmed.prefix(100))' is not an arXiv id or link, nor a paper Quire knows")
        }
        if let fetch = dependencies.fetchUnknownPaper, let paper = try await fetch(id) { return paper }
        throw StoreError.notFound("Quire does not know \(id)\(dependencies.fetchUnknownPaper == nil ? "" : " and arXiv has no such paper")")
    }

    func submit(_ reference: String, comment: String?, by user: User) async throws -> Submission {
        if let comment, comment.count > 1_000 { throw StoreError.invalid("keep the submission comment under 1,000 characters") }
        let paper = try await paper(reference)
        let now = dependencies.now()
        return try await store.submit(paperID: paper.id, userID: user.id, comment: comment, day: Day(date: now),
                                      rules: dependencies.security.submissionRules, now: now)
    }

    /// A comment body as stored: trimmed, not empty, not too long.
    static func commentBody(_ text: String?) throws -> String {
        let body = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !body.isEmpty else { throw StoreError.invalid("the comment is empty") }
        guard body.count <= CommentsView.maxLength else {
            throw StoreError.invalid("comments can be at most \(CommentsView.maxLength) characters; this one has \(body.count)")
        }
        return body
    }

    /// A collection name: trimmed, 1 to 80 characters.
    static func collectionName(_ text: String?) throws -> String {
        let name = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...80).contains(name.count) else { throw StoreError.invalid("a collection needs a name of 1 to 80 characters") }
        return name
    }

    /// The reader's collection called `name`, made if missing: where "Save" puts papers.
    func collection(named name: String, for user: User) async throws -> PaperCollection {
        if let existing = try await store.collections(userID: user.id).first(where: { $0.name == name }) { return existing }
        return try await store.createCollection(userID: user.id, name: name, description: "", isPublic: false, now: dependencies.now())
    }

    /// A collection the viewer may see: public ones, and their own private ones.
    func visibleCollection(_ id: Int, viewer: User?) async throws -> PaperCollection {
        guard let collection = try await store.collection(id: id), collection.isPublic || collection.owner == viewer?.username else {
            throw StoreError.notFound("there is no collection \(id), or it is private")
        }
        return collection
    }
}
