import Digest
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import ReaderActions
import Testing

/// A real HTTP server on 127.0.0.1 that answers each request from a script
/// (status and headers by path) and keeps what it received.
final class ScriptedHTTPServer: @unchecked Sendable {
    struct Received: Sendable { var path: String; var body: String; var host: String }
    private let lock = NSLock()
    private var _received: [Received] = []
    var received: [Received] { lock.withLock { _received } }
    let answers: @Sendable (String) -> (Int, [(String, String)])
    private(set) var channel: (any Channel)?
    var port: Int { channel?.localAddress?.port ?? 0 }

    init(answers: @escaping @Sendable (String) -> (Int, [(String, String)])) async throws {
        self.answers = answers
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(server: self))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func stop() async throws { try await channel?.close() }

    fileprivate func record(_ request: Received) { lock.withLock { _received.append(request) } }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let server: ScriptedHTTPServer
        var head: HTTPRequestHead?
        var body = ""
        init(server: ScriptedHTTPServer) { self.server = server }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let h): head = h; body = ""
            case .body(var b): body += b.readString(length: b.readableBytes) ?? ""
            case .end:
                let path = head?.uri ?? ""
                server.record(Received(path: path, body: body, host: head?.headers.first(name: "Host") ?? ""))
                let (status, headers) = server.answers(path)
                var response = HTTPResponseHead(version: .http1_1, status: .init(statusCode: status))
                for (name, value) in headers { response.headers.add(name: name, value: value) }
                response.headers.add(name: "Content-Length", value: "2")
                response.headers.add(name: "Connection", value: "close")
                context.write(wrapOutboundOut(.head(response)), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "ok")))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
            }
        }
    }
}

/// The real poster against a real local server: posts, redirects followed
/// and re-checked, refusals made before any connection.
@Suite struct WebhookPosterTests {
    static let loopbackAllowed = WebhookPoster(check: WebhookAddressCheck(allowInsecureLoopback: true), timeout: .seconds(5))
    static let strict = WebhookPoster(check: WebhookAddressCheck(), timeout: .seconds(5))

    static func server() async throws -> ScriptedHTTPServer {
        try await ScriptedHTTPServer { path in
            switch path {
            case "/ok": (200, [])
            case "/fail": (500, [])
            case "/to-private": (302, [("Location", "http://10.0.0.1/hook")])
            case "/to-metadata": (307, [("Location", "http://169.254.169.254/latest/meta-data/")])
            case "/to-mapped": (308, [("Location", "http://[::ffff:192.168.0.1]/x")])
            case "/to-ok": (301, [("Location", "/ok")])
            case "/loop": (302, [("Location", "/loop")])
            default: (404, [])
            }
        }
    }

    @Test func postsTheBodyAndReadsTheStatus() async throws {
        let server = try await Self.server()
        let ok = try await Self.loopbackAllowed.post(Data("{\"text\":\"hi\"}".utf8), to: "http://127.0.0.1:\(server.port)/ok")
        #expect(ok.status == 200 && ok.isSuccess && ok.excerpt == "ok")
        let failed = try await Self.loopbackAllowed.post(Data("{}".utf8), to: "http://127.0.0.1:\(server.port)/fail")
        #expect(failed.status == 500 && !failed.isSuccess)
        #expect(server.received.map(\.path) == ["/ok", "/fail"])
        #expect(server.received.first?.body == "{\"text\":\"hi\"}")
        #expect(server.received.first?.host == "127.0.0.1:\(server.port)")
        try await server.stop()
    }

    /// A redirect to a private or link-local address is refused before connecting there.
    @Test(arguments: [("/to-private", "10.0.0.1 is a private address"), ("/to-metadata", "169.254.169.254 is a link-local address"),
                      ("/to-mapped", "an IPv4-mapped address of a private address")])
    func redirectsToSpecialAddressesAreRefused(_ path: String, _ reason: String) async throws {
        let server = try await Self.server()
        do {
            _ = try await Self.loopbackAllowed.post(Data("{}".utf8), to: "http://127.0.0.1:\(server.port)\(path)")
            Issue.record("the redirect was followed")
        } catch let error as WebhookPostError {
            guard case .refused(let why) = error else { Issue.record("\(error)"); return }
            #expect(why.hasPrefix("redirected to http://"))
            #expect(why.contains(reason))
        }
        #expect(server.received.map(\.path) == [path])
        try await server.stop()
    }

    @Test func redirectsArePostedAgainAndCounted() async throws {
        let server = try await Self.server()
        let followed = try await Self.loopbackAllowed.post(Data("{}".utf8), to: "http://127.0.0.1:\(server.port)/to-ok")
        #expect(followed.status == 200)
        #expect(server.received.map(\.path) == ["/to-ok", "/ok"])
        await #expect(throws: WebhookPostError.tooManyRedirects(WebhookPoster.maxRedirects)) {
            try await Self.loopbackAllowed.post(Data("{}".utf8), to: "http://127.0.0.1:\(server.port)/loop")
        }
        #expect(server.received.count == 2 + 1 + WebhookPoster.maxRedirects)
        try await server.stop()
    }

    /// Without the test flag, the local server is never reached.
    @Test func withoutTheFlagLoopbackIsNeverContacted() async throws {
        let server = try await Self.server()
        for url in ["http://127.0.0.1:\(server.port)/ok", "https://127.0.0.1:\(server.port)/ok", "https://localhost:\(server.port)/ok",
                    "https://[::ffff:127.0.0.1]:\(server.port)/ok", "https://2130706433:\(server.port)/ok"] {
            await #expect(throws: WebhookPostError.self, "\(url)") { try await Self.strict.post(Data("{}".utf8), to: url) }
        }
        #expect(server.received.isEmpty)
        try await server.stop()
    }
}
