import Foundation
import Hummingbird
import QuireCore
import ReaderActions
import Storage

/// The mutes' forms on `/for-you`: add one (a word or phrase, an author, a
/// category), remove one, and extend them to every list. Each goes back to
/// the page's mutes; a refused one shows the page with the reason, 4xx.
extension ForYouController {
    func addMute(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        guard let kind = context.form["kind"].flatMap(Mute.Kind.init(rawValue:)) else {
            throw PageError.badRequest("kind must be one of \(Mute.Kind.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        do {
            _ = try await mutes.add(kind, context.form["value"] ?? "", by: user)
        } catch let refusal as Refusal {
            return try await page(for: user, notice: .error(refusal.description), status: refusal.httpStatus)
                .response(from: request, context: context)
        }
        return Response(status: .seeOther, headers: [.location: "/for-you#mutes"])
    }

    func removeMute(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        guard let kind = context.form["kind"].flatMap(Mute.Kind.init(rawValue:)), let value = context.form["value"] else {
            throw PageError.badRequest("say which mute to remove: its kind and value.")
        }
        try await mutes.remove(Mute(kind: kind, value: value), by: user)
        return Response(status: .seeOther, headers: [.location: "/for-you#mutes"])
    }

    func muteEverywhere(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        try await mutes.setEverywhere(context.form["on"] == "1", by: user)
        return Response(status: .seeOther, headers: [.location: "/for-you#mutes"])
    }
}
