import Hummingbird
import NIOCore
import Storage

/// The request context of every route: Hummingbird's core storage, the
/// client's address (for rate limits), who is signed in, and the form body
/// once the CSRF check has read it.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    var viewer = Viewer.anonymous
    /// Fields of an `application/x-www-form-urlencoded` POST body.
    var form = FormFields()

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

extension AppRequestContext {
    /// A numeric path parameter (a comment, collection or token id). Anything
    /// else is a 404: JSON in the API group (APIErrorMiddleware), a page elsewhere (ErrorPageMiddleware).
    func number(_ name: String) throws -> Int {
        let text = try parameters.require(name)
        guard let value = Int(text) else { throw Refusal.notFound("there is nothing numbered '\(text.prefix(40))'") }
        return value
    }
}
