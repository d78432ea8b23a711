import Foundation
import Hummingbird
import QuireCore
import ReaderActions
import Storage

/// Collections as interests of their own: the button on `/for-you` and on a
/// collection's page, and `/api/me/interests`. A refused change (another
/// reader's collection, the cap) shows the page with the reason, 4xx.
extension ForYouController {
    func interestForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        guard let id = context.form["collection"].flatMap({ Int($0) }) else {
            throw PageError.badRequest("say which collection: its number.")
        }
        do {
            try await interests.set(id, on: context.form["on"] != "0", by: user)
        } catch let refusal as Refusal {
            return try await page(for: user, notice: .error(refusal.description), status: refusal.httpStatus)
                .response(from: request, context: context)
        }
        let path = context.form["back"].flatMap(Gate.localPath) ?? "/for-you#your-interests"
        return Response(status: .seeOther, headers: [.location: path])
    }

    struct InterestJSON: Encodable {
        var id: String
        var name: String
        var papers: Int
        var ready: Bool
    }

    func apiInterests(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await interestList(for: try gate.user(request, context))
    }

    func apiSetInterest(_ request: Request, _ context: AppRequestContext, on: Bool) async throws -> Response {
        let user = try await gate.writer(request, context)
        try await interests.set(try context.number("id"), on: on, by: user)
        return try await interestList(for: user)
    }

    private func interestList(for user: User) async throws -> Response {
        try jsonResponse(try await feed.interests(of: user).map {
            InterestJSON(id: $0.id.description, name: $0.name, papers: $0.positiveIDs.count, ready: $0.isReady)
        })
    }
}
