import Foundation
import Storage

/// Who is making the request, as far as pages and handlers care.
struct Viewer: Sendable {
    var user: User?
    /// What this viewer's forms must send back: the session's token when
    /// signed in, else the value of the anonymous `quire_csrf` cookie.
    var csrfToken: String
    /// SHA-256 of the session cookie, when signed in through a browser.
    var sessionHash: String?
    /// Signed in with `Authorization: Bearer` (the write API) rather than a cookie.
    var viaAPIToken = false
    /// The page being shown, path and query: where forms send the reader back to.
    var path = "/"

    static let anonymous = Viewer(user: nil, csrfToken: "")

    /// The viewer of the request being handled. Views are plain functions of
    /// their data; the header and every form need to know who is looking,
    /// and a task-local saves threading that through every page.
    @TaskLocal static var current = Viewer.anonymous
}
