import Digest
import Foundation
import Hummingbird
import HTTPTypes
import ReaderActions
import Storage

/// Works out who is asking (API token, session cookie, or nobody), and
/// refuses state-changing browser requests without the viewer's CSRF token.
///
/// - `Authorization: Bearer` signs in with a personal API token; such
///   requests carry no cookies' authority, so they need no CSRF token.
/// - In the API group (`tokenOnly`) that is the only way in: cookies are
///   neither read nor set, and a write without a token is refused.
/// - In the pages group every other POST must be a form whose `csrf` field
///   equals the session's token (signed in) or the anonymous `quire_csrf`
///   cookie (signing up or in).
struct ViewerMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// Where API tokens and sessions are looked up.
    let accounts: any AccountStore
    /// Whether the anonymous CSRF cookie gets `Secure`.
    let site: PublicSite
    let now: @Sendable () -> Date
    /// The API group's setting: a token or nobody, never a cookie.
    let tokenOnly: Bool

    static let sessionCookie = "quire_session"
    static let anonymousCookie = "quire_csrf"
    static let maxFormBytes = 256 * 1024
    /// A form with a file (`MultipartForm`): an own-papers BibTeX file and its form's fields.
    static let maxUploadBytes = OwnPaperActions.maxUploadBytes + 64 * 1024

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        var context = context
        let now = now()
        var newAnonymousToken: String?

        // Only the Bearer scheme is Quire's: other schemes (Basic from a
        // password-protecting proxy in front, say) are someone else's business
        // and leave the request to the cookie or anonymous.
        if let authorization = request.headers[.authorization], authorization.lowercased().hasPrefix("bearer ") {
            let token = authorization.dropFirst(7).trimmingCharacters(in: .whitespaces)
            guard !token.isEmpty else {
                throw APIError(status: .unauthorized, message: "send a personal API token as 'Authorization: Bearer TOKEN' (make one on your account page)")
            }
            guard let user = try await accounts.user(apiTokenHash: Secrets.sha256(token), now: now) else {
                throw APIError(status: .unauthorized, message: "that API token is not valid: it was revoked, or mistyped")
            }
            context.viewer = Viewer(user: user, csrfToken: "", viaAPIToken: true)
        } else if tokenOnly {
            context.viewer = Viewer(user: nil, csrfToken: "")
        } else if let signedIn = try await Self.sessionViewer(request, accounts: accounts, now: now) {
            context.viewer = signedIn
        } else {
            let existing = request.cookies[Self.anonymousCookie]?.value
            let token = existing.flatMap { $0.count >= 32 ? $0 : nil } ?? Secrets.token()
            if token != existing { newAnonymousToken = token }
            context.viewer = Viewer(user: nil, csrfToken: token)
        }

        context.viewer.path = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")

        // The one-click unsubscribe POST is authorised by its signed link (RFC 8058),
        // and so is a digest's "Not interested".
        let csrfExempt = request.uri.path == "/unsubscribe" || request.uri.path == NotInterestedLink.path
        if request.method != .get, request.method != .head, !context.viewer.viaAPIToken, !csrfExempt {
            if tokenOnly {
                throw APIError(status: .unauthorized, message: "API writes need a personal API token: 'Authorization: Bearer TOKEN' (make one on your account page)")
            }
            if let boundary = request.headers[.contentType].flatMap(MultipartForm.boundary(contentType:)) {
                // A file upload (the BibTeX of one's own papers): larger, and in parts.
                let body = try await request.collectBody(upTo: Self.maxUploadBytes)
                guard let fields = MultipartForm.fields(Array(body.readableBytesView), boundary: boundary) else {
                    throw PageError(status: .badRequest, title: "Not understood", message: "The form's upload is not well formed: send it again from the page.")
                }
                context.form = FormFields(pairs: fields)
            } else {
                let body = try await request.collectBody(upTo: Self.maxFormBytes)
                context.form = FormFields(urlEncoded: String(buffer: body))
            }
            guard let sent = context.form["csrf"], !context.viewer.csrfToken.isEmpty,
                  Secrets.constantTimeEqual(sent, context.viewer.csrfToken) else {
                throw PageError(status: .forbidden, title: "Form expired",
                                message: "This form has expired or did not come from a Quire page. Go back, reload the page and send it again.")
            }
        }

        var response = try await Viewer.$current.withValue(context.viewer) { try await next(request, context) }
        // Only HTML carries forms: this group's downloads (Markdown, BibTeX, JSON) stay cookie-free.
        if let newAnonymousToken, response.headers[.contentType]?.hasPrefix("text/html") == true {
            response.setCookie(Cookie(name: Self.anonymousCookie, value: newAnonymousToken, path: "/",
                                      secure: site.isSecure(request), httpOnly: true, sameSite: .lax))
        }
        return response
    }

    /// The reader whose session cookie the request carries, if it is valid.
    static func sessionViewer(_ request: Request, accounts: any AccountStore, now: Date) async throws -> Viewer? {
        guard let secret = request.cookies[sessionCookie]?.value,
              let session = try await accounts.session(tokenHash: Secrets.sha256(secret), now: now) else { return nil }
        return Viewer(user: session.user, csrfToken: session.csrfToken, sessionHash: Secrets.sha256(secret))
    }
}
