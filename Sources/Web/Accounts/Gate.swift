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

/// Too many requests: JSON under /api, a page elsewhere, with Retry-After.
struct RateLimited: HTTPResponseError {
    var message: String
    var retryAfter: Int
    var status: HTTPResponse.Status { .tooManyRequests }
    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = request.uri.path.hasPrefix("/api/")
            ? try APIError(status: .tooManyRequests, message: message).response(from: request, context: context)
            : try PageError(status: .tooManyRequests, title: "Slow down", message: message).response(from: request, context: context)
        response.headers[.retryAfter] = String(retryAfter)
        return response
    }
}

/// The checks in front of every write: signed in, and within the rate limits.
struct Gate {
    let dependencies: AppDependencies

    /// The signed-in user; otherwise 401 for the API and the login page for browsers.
    func user(_ request: Request, _ context: AppRequestContext) throws -> User {
        if let user = context.viewer.user { return user }
        if request.uri.path.hasPrefix("/api/") {
            throw APIError(status: .unauthorized, message: "sign in with a personal API token: 'Authorization: Bearer TOKEN'")
        }
        let back = context.form["back"].flatMap(Self.localPath) ?? request.uri.path
        throw Redirect(location: "/login?next=" + urlPart(back))
    }

    /// `user`, then counts a write against the user's and the address's limits.
    func writer(_ request: Request, _ context: AppRequestContext) async throws -> User {
        let user = try user(request, context)
        let security = dependencies.security
        try await limit("write-user:\(user.id)", security.writeLimitPerUser)
        try await limit("write-addr:\(clientAddress(request, context))", security.writeLimitPerAddress)
        return user
    }

    func limit(_ key: String, _ rate: RateLimit, message: String? = nil) async throws {
        if let wait = await dependencies.rateLimiter.hit(key, limit: rate, now: dependencies.now()) {
            throw RateLimited(message: message ?? "Too many requests: at most \(rate.count) every \(Int(rate.seconds)) seconds. Try again in \(wait) s.",
                              retryAfter: wait)
        }
    }

    func clientAddress(_ request: Request, _ context: AppRequestContext) -> String {
        if dependencies.security.trustForwardedFor, let forwarded = request.headers[.xForwardedFor],
           let first = forwarded.split(separator: ",").first {
            return first.trimmingCharacters(in: .whitespaces)
        }
        return context.remoteAddress?.ipAddress ?? "local"
    }

    /// Only paths on this site ("/papers/x"), never "//evil.example" or "https://…":
    /// where a form may send the browser back to.
    static func localPath(_ text: String) -> String? {
        guard text.hasPrefix("/"), !text.hasPrefix("//"), !text.hasPrefix("/\\"),
              !text.contains(where: { $0.isNewline || $0 == "\\" }) else { return nil }
        return text
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto")!
}
