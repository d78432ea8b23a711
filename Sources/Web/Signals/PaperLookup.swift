import Foundation
import QuireCore
import ReaderActions
import Storage

/// Finding the paper a reader's action names, the same way for pages and the
/// API (the rules of the actions themselves are ReaderActions').
struct PaperLookup {
    let store: any PaperStore
    let submissionActions: SubmissionActions
    /// Fetches a paper Quire does not know yet (`AppDependencies.fetchUnknownPaper`);
    /// nil means "known papers only".
    let fetchUnknownPaper: (@Sendable (String) async throws -> Paper?)?
    /// How long a submission waits for that fetch before answering 504.
    let fetchDeadline: Duration

    /// A paper Quire already holds, named by arXiv id or URL (or Quire id).
    /// Never fetches: reading, upvoting, commenting, saving and claiming only
    /// concern papers Quire knows, so none of them writes a paper or waits on arXiv.
    func paper(_ reference: String) async throws -> Paper {
        let trimmed = reference.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw Refusal.notFound("give an arXiv id (2410.17243) or link (https://arxiv.org/abs/2410.17243)") }
        if let paper = try await store.paper(id: ArxivID.parse(trimmed)?.base ?? trimmed) { return paper }
        throw Refusal.notFound("Quire does not know '\(trimmed.prefix(100))'" +
                                  (ArxivID.parse(trimmed) == nil ? "" : "; submit it to have it fetched from arXiv"))
    }

    /// `paper`, else fetched from arXiv (and stored) when the server can,
    /// within `fetchDeadline`. Only submissions (signed in, rate-limited) call this.
    func paperFetchingIfUnknown(_ reference: String) async throws -> Paper {
        let trimmed = reference.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let id = ArxivID.parse(trimmed)?.base, let fetch = fetchUnknownPaper,
              try await store.paper(id: id) == nil else { return try await paper(reference) }
        let fetched: Paper??
        do { fetched = try await withDeadline(fetchDeadline) { try await fetch(id) } } catch {
            throw UpstreamFailure(status: .badGateway, message: "Quire does not know \(id) and could not look it up on arXiv; try again later")
        }
        guard let fetched else {
            throw UpstreamFailure(status: .gatewayTimeout, message: "Quire does not know \(id) and arXiv did not answer in time; try again later")
        }
        guard let paper = fetched else { throw Refusal.notFound("Quire does not know \(id) and arXiv has no such paper") }
        return paper
    }

    func submit(_ reference: String, comment: String?, by user: User) async throws -> Submission {
        try await submissionActions.submit(comment: comment, by: user) { try await paperFetchingIfUnknown(reference) }
    }
}
