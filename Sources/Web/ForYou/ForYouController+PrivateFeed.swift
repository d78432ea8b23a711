import Foundation
import Hummingbird
import QuireCore
import ReaderActions
import Storage

/// The private feed: the reader's picks as RSS, Atom and JSON Feed at
/// `/feeds/for-you/{token}/{format}`, for feed readers that cannot log in,
/// and the button on `/for-you` that makes (or resets) its link.
extension ForYouController {
    static let privateFeedSize = 50

    /// The page's path of the feed, without the format, e.g. "/feeds/for-you/12.AbC…".
    static func privateFeedPath(token: String) -> String { "/feeds/for-you/" + urlPart(token) }

    /// A new link, replacing the old: shown on the page this once (only its hash is kept).
    func resetFeedLink(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let user = try await gate.writer(request, context)
        let token = try await privateFeeds.reset(for: user)
        return try await page(for: user, notice: .newLink(site.absoluteURL(Self.privateFeedPath(token: token))))
    }

    /// Cookie-free (the feeds group): the token is the only authority, and an
    /// unknown or reset one is a plain 404 that says nothing about who had it.
    func privateFeed(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await gate.reader(request, context)
        let token = try context.parameters.require("token")
        guard let user = try await privateFeeds.reader(token: token.removingPercentEncoding ?? token) else {
            throw APIError.notFound("no such feed: the link was reset, or is not whole")
        }
        var response: Response
        do {
            // `?interest=`: one of the reader's interests, as on the page (all of them blended without it).
            let interest = try ReaderInterest.ID.choice(request.uri.queryParameters.get("interest"))
            response = try await FeedsController.response(request, context, title: "Quire · For \(user.username)", page: "/for-you", site: site,
                                                          cacheControl: "private, max-age=300") {
                switch try await shown(for: user, limit: Self.privateFeedSize, since: nil, withOnboarding: false, interest: interest) {
                case .picks(let picks, _, _): picks.map(\.paper)
                case .warmingUp(_, _, let trending, _): trending
                }
            }
        } catch let refusal as Refusal {
            // An interest the reader does not have: said as the feed's other errors are.
            throw APIError(status: refusal.httpStatus, message: refusal.description)
        }
        // The address is a secret: keep it out of search engines and other sites' logs.
        response.headers[.init("X-Robots-Tag")!] = "noindex"
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        return response
    }
}
