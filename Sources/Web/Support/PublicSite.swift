import Hummingbird

/// The address readers reach Quire at, for every absolute link (mail,
/// feeds) and for whether cookies get `Secure`. Never taken from a request's
/// `Host` or `X-Forwarded-Host`: a stranger could otherwise have a genuine
/// reset mail link to their host.
struct PublicSite: Sendable {
    /// Without a trailing slash, so paths append to it.
    let url: String
    /// Whether a proxy's `X-Forwarded-Proto` is believed (`SecurityConfig.trustForwardedFor`).
    let trustForwardedProto: Bool

    /// Whether the reader reached us over HTTPS, so cookies get `Secure`.
    func isSecure(_ request: Request) -> Bool {
        if url.lowercased().hasPrefix("https://") { return true }
        return trustForwardedProto && request.headers[.xForwardedProto]?.lowercased() == "https"
    }

    /// The absolute address of a path, for links in mail and feeds.
    func absoluteURL(_ path: String) -> String { url + path }
}
