import Foundation
import HTTPTypes
import Hummingbird
import Storage

/// A redirect as an error, so a handler deep in a page can send the browser
/// elsewhere (to the login page, back to the list it came from).
struct Redirect: HTTPResponseError {
    var location: String
    var status: HTTPResponse.Status { .seeOther }
    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}

/// Nobody is signed in: a browser is sent to the login page, to come back
/// to `back` afterwards; the API group answers 401 instead (`APIErrorMiddleware`).
struct SignInRequired: HTTPResponseError {
    var back: String
    var status: HTTPResponse.Status { .seeOther }
    func response(from request: Request, context: some RequestContext) throws -> Response {
        try Redirect(location: "/login?next=" + urlPart(back)).response(from: request, context: context)
    }
}

/// Too many requests: a page with Retry-After; the API group answers it as
/// JSON (`APIErrorMiddleware`).
struct RateLimited: HTTPResponseError {
    var message: String
    var retryAfter: Int
    var status: HTTPResponse.Status { .tooManyRequests }
    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try PageError(status: .tooManyRequests, title: "Slow down", message: message).response(from: request, context: context)
        response.headers[.retryAfter] = String(retryAfter)
        return response
    }
}

/// The checks in front of every write: signed in, and within the rate limits.
/// It needs no store: who is signed in is the context's (`ViewerMiddleware`).
struct Gate: Sendable {
    /// Shared by every controller, so a limit counts across pages and the API
    /// (and by every server, when the windows are kept in the database).
    let rateWindows: any RateWindows
    let security: SecurityConfig
    let now: @Sendable () -> Date

    /// The signed-in user; otherwise the login page for browsers (401 for the API).
    func user(_ request: Request, _ context: AppRequestContext) throws -> User {
        if let user = context.viewer.user { return user }
        throw SignInRequired(back: context.form["back"].flatMap(Self.localPath) ?? request.uri.path)
    }

    /// `user`, then counts a write against the user's and the address's limits.
    func writer(_ request: Request, _ context: AppRequestContext) async throws -> User {
        let user = try user(request, context)
        try await limit("write-user:\(user.id)", security.writeLimitPerUser)
        try await limit("write-addr:\(clientAddress(request, context))", security.writeLimitPerAddress)
        return user
    }

    func limit(_ key: String, _ rate: RateLimit, message: String? = nil) async throws {
        let now = now()
        let window = try await rateWindows.countHit(key, length: rate.seconds, now: now)
        guard window.count > rate.count else { return }
        // Whole seconds, at least one; clamped to the window, so a clock that
        // differs between servers cannot make an absurd wait.
        let wait = Int(min(max(1, window.ends.timeIntervalSince(now).rounded(.up)), max(1, rate.seconds.rounded(.up))))
        throw RateLimited(message: message ?? "Too many requests: at most \(rate.count) every \(Int(rate.seconds)) seconds. Try again in \(wait) s.",
                          retryAfter: wait)
    }

    func clientAddress(_ request: Request, _ context: AppRequestContext) -> String {
        ClientAddress.key(remote: context.remoteAddress?.ipAddress, forwardedFor: request.headers[values: .xForwardedFor],
                          trustProxy: security.trustForwardedFor)
    }

    /// Counts a search or a feed read against the client address's limit.
    func reader(_ request: Request, _ context: AppRequestContext) async throws {
        try await limit("read-addr:\(clientAddress(request, context))", security.searchAndFeedLimitPerAddress,
                        message: "Too many searches or feed reads from your address. Try again in a minute.")
    }

    /// The one check on every redirect target that came from a request (`next=`,
    /// a form's `back`): a path on this site, written only in printable ASCII
    /// without spaces or backslashes, that does not start with `//`. Browsers
    /// drop tabs and newlines from a Location and read `\` as `/`, so
    /// `/\t/evil.example` would become `//evil.example`: such characters are
    /// refused outright rather than removed.
    static func localPath(_ text: String) -> String? {
        guard text.utf8.count <= 2048, text.hasPrefix("/"), !text.hasPrefix("//"),
              text.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) && $0 != "\\" }) else { return nil }
        return text
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto")!
}
