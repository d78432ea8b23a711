import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import ReaderActions

/// How a post to a webhook went.
public struct WebhookResponse: Sendable, Equatable {
    public var status: Int
    /// The start of the answer's body, for the error a reader sees.
    public var excerpt: String
    public var isSuccess: Bool { (200..<300).contains(status) }
    public init(status: Int, excerpt: String = "") { self.status = status; self.excerpt = excerpt }
}

/// Posts a JSON body to a webhook address: the narrow part the sender and
/// the "Send a test message" button need, so tests can put a fake beside
/// the real `WebhookPoster`.
public protocol WebhookTransport: Sendable {
    /// The final answer (after redirects); throws when no answer came or an
    /// address on the way was refused.
    func post(_ body: Data, to url: String) async throws -> WebhookResponse
}

public enum WebhookPostError: Error, CustomStringConvertible, Equatable {
    case refused(String)
    case tooManyRedirects(Int)
    case failed(String)

    public var description: String {
        switch self {
        case .refused(let reason): "refused: \(reason)"
        case .tooManyRedirects(let most): "more than \(most) redirects"
        case .failed(let reason): reason
        }
    }
}

/// The real transport: checks each address (`WebhookAddressCheck`: after
/// DNS, before connecting), connects to exactly the address checked (TLS
/// verified against the host's name), and follows at most `maxRedirects`
/// redirects itself, checking each target the same way. Redirects re-post
/// the same body (a webhook has nothing else to send).
public struct WebhookPoster: WebhookTransport {
    public static let maxRedirects = 3

    let check: WebhookAddressCheck
    let timeout: TimeAmount
    let group: any EventLoopGroup
    let tls: NIOSSLContext?

    public init(check: WebhookAddressCheck, timeout: Duration = .seconds(10), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.check = check
        self.timeout = .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000)
        self.group = group
        self.tls = try? NIOSSLContext(configuration: .makeClientConfiguration())
    }

    public func post(_ body: Data, to url: String) async throws -> WebhookResponse {
        var address = url
        for hop in 0...Self.maxRedirects {
            let target: WebhookAddressCheck.Target
            do { target = try await check.check(address) } catch {
                throw WebhookPostError.refused(hop == 0 ? error.description : "redirected to \(address.prefix(200)): \(error.description)")
            }
            let (response, location) = try await once(body, to: target)
            guard [301, 302, 303, 307, 308].contains(response.status), let location else { return response }
            // A relative Location is resolved against the address that gave it.
            guard let next = URL(string: location, relativeTo: URL(string: address))?.absoluteString else {
                throw WebhookPostError.failed("redirected to an address that is not a URL: \(location.prefix(200))")
            }
            address = next
        }
        throw WebhookPostError.tooManyRedirects(Self.maxRedirects)
    }

    /// One request to the checked address; the answer and its Location.
    private func once(_ body: Data, to target: WebhookAddressCheck.Target) async throws -> (WebhookResponse, String?) {
        let socket: SocketAddress
        do { socket = try SocketAddress(ipAddress: target.address, port: target.port) } catch {
            throw WebhookPostError.failed("cannot use the address \(target.address): \(error)")
        }
        var tlsHandler: NIOSSLClientHandler?
        if target.useTLS {
            guard let tls else { throw WebhookPostError.failed("TLS is not available") }
            // An IP literal cannot go in SNI; the certificate is then checked against the address.
            let isLiteral = WebhookAddressCheck.IPAddress(target.host) != nil
            do { tlsHandler = try NIOSSLClientHandler(context: tls, serverHostname: isLiteral ? nil : target.host) } catch {
                throw WebhookPostError.failed("TLS setup failed: \(error)")
            }
        }
        let boxedTLS = UncheckedBox(tlsHandler)
        let reader = ResponseReader()
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls = boxedTLS.value { try channel.pipeline.syncOperations.addHandler(tls) }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(reader)
                }
            }
        let channel: any Channel
        do { channel = try await bootstrap.connect(to: socket).get() } catch {
            throw WebhookPostError.failed("cannot connect to \(target.host) (\(target.address)):\(target.port): \(error)")
        }
        let defaultPort = target.useTLS ? 443 : 80
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: target.pathAndQuery)
        head.headers.add(name: "Host", value: (target.host.contains(":") ? "[\(target.host)]" : target.host) + (target.port == defaultPort ? "" : ":\(target.port)"))
        head.headers.add(name: "Content-Type", value: "application/json")
        head.headers.add(name: "Content-Length", value: String(body.count))
        head.headers.add(name: "User-Agent", value: "Quire-Webhook/1")
        head.headers.add(name: "Connection", value: "close")
        let answer = channel.eventLoop.makePromise(of: ResponseReader.Answer.self)
        reader.answer = answer
        let timeout = channel.eventLoop.scheduleTask(in: self.timeout) {
            answer.fail(WebhookPostError.failed("no answer within \(self.timeout.nanoseconds / 1_000_000_000) s"))
            channel.close(promise: nil)
        }
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        defer { timeout.cancel(); channel.close(promise: nil) }
        let result = try await answer.futureResult.get()
        return (WebhookResponse(status: result.status, excerpt: result.excerpt), result.location)
    }
}

struct UncheckedBox<T>: @unchecked Sendable { let value: T; init(_ value: T) { self.value = value } }

/// Collects the answer's status, Location and the start of its body. Used
/// only on its channel's event loop.
final class ResponseReader: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart
    struct Answer: Sendable { var status: Int; var location: String?; var excerpt: String }

    var answer: EventLoopPromise<Answer>?
    private var status = 0, location: String?, body = [UInt8]()

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
            location = head.headers.first(name: "Location")
        case .body(var buffer):
            if body.count < 300 { body += buffer.readBytes(length: min(buffer.readableBytes, 300 - body.count)) ?? [] }
        case .end:
            answer?.succeed(Answer(status: status, location: location, excerpt: String(decoding: body, as: UTF8.self)))
            answer = nil
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        answer?.fail(WebhookPostError.failed(status == 0 ? "the connection closed before an answer" : "the answer was cut off"))
        answer = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        answer?.fail(WebhookPostError.failed("\(error)"))
        answer = nil
        context.close(promise: nil)
    }
}
