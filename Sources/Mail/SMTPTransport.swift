import Foundation
import QuireCore
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// How an SMTP connection is secured.
public enum SMTPTLSMode: String, Sendable, CaseIterable {
    /// Plain text throughout (a relay on localhost or a trusted network).
    case none
    /// Plain connection upgraded with STARTTLS, which the server must offer (usually port 587).
    case starttls
    /// TLS from the first byte, "implicit TLS" (usually port 465).
    case tls

    public var defaultPort: Int {
        switch self { case .none: 25; case .starttls: 587; case .tls: 465 }
    }
}

/// Where and how to reach an SMTP server.
public struct SMTPSettings: Sendable {
    public var host: String
    public var port: Int
    public var tls: SMTPTLSMode
    public var username: String?
    public var password: String?
    /// The name given in EHLO; the machine's host name when nil.
    public var heloName: String?
    public var connectTimeout: TimeInterval
    /// How long to wait for each reply (the greeting, each command, the end of DATA).
    public var commandTimeout: TimeInterval
    public var retry: RetryPolicy
    /// A PEM file of certificates to trust instead of the system's (a private CA, a self-signed server).
    public var trustedCertificatesFile: String?
    /// Whether to check the server's certificate and name. Turn off only for testing.
    public var verifyCertificates: Bool

    public init(
        host: String, port: Int? = nil, tls: SMTPTLSMode = .starttls,
        username: String? = nil, password: String? = nil, heloName: String? = nil,
        connectTimeout: TimeInterval = 15, commandTimeout: TimeInterval = 120,
        retry: RetryPolicy = RetryPolicy(), trustedCertificatesFile: String? = nil, verifyCertificates: Bool = true
    ) {
        self.host = host; self.port = port ?? tls.defaultPort; self.tls = tls
        self.username = username; self.password = password; self.heloName = heloName
        self.connectTimeout = connectTimeout; self.commandTimeout = commandTimeout; self.retry = retry
        self.trustedCertificatesFile = trustedCertificatesFile; self.verifyCertificates = verifyCertificates
    }
}

/// Sends mail to an SMTP server with SwiftNIO: EHLO, STARTTLS or implicit TLS,
/// AUTH PLAIN or LOGIN, then MAIL/RCPT/DATA with dot-stuffing. Each message is
/// one connection; 4xx replies and broken connections are retried with
/// exponential backoff, 5xx replies throw at once.
public struct SMTPTransport: MailTransport {
    public let settings: SMTPSettings
    public let logger: Logger
    private let group: EventLoopGroup
    private let sslContext: Result<NIOSSLContext, MailError>?

    public init(settings: SMTPSettings, eventLoopGroup: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                logger: Logger = Logger(label: "quire.mail")) {
        self.settings = settings
        self.logger = logger
        self.group = eventLoopGroup
        if settings.tls == .none {
            sslContext = nil
        } else {
            var configuration = TLSConfiguration.makeClientConfiguration()
            if let file = settings.trustedCertificatesFile { configuration.trustRoots = .file(file) }
            if !settings.verifyCertificates { configuration.certificateVerification = .none }
            do {
                sslContext = .success(try NIOSSLContext(configuration: configuration))
            } catch {
                sslContext = .failure(.invalidConfiguration("TLS setup failed: \(error)"))
            }
        }
    }

    public func send(_ message: MailMessage) async throws {
        let message = message.withMessageID()  // the same id on every attempt
        guard message.from.isValid else { throw MailError.invalidMessage("bad sender address \(message.from.address)") }
        let recipients = message.envelopeRecipients
        guard !recipients.isEmpty else { throw MailError.invalidMessage("no recipients") }
        if let bad = recipients.first(where: { !$0.isValid }) {
            throw MailError.invalidMessage("bad recipient address \(bad.address)")
        }
        let payload = SMTPTransport.dataPayload(message.rendered())
        let target = "\(settings.host):\(settings.port)"
        do {
            try await settings.retry.run(logger: logger, what: "sending \(message.messageID!) via \(target)") { _ in
                try await deliverOnce(message, recipients: recipients, payload: payload)
            }
        } catch let error as MailError {
            switch error {
            case .authenticationFailed: break  // logged where it happened
            default: logger.error("SMTP \(target): giving up on \(message.messageID!): \(error)")
            }
            throw error
        }
    }

    /// The DATA section: CRLF line endings, lines starting with "." doubled
    /// (RFC 5321 4.5.2), ending with the "." line.
    public static func dataPayload(_ rendered: String) -> String {
        let text = MIMEBuilder.unixNewlines(rendered)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            line.hasPrefix(".") ? "." + line : line
        }
        if lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\r\n") + "\r\n.\r\n"
    }

    // MARK: One attempt

    private func deliverOnce(_ message: MailMessage, recipients: [MailAddress], payload: String) async throws {
        let target = "\(settings.host):\(settings.port)"
        logger.debug("SMTP connecting to \(target) (TLS mode \(settings.tls.rawValue))")
        let connection = try await connect()
        defer { connection.close() }

        try await connection.expect(connection.read("greeting"), 220, after: "connect")
        var capabilities = try await ehlo(connection)

        if settings.tls == .starttls {
            guard capabilities["STARTTLS"] != nil else {
                logger.error("SMTP \(target) does not offer STARTTLS, which TLS mode starttls requires")
                throw MailError.startTLSUnavailable
            }
            try await connection.expect(connection.command("STARTTLS"), 220, after: "STARTTLS")
            try await connection.startTLS(context: try tlsContext(), serverHostname: sniHostname)
            capabilities = try await ehlo(connection)
            logger.debug("SMTP \(target): STARTTLS negotiated")
        }

        if let username = settings.username, !username.isEmpty {
            try await authenticate(connection, username: username, password: settings.password ?? "",
                                   capabilities: capabilities)
        }

        try await connection.expect(connection.command("MAIL FROM:<\(message.from.address)>"), 250, after: "MAIL FROM")
        for recipient in recipients {
            try await connection.expect(connection.command("RCPT TO:<\(recipient.address)>"), 250, 251,
                                        after: "RCPT TO:<\(recipient.address)>")
        }
        try await connection.expect(connection.command("DATA"), 354, after: "DATA")
        let accepted = try await connection.expect(connection.send(raw: payload, what: "end of DATA"), 250,
                                                   after: "end of DATA")
        logger.info("SMTP \(target) accepted \(message.messageID!) for \(recipients.count) recipient(s): \(accepted)")
        _ = try? await connection.command("QUIT")
    }

    private var sniHostname: String? {
        // An IP address cannot go in SNI; NIOSSL then checks the certificate against the peer's address.
        (try? SocketAddress(ipAddress: settings.host, port: 0)) == nil ? settings.host : nil
    }

    private func tlsContext() throws -> NIOSSLContext {
        switch sslContext {
        case .success(let context): return context
        case .failure(let error): throw error
        case nil: throw MailError.invalidConfiguration("TLS is not configured")
        }
    }

    private func connect() async throws -> SMTPConnection {
        let handler = SMTPReplyHandler()
        var tlsHandler: NIOSSLClientHandler?
        if settings.tls == .tls {
            do {
                tlsHandler = try NIOSSLClientHandler(context: try tlsContext(), serverHostname: sniHostname)
            } catch let error as MailError {
                throw error
            } catch {
                throw MailError.invalidConfiguration("TLS setup failed: \(error)")
            }
        }
        let boxedTLS = UncheckedSendable(tlsHandler) // used only on the channel's event loop
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.milliseconds(Int64(settings.connectTimeout * 1000)))
            .channelOption(ChannelOptions.socketOption(.so_keepalive), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls = boxedTLS.value { try channel.pipeline.syncOperations.addHandler(tls) }
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        do {
            let channel = try await bootstrap.connect(host: settings.host, port: settings.port).get()
            return SMTPConnection(channel: channel, handler: handler, timeout: settings.commandTimeout)
        } catch {
            throw MailError.connectionFailed("cannot connect to \(settings.host):\(settings.port): \(error)")
        }
    }

    private func ehlo(_ connection: SMTPConnection) async throws -> [String: String] {
        let name = settings.heloName ?? SMTPTransport.localHostName
        let reply = try await connection.command("EHLO \(name)")
        if reply.code == 250 {
            var capabilities: [String: String] = [:]
            for line in reply.lines.dropFirst() {
                let parts = line.split(separator: " ", maxSplits: 1)
                guard let keyword = parts.first else { continue }
                var key = keyword.uppercased(), value = parts.count > 1 ? String(parts[1]) : ""
                if key.hasPrefix("AUTH=") { value = String(key.dropFirst(5)) + " " + value; key = "AUTH" }
                capabilities[key] = ((capabilities[key].map { $0 + " " } ?? "") + value)
                    .trimmingCharacters(in: .whitespaces)
            }
            return capabilities
        }
        // A server that predates ESMTP: plain HELO is enough unless we need extensions.
        if reply.code >= 500 && settings.tls != .starttls && (settings.username ?? "").isEmpty {
            try await connection.expect(connection.command("HELO \(name)"), 250, after: "HELO")
            return [:]
        }
        try connection.expect(reply, 250, after: "EHLO")
        return [:]
    }

    private func authenticate(_ connection: SMTPConnection, username: String, password: String,
                              capabilities: [String: String]) async throws {
        let target = "\(settings.host):\(settings.port)"
        let mechanisms = Set((capabilities["AUTH"] ?? "").uppercased().split(separator: " ").map(String.init))
        if settings.tls == .none {
            logger.warning("SMTP \(target): sending credentials without TLS")
        }
        let reply: SMTPReply
        let mechanism: String
        if mechanisms.contains("PLAIN") {
            mechanism = "PLAIN"
            let token = Data(("\0" + username + "\0" + password).utf8).base64EncodedString()
            reply = try await connection.command("AUTH PLAIN \(token)", logAs: "AUTH PLAIN ****")
        } else if mechanisms.contains("LOGIN") {
            mechanism = "LOGIN"
            var step = try await connection.command("AUTH LOGIN")
            if step.code == 334 {
                step = try await connection.command(Data(username.utf8).base64EncodedString(), logAs: "(user name)")
                if step.code == 334 {
                    step = try await connection.command(Data(password.utf8).base64EncodedString(), logAs: "(password)")
                }
            }
            reply = step
        } else {
            let offered = mechanisms.isEmpty ? "none" : mechanisms.sorted().joined(separator: " ")
            logger.error("SMTP \(target): cannot log in as '\(username)': server offers AUTH mechanisms: \(offered)")
            throw MailError.authenticationUnavailable(
                "\(target) offers no supported AUTH mechanism (offered: \(offered); supported: PLAIN LOGIN)"
                    + (settings.tls == .none ? "; many servers offer AUTH only over TLS" : ""))
        }
        switch reply.code {
        case 235:
            logger.debug("SMTP \(target): authenticated as '\(username)' with \(mechanism)")
        case 400..<500:
            logger.warning("SMTP \(target): login as '\(username)' failed temporarily: \(reply)")
            throw MailError.temporaryFailure(command: "AUTH \(mechanism)", reply: reply)
        default:
            logger.error("SMTP \(target): login refused for user '\(username)' (AUTH \(mechanism)): \(reply)")
            throw MailError.authenticationFailed(reply: reply)
        }
    }

    static let localHostName: String = {
        let name = ProcessInfo.processInfo.hostName
        return name.isEmpty || name.contains(" ") ? "localhost" : name
    }()
}


// MARK: - The connection

/// One SMTP connection: writes commands and waits for replies, each wait
/// bounded by `timeout`.
final class SMTPConnection: @unchecked Sendable { // all `let`; NIO's Channel is thread-safe
    let channel: Channel
    let handler: SMTPReplyHandler
    let timeout: TimeInterval

    init(channel: Channel, handler: SMTPReplyHandler, timeout: TimeInterval) {
        self.channel = channel; self.handler = handler; self.timeout = timeout
    }

    /// Waits for the next reply.
    func read(_ what: String) async throws -> SMTPReply {
        let loop = channel.eventLoop
        let promise = loop.makePromise(of: SMTPReply.self)
        let handler = self.handler, channel = self.channel, timeout = self.timeout
        loop.execute {
            handler.next(promise)
            let timer = loop.scheduleTask(in: .milliseconds(Int64(timeout * 1000))) {
                handler.failAll(MailError.timeout("no reply to \(what) within \(Int(timeout))s"))
                channel.close(promise: nil)
            }
            promise.futureResult.whenComplete { _ in timer.cancel() }
        }
        return try await promise.futureResult.get()
    }

    /// Sends one command line and waits for its reply. `logAs` hides secrets in errors.
    func command(_ line: String, logAs: String? = nil) async throws -> SMTPReply {
        guard !line.contains("\r"), !line.contains("\n") else {
            throw MailError.invalidMessage("line break in SMTP command")
        }
        return try await send(raw: line + "\r\n", what: logAs ?? line)
    }

    func send(raw: String, what: String) async throws -> SMTPReply {
        var buffer = channel.allocator.buffer(capacity: raw.utf8.count)
        buffer.writeString(raw)
        channel.writeAndFlush(buffer, promise: nil)  // a failed write shows up as a failed read
        return try await read(what)
    }

    /// Throws unless the reply has one of the expected codes: 4xx as temporary,
    /// 5xx as permanent, anything else as a protocol violation.
    @discardableResult
    func expect(_ reply: SMTPReply, _ codes: Int..., after command: String) throws -> SMTPReply {
        if codes.contains(reply.code) { return reply }
        if reply.isTemporaryFailure { throw MailError.temporaryFailure(command: command, reply: reply) }
        if reply.isPermanentFailure { throw MailError.permanentFailure(command: command, reply: reply) }
        throw MailError.protocolViolation("unexpected reply to \(command): \(reply)")
    }

    /// Puts TLS under the connection, after the server's 220 to STARTTLS.
    func startTLS(context: NIOSSLContext, serverHostname: String?) async throws {
        let channel = self.channel, handler = self.handler
        try await channel.eventLoop.submit {
            // Anything the server sent after its 220 would be plaintext injected
            // into the TLS session (CVE-2011-0411 and friends).
            guard !handler.hasBufferedInput else {
                throw MailError.protocolViolation("server sent data after its STARTTLS reply")
            }
            let tls = try NIOSSLClientHandler(context: context, serverHostname: serverHostname)
            try channel.pipeline.syncOperations.addHandler(tls, position: .first)
        }.get()
    }

    func close() {
        channel.close(promise: nil)
    }
}

/// Splits the byte stream into lines and lines into replies ("250-…" lines
/// continue, "250 …" ends one), handing each reply to the oldest waiter.
/// Runs on the channel's event loop only.
final class SMTPReplyHandler: ChannelInboundHandler, @unchecked Sendable { // state touched on its event loop only
    typealias InboundIn = ByteBuffer

    static let maxLineLength = 16 * 1024

    private var pending: [UInt8] = []
    private var lines: [String] = []
    private var code: Int?
    private var replies: [SMTPReply] = []
    private var waiters: [EventLoopPromise<SMTPReply>] = []
    private var failure: MailError?

    var hasBufferedInput: Bool { !pending.isEmpty || !lines.isEmpty || !replies.isEmpty }

    func next(_ promise: EventLoopPromise<SMTPReply>) {
        if !replies.isEmpty {
            promise.succeed(replies.removeFirst())
        } else if let failure {
            promise.fail(failure)
        } else {
            waiters.append(promise)
        }
    }

    func failAll(_ error: MailError) {
        if failure == nil { failure = error }
        let waiting = waiters
        waiters = []
        for waiter in waiting { waiter.fail(failure!) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if let bytes = buffer.readBytes(length: buffer.readableBytes) { pending.append(contentsOf: bytes) }
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            var line = Array(pending[..<newline])
            pending.removeSubrange(...newline)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            if let error = parse(String(decoding: line, as: UTF8.self)) {
                failAll(error)
                context.close(promise: nil)
                return
            }
        }
        if pending.count > SMTPReplyHandler.maxLineLength {
            failAll(.protocolViolation("reply line longer than \(SMTPReplyHandler.maxLineLength) bytes"))
            context.close(promise: nil)
        }
    }

    private func parse(_ line: String) -> MailError? {
        let scalars = Array(line.unicodeScalars)
        guard scalars.count >= 3, let value = Int(String(String.UnicodeScalarView(scalars[0..<3]))),
              (200...599).contains(value) else {
            return .protocolViolation("not an SMTP reply: \(line.prefix(80))")
        }
        let separator = scalars.count > 3 ? scalars[3] : " "
        guard separator == " " || separator == "-" else { return .protocolViolation("bad reply line: \(line.prefix(80))") }
        if let code, code != value { return .protocolViolation("reply code changed within a reply: \(line.prefix(80))") }
        code = value
        lines.append(scalars.count > 4 ? String(String.UnicodeScalarView(scalars[4...])) : "")
        if separator == " " {
            let reply = SMTPReply(code: value, lines: lines)
            lines = []; code = nil
            if waiters.isEmpty { replies.append(reply) } else { waiters.removeFirst().succeed(reply) }
        }
        return nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(.connectionFailed("connection closed by the server"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let error = error as? MailError {
            failAll(error)
        } else if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            failAll(.tlsFailed("\(error)"))
        } else {
            failAll(.connectionFailed("\(error)"))
        }
        context.close(promise: nil)
    }
}
