import Hummingbird
import NIOCore

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
