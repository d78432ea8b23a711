import Foundation
import QuireCore
import ReaderActions
import Storage

/// The steps pages and the API share when readers act, so both check the
/// same things and say the same thing when they refuse.
struct SignalActions {
    let dependencies: AppDependencies
    var store: any QuireStore { dependencies.store }

    /// A paper Quire already holds, named by arXiv id or URL (or Quire id).
    /// Never fetches: reading, upvoting, commenting, saving and claiming only
    /// concern papers Quire knows, so none of them writes a paper or waits on arXiv.
    func paper(_ reference: String) async throws -> Paper {
        let trimmed = reference.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw StoreError.notFound("give an arXiv id (2410.17243) or link (https://arxiv.org/abs/2410.17243)") }
        if let paper = try await store.paper(id: ArxivID.parse(trimmed)?.base ?? trimmed) { return paper }
        throw StoreError.notFound("Quire does not know '\(trimmed.prefix(100))'" +
                                  (ArxivID.parse(trimmed) == nil ? "" : "; submit it to have it fetched from arXiv"))
    }

    /// `paper`, else fetched from arXiv (and stored) when the server can,
    /// within `fetchDeadline`. Only submissions (signed in, rate-limited) call this.
    func paperFetchingIfUnknown(_ reference: String) async throws -> Paper {
        let trimmed = reference.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let id = ArxivID.parse(trimmed)?.base, let fetch = dependencies.fetchUnknownPaper,
              try await store.paper(id: id) == nil else { return try await paper(reference) }
        let fetched: Paper??
        do { fetched = try await withDeadline(dependencies.fetchDeadline) { try await fetch(id) } } catch {
            throw UpstreamFailure(status: .badGateway, message: "Quire does not know \(id) and could not look it up on arXiv; try again later")
        }
        guard let fetched else {
            throw UpstreamFailure(status: .gatewayTimeout, message: "Quire does not know \(id) and arXiv did not answer in time; try again later")
        }
        guard let paper = fetched else { throw StoreError.notFound("Quire does not know \(id) and arXiv has no such paper") }
        return paper
    }

    func submit(_ reference: String, comment: String?, by user: User) async throws -> Submission {
        try await dependencies.submissionActions.submit(comment: comment, by: user) { try await paperFetchingIfUnknown(reference) }
    }

    /// A collection name: at most 80 characters as sent, not blank; stored trimmed.
    static func collectionName(_ text: String?) throws -> String {
        let text = text ?? ""
        let name = WrittenText.trimmed(text)
        guard !name.isEmpty, WrittenText.length(text) <= APIContract.collectionNameLength else {
            throw StoreError.invalid("a collection needs a name of 1 to \(APIContract.collectionNameLength) characters")
        }
        return name
    }

    /// A collection description or a saved paper's note: at most 500 characters.
    static func collectionText(_ text: String?, field: String) throws -> String? {
        guard let text else { return nil }
        guard WrittenText.length(text) <= APIContract.collectionTextLength else {
            throw StoreError.invalid("the \(field) can be at most \(APIContract.collectionTextLength) characters; this one has \(WrittenText.length(text))")
        }
        return text
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
