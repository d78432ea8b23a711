import Foundation
import Hummingbird
import QuireCore
import ReaderActions
import Storage

/// "My own papers": the three ways to find them (an author name, a BibTeX
/// file, a list of ids) lead to one confirmation page (`OwnPapersPage`);
/// confirming claims the ticked papers. As pages and as API calls.
extension ForYouController {
    /// `by` = name, bibtex or ids: the candidates, for the reader to tick.
    func findOwnPapers(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        let form = context.form
        do {
            let candidates: OwnPaperActions.Candidates
            let source: String
            switch form["by"] {
            case "name":
                candidates = try await ownPapers.byAuthorName(form["name"] ?? "", for: user)
                source = "by the author “\((form["name"] ?? "").trimmingCharacters(in: .whitespaces).prefix(200))”"
            case "bibtex":
                candidates = try await ownPapers.fromBibTeX(form["bibtex"] ?? "", for: user)
                source = "in your BibTeX file"
            case "ids":
                candidates = try await ownPapers.fromIDList(form["ids"] ?? "", for: user)
                source = "in your list"
            default:
                throw PageError.badRequest("by must be name, bibtex or ids.")
            }
            return try HTMLPage(html: OwnPapersPage.confirmation(candidates, source: source)).response(from: request, context: context)
        } catch let refusal as Refusal {
            return try await page(for: user, notice: .ownPapersError(refusal.description), status: refusal.httpStatus)
                .response(from: request, context: context)
        }
    }

    /// The ticked papers (`paper`, repeated) become the reader's own.
    func claimOwnPapers(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        do {
            _ = try await ownPapers.claim(context.form.all("paper"), by: user)
        } catch let refusal as Refusal {
            return try await page(for: user, notice: .ownPapersError(refusal.description), status: refusal.httpStatus)
                .response(from: request, context: context)
        }
        return Response(status: .seeOther, headers: [.location: "/for-you#own-papers"])
    }

    func removeOwnPaperForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        let paper = try await lookup.paper(context.form["paper"] ?? "")
        try await ownPapers.remove(paper.id, by: user)
        return Response(status: .seeOther, headers: [.location: "/for-you#own-papers"])
    }

    // MARK: API

    func apiOwnPapers(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try gate.user(request, context)
        return try jsonResponse(try await ownPapers.list(of: user).map { HFPaper($0) })
    }

    struct ClaimBody: Decodable {
        var ids: [String]?
        var bibtex: String?
        enum CodingKeys: String, CodingKey { case ids, bibtex }

        /// Either may be left out, but neither is null (the schema says so).
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            for (key, type) in [(CodingKeys.ids, [String].self as Any.Type), (.bibtex, String.self)] where container.contains(key) {
                if try container.decodeNil(forKey: key) {
                    throw DecodingError.valueNotFound(type, .init(codingPath: [key], debugDescription: "null"))
                }
            }
            ids = try container.decodeIfPresent([String].self, forKey: .ids)
            bibtex = try container.decodeIfPresent(String.self, forKey: .bibtex)
        }
    }
    struct ClaimResult: Encodable { var claimed: [String]; var unknown: [String] }

    func apiClaimOwnPapers(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        let body = try await decodeJSONBody(ClaimBody.self, from: request)
        // What the schema says (`APIContract.claimOwnPapers`), checked here: the contract middleware checks only the fields' names.
        guard body.ids != nil || body.bibtex != nil else { throw APIError.badRequest("send `ids` (arXiv ids) or `bibtex` (a BibTeX file's text)") }
        if let given = body.ids, given.isEmpty || given.count > OwnPaperActions.maxPerClaim || given.contains(where: { $0.count > 200 }) {
            throw APIError.badRequest("ids: 1 to \(OwnPaperActions.maxPerClaim) arXiv ids or addresses, each at most 200 characters")
        }
        if body.bibtex?.isEmpty == true { throw APIError.badRequest("bibtex is empty: send the text of a BibTeX file") }
        var ids: [String] = [], unknown: [String] = []
        for raw in body.ids ?? [] {
            if let id = ArxivID.parse(raw) { ids.append(id.base) } else { unknown.append("\(raw.prefix(100)): not an arXiv id") }
        }
        if let bibtex = body.bibtex {
            // A file that cannot be read is said in `unknown` with its line and
            // column, beside whatever the ids claimed: the call itself was well formed.
            do {
                let found = try await ownPapers.fromBibTeX(bibtex, for: user)
                ids += found.papers.map(\.id)
                unknown += found.unknown
            } catch Refusal.invalid(let message) {
                unknown.append(message)
            }
        }
        let claimed = ids.isEmpty ? (claimed: [String](), unknown: [String]()) : try await ownPapers.claim(ids, by: user)
        return try jsonResponse(ClaimResult(claimed: claimed.claimed,
                                            unknown: unknown + claimed.unknown.map { "\($0): not on this server" }))
    }

    func apiRemoveOwnPaper(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        let raw = try context.parameters.require("paper")
        let paper = try await lookup.paper(raw.removingPercentEncoding ?? raw)
        try await ownPapers.remove(paper.id, by: user)
        return Response(status: .noContent)
    }
}
