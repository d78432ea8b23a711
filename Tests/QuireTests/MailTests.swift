import Foundation
import Logging
import Testing
@testable import Mail

#if canImport(Glibc)
import Glibc
#endif

// MARK: - Helpers

private let repoRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
private let serverScript = repoRoot.appendingPathComponent("tests/smtp_server.py").path

private func temporaryDirectory(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("quire-mail-\(name)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs a command to completion and returns its standard output.
@discardableResult
private func run(_ arguments: [String], in directory: URL? = nil) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errors = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw TestFailure("\(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): "
            + String(decoding: errors, as: UTF8.self))
    }
    return String(decoding: data, as: UTF8.self)
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// tests/smtp_server.py (aiosmtpd) on a free port of 127.0.0.1, writing a Maildir.
final class SMTPTestServer {
    let process = Process()
    let input = Pipe()
    let output = Pipe()
    let errors = Pipe()
    let maildir: URL
    private(set) var port = 0

    init(_ options: [String] = []) throws {
        maildir = try temporaryDirectory("maildir")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", serverScript, "serve", "--maildir", maildir.path, "--lifetime", "120"] + options
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // The first line is "PORT <n>"; an early exit (aiosmtpd missing) closes stdout instead.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            process.terminate()
            let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw TestFailure("smtp_server.py did not start (pip install aiosmtpd?): \(text) \(stderr)")
        }
        self.port = port
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: maildir)
    }

    /// The stored messages, parsed by Python's `email` package.
    func messages() throws -> [[String: Any]] {
        let json = try run(["python3", serverScript, "inspect", maildir.path])
        return try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] ?? []
    }

    func events(_ kind: String) throws -> [[String: Any]] {
        let url = maildir.appendingPathComponent("events.jsonl")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.filter { $0["event"] as? String == kind }
    }
}

private let fastRetry = RetryPolicy(maxAttempts: 3, initialDelay: 0.05, multiplier: 2, maxDelay: 0.2)

private func settings(_ server: SMTPTestServer, tls: SMTPTLSMode = .none, user: String? = nil,
                      password: String? = nil, retry: RetryPolicy = fastRetry) -> SMTPSettings {
    SMTPSettings(host: "127.0.0.1", port: server.port, tls: tls, username: user, password: password,
                 heloName: "quire.test", connectTimeout: 5, commandTimeout: 10, retry: retry)
}

private func sampleMessage() -> MailMessage {
    var message = MailMessage(
        from: MailAddress("digest@quire.example", name: "Quire Digest — Zürich"),
        to: [MailAddress("reader@example.org", name: "Ada \"The Countess\" Lovelace"),
             MailAddress("second@example.org")],
        subject: "Your papers: Schrödinger’s cat, 量子 & more — a long subject line that must be folded over several lines",
        text: """
        Hello Ada,

        .a line that starts with a dot
        ..and one with two
        .
        Ünïcödé text and a very long line: \(String(repeating: "lorem ipsum dolor sit amet ", count: 12))
        From here on, more text.
        Trailing spaces   
        = equals signs =
        """,
        html: "<p>Hello <b>Ada</b> — “quoted” &amp; 量子</p>\n<p>.dot</p>\n" + String(repeating: "<span>x</span>", count: 40),
        date: Date(timeIntervalSince1970: 1_741_600_000))
    message.setListUnsubscribe(url: "https://quire.example/unsubscribe?token=abc123")
    return message
}

// MARK: - MIME

@Suite struct MIMEMailTests {
    @Test func encodedWordsStayShortAndSplitOnCharacters() throws {
        let subject = String(repeating: "量子力学と€ ", count: 20)
        let header = MIMEBuilder.header("Subject", subject)
        for line in header.components(separatedBy: "\r\n") {
            #expect(line.count <= 78)
            #expect(line.unicodeScalars.allSatisfy { $0.isASCII })
        }
        // Each encoded word decodes to whole UTF-8 characters.
        for word in MIMEBuilder.encodedWords(subject) {
            #expect(word.count <= 75)
            let payload = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
            let bytes = try #require(Data(base64Encoded: String(payload)))
            #expect(String(data: bytes, encoding: .utf8) != nil)
        }
    }

    @Test func asciiHeadersFoldAtSpaces() {
        let header = MIMEBuilder.header("Subject", String(repeating: "word ", count: 40))
        let lines = header.components(separatedBy: "\r\n")
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { $0.count <= 78 })
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix(" ") })
    }

    @Test func headerValuesCannotInjectHeaders() {
        let header = MIMEBuilder.header("Subject", "hi\r\nBcc: victim@example.org")
        #expect(!header.contains("\r\nBcc"))
        #expect(header == "Subject: hi Bcc: victim@example.org")
    }

    @Test func displayNamesAreQuotedOrEncoded() {
        #expect(MIMEBuilder.addressHeader("From", [MailAddress("a@b.org", name: "Plain Name")]) == "From: Plain Name <a@b.org>")
        #expect(MIMEBuilder.addressHeader("From", [MailAddress("a@b.org", name: "Doe, John \"JD\"")])
            == "From: \"Doe, John \\\"JD\\\"\" <a@b.org>")
        #expect(MIMEBuilder.addressHeader("From", [MailAddress("a@b.org", name: "Zoë")]) == "From: =?UTF-8?B?Wm/Dqw==?= <a@b.org>")
    }

    @Test func quotedPrintableLines() {
        let text = String(repeating: "é", count: 100) + "\n" + String(repeating: "a", count: 200) + " \nFrom me\n=\n"
        let lines = MIMEBuilder.quotedPrintable(Array(text.utf8))
        #expect(lines.allSatisfy { $0.count <= 76 })
        #expect(lines.contains("=46rom me"))
        #expect(lines.contains("=3D"))
        #expect(lines.contains { $0.hasSuffix("=20") })
    }

    @Test func renderedMessageShape() {
        let rendered = sampleMessage().rendered()
        #expect(rendered.contains("\r\nMIME-Version: 1.0\r\n"))
        #expect(rendered.contains("Content-Type: multipart/alternative;\r\n boundary=\"=_quire_"))
        #expect(rendered.contains("List-Unsubscribe: <https://quire.example/unsubscribe?token=abc123>\r\n"))
        #expect(rendered.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"))
        #expect(rendered.hasPrefix("Date: Mon, 10 Mar 2025 09:46:40 +0000\r\n"))
        #expect(rendered.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(!rendered.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        for line in rendered.components(separatedBy: "\r\n") { #expect(line.count <= 78) }
    }

    @Test func plainTextOnlyMessage() {
        let message = MailMessage(from: MailAddress("a@b.org"), to: [MailAddress("c@d.org")], subject: "Hi", text: "Hello")
        let rendered = message.rendered()
        #expect(rendered.contains("Content-Type: text/plain; charset=utf-8\r\n"))
        #expect(!rendered.contains("multipart"))
    }

    @Test func dotStuffing() {
        let payload = SMTPTransport.dataPayload("A: b\r\n\r\n.one\r\n..two\r\n.\r\nend\r\n")
        #expect(payload == "A: b\r\n\r\n..one\r\n...two\r\n..\r\nend\r\n.\r\n")
    }

    @Test func addressParsing() {
        #expect(MailAddress.parse("Quire <digest@quire.example>") == MailAddress("digest@quire.example", name: "Quire"))
        #expect(MailAddress.parse("\"Doe, J\" <j@x.org>")?.name == "Doe, J")
        #expect(MailAddress.parse("plain@x.org")?.address == "plain@x.org")
        #expect(MailAddress.parse("not an address") == nil)
        #expect(MailAddress.parse("a@b.org>\r\nRCPT TO:<x@y.org") == nil)
    }

    @Test func retryDelaysGrowExponentially() {
        let policy = RetryPolicy(maxAttempts: 5, initialDelay: 1, multiplier: 2, maxDelay: 5)
        #expect((1...4).map(policy.delay(afterAttempt:)) == [1, 2, 4, 5])
    }

    @Test func configFromEnvironment() throws {
        #expect(try MailConfig.fromEnvironment([:]) == nil)
        let config = try #require(try MailConfig.fromEnvironment([
            "QUIRE_SMTP_HOST": "smtp.example.org", "QUIRE_SMTP_TLS": "tls", "QUIRE_SMTP_USER": "u",
            "QUIRE_SMTP_PASSWORD": "p", "QUIRE_MAIL_FROM": "Quire <q@example.org>",
        ]))
        guard case .smtp(let s) = config.transport else { Issue.record("not SMTP"); return }
        #expect(s.port == 465 && s.tls == .tls && s.username == "u" && s.password == "p")
        #expect(config.from == MailAddress("q@example.org", name: "Quire"))
        #expect(!config.summary.contains("p@") && !config.summary.contains("password"))
        let sendmail = try #require(try MailConfig.fromEnvironment([
            "QUIRE_SENDMAIL": "/usr/sbin/sendmail -t -i", "QUIRE_MAIL_FROM": "q@example.org"]))
        guard case .sendmail(let command) = sendmail.transport else { Issue.record("not sendmail"); return }
        #expect(command == "/usr/sbin/sendmail -t -i")
        #expect(throws: MailError.self) { try MailConfig.fromEnvironment(["QUIRE_SMTP_HOST": "h"]) }
        #expect(throws: MailError.self) {
            try MailConfig.fromEnvironment(["QUIRE_SMTP_HOST": "h", "QUIRE_SMTP_TLS": "ssl", "QUIRE_MAIL_FROM": "a@b.c"])
        }
    }
}

// MARK: - Local transports

@Suite struct LocalTransportMailTests {
    @Test func directoryTransportWritesEML() async throws {
        let dir = try temporaryDirectory("eml")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await DirectoryTransport(directory: dir).send(sampleMessage())
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(files.count == 1 && files[0].hasSuffix(".eml"))
        let text = try String(contentsOf: dir.appendingPathComponent(files[0]), encoding: .utf8)
        #expect(text.contains("Message-ID: <"))
    }

    @Test func sendmailTransportWritesStdin() async throws {
        let dir = try temporaryDirectory("sendmail")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.eml").path
        var message = sampleMessage()
        message.bcc = [MailAddress("hidden@example.org")]
        try await SendmailTransport(arguments: ["/bin/sh", "-c", "cat > '\(out)'", "sendmail", "-t", "-i"]).send(message)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.hasPrefix("Bcc: hidden@example.org\nDate: "))
        #expect(!text.contains("\r"))
        #expect(text.contains("\n.a line that starts"))  // sendmail -i: no dot-stuffing
    }

    @Test func sendmailFailureIsReported() async throws {
        let transport = SendmailTransport(arguments: ["/bin/sh", "-c", "cat >/dev/null; echo 'queue full' >&2; exit 75"])
        do {
            try await transport.send(sampleMessage())
            Issue.record("expected a failure")
        } catch let error as MailError {
            guard case .commandFailed(_, let status, let output) = error else { Issue.record("\(error)"); return }
            #expect(status == 75 && output == "queue full" && error.isTemporary)
        }
    }

    @Test func sendmailThatIgnoresInput() async throws {
        // Exits at once without reading: must not hang or kill us with SIGPIPE.
        let transport = SendmailTransport(arguments: ["/bin/sh", "-c", "exit 0"])
        var message = sampleMessage()
        message.text = String(repeating: "x", count: 1_000_000)
        try await transport.send(message)
    }
}

// MARK: - SMTP against aiosmtpd

@Suite(.serialized) struct SMTPMailTests {
    @Test func deliversWithAuthPlain() async throws {
        let server = try SMTPTestServer(["--auth", "quire:s3cret"])
        defer { server.stop() }
        var message = sampleMessage()
        message.messageID = "<fixed-id-1@quire.example>"
        try await SMTPTransport(settings: settings(server, user: "quire", password: "s3cret")).send(message)

        let messages = try server.messages()
        try #require(messages.count == 1)
        let stored = messages[0]
        let headers = try #require(stored["headers"] as? [String: [String]])
        #expect(headers["Subject"] == [message.subject])
        #expect(headers["Message-ID"] == ["<fixed-id-1@quire.example>"])
        #expect(headers["From"] == ["Quire Digest — Zürich <digest@quire.example>"])
        #expect(headers["To"] == ["\"Ada \\\"The Countess\\\" Lovelace\" <reader@example.org>, second@example.org"])
        #expect(headers["List-Unsubscribe"] == ["<https://quire.example/unsubscribe?token=abc123>"])
        #expect(headers["List-Unsubscribe-Post"] == ["List-Unsubscribe=One-Click"])
        #expect(headers["MIME-Version"] == ["1.0"])
        let raw = try #require(stored["raw_headers"] as? [String: [String]])
        #expect(raw["Subject"]?.first?.contains("=?UTF-8?B?") == true)
        #expect(stored["content_type"] as? String == "multipart/alternative")
        #expect(stored["all_ascii"] as? Bool == true)
        #expect((stored["max_line_length"] as? Int ?? 999) <= 78)
        #expect((stored["defects"] as? [String])?.isEmpty == true)
        let parts = try #require(stored["parts"] as? [[String: Any]])
        try #require(parts.count == 2)
        #expect(parts[0]["content_type"] as? String == "text/plain")
        #expect(parts[1]["content_type"] as? String == "text/html")
        #expect(parts.allSatisfy { $0["charset"] as? String == "utf-8" })
        func body(_ i: Int) -> String {
            (parts[i]["body"] as? String ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        }
        #expect(body(0) == message.text + "\n" || body(0) == message.text)
        #expect(body(1).hasPrefix(message.html!))
        let delivered = try server.events("data").filter { $0["code"] as? Int == 250 }
        #expect(delivered.count == 1)
        #expect(delivered.first?["rcpt_tos"] as? [String] == ["reader@example.org", "second@example.org"])
        #expect(delivered.first?["mail_from"] as? String == "digest@quire.example")
    }

    @Test func deliversWithAuthLogin() async throws {
        let server = try SMTPTestServer(["--auth", "quire:s3cret", "--mechanisms", "LOGIN"])
        defer { server.stop() }
        try await SMTPTransport(settings: settings(server, user: "quire", password: "s3cret")).send(sampleMessage())
        #expect(try server.messages().count == 1)
        #expect(try server.events("auth").map { $0["mechanism"] as? String } == ["LOGIN"])
    }

    @Test func retriesAfterTemporaryFailure() async throws {
        let server = try SMTPTestServer(["--fail-first", "2"])
        defer { server.stop() }
        let start = Date()
        try await SMTPTransport(settings: settings(server)).send(sampleMessage())
        #expect(Date().timeIntervalSince(start) >= 0.15)  // waited 0.05 s, then 0.1 s
        #expect(try server.events("data").map { $0["code"] as? Int } == [451, 451, 250])
        #expect(try server.messages().count == 1)
    }

    @Test func givesUpAfterMaxAttempts() async throws {
        let server = try SMTPTestServer(["--fail-first", "5"])
        defer { server.stop() }
        await #expect {
            try await SMTPTransport(settings: settings(server)).send(sampleMessage())
        } throws: { error in
            guard case .temporaryFailure(_, let reply)? = error as? MailError else { return false }
            return reply.code == 451
        }
        #expect(try server.events("data").count == 3)
    }

    @Test func permanentFailureIsNotRetried() async throws {
        let server = try SMTPTestServer(["--reject-rcpt"])
        defer { server.stop() }
        var message = sampleMessage()
        message.to = [MailAddress("nobody@example.org")]
        await #expect {
            try await SMTPTransport(settings: settings(server)).send(message)
        } throws: { error in
            guard let error = error as? MailError, case .permanentFailure(let command, let reply) = error else { return false }
            return reply.code == 550 && command.contains("RCPT TO") && !error.isTemporary
        }
        #expect(try server.events("rcpt").count == 1)
        #expect(try server.messages().isEmpty)
    }

    @Test func wrongPasswordIsAClearAuthError() async throws {
        let server = try SMTPTestServer(["--auth", "quire:s3cret"])
        defer { server.stop() }
        let transport = SMTPTransport(settings: settings(server, user: "quire", password: "wrong"))
        await #expect {
            try await transport.send(sampleMessage())
        } throws: { error in
            guard let error = error as? MailError, case .authenticationFailed(let reply) = error else { return false }
            return reply.code == 535 && error.description.contains("login refused") && !error.isTemporary
        }
        #expect(try server.events("auth").count == 1)  // not retried
        #expect(try server.messages().isEmpty)
    }

    @Test func startTLSRequiredButNotOffered() async throws {
        let server = try SMTPTestServer()
        defer { server.stop() }
        var s = settings(server, tls: .starttls)
        s.verifyCertificates = false
        await #expect {
            try await SMTPTransport(settings: s).send(sampleMessage())
        } throws: { error in
            guard case .startTLSUnavailable? = error as? MailError else { return false }
            return true
        }
    }

    @Test func connectionRefusedIsRetriedThenReported() async throws {
        // A port nobody listens on: bind, read the port, close.
        let port = try freePort()
        let s = SMTPSettings(host: "127.0.0.1", port: port, tls: .none, connectTimeout: 2, commandTimeout: 2, retry: fastRetry)
        await #expect {
            try await SMTPTransport(settings: s).send(sampleMessage())
        } throws: { error in
            guard let error = error as? MailError, case .connectionFailed = error else { return false }
            return error.isTemporary
        }
    }

    @Test func silentServerTimesOut() async throws {
        // A listening socket that never answers: the greeting never comes.
        let (fd, port) = try listeningSocket()
        defer { close(fd) }
        let s = SMTPSettings(host: "127.0.0.1", port: port, tls: .none, connectTimeout: 2, commandTimeout: 0.3,
                             retry: .none)
        await #expect {
            try await SMTPTransport(settings: s).send(sampleMessage())
        } throws: { error in
            guard case .timeout? = error as? MailError else { return false }
            return true
        }
    }
}

// MARK: - TLS (self-signed certificate made with openssl at test time)

@Suite(.serialized) struct SMTPTLSMailTests {
    /// cert.pem and key.pem for CN=localhost, IP 127.0.0.1.
    static func makeCertificate() throws -> (dir: URL, cert: String, key: String) {
        let dir = try temporaryDirectory("tls")
        let cert = dir.appendingPathComponent("cert.pem").path, key = dir.appendingPathComponent("key.pem").path
        try run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                 "-days", "2", "-subj", "/CN=localhost",
                 "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                 "-addext", "basicConstraints=critical,CA:TRUE"])
        return (dir, cert, key)
    }

    @Test func startTLSWithAuth() async throws {
        let tls = try SMTPTLSMailTests.makeCertificate()
        defer { try? FileManager.default.removeItem(at: tls.dir) }
        let server = try SMTPTestServer(["--tls-cert", tls.cert, "--tls-key", tls.key, "--require-starttls",
                                         "--auth", "quire:s3cret"])
        defer { server.stop() }
        var s = settings(server, tls: .starttls, user: "quire", password: "s3cret")
        s.trustedCertificatesFile = tls.cert
        try await SMTPTransport(settings: s).send(sampleMessage())
        let delivered = try server.events("data")
        #expect(delivered.map { $0["tls"] as? Bool } == [true])
        #expect(try server.events("auth").map { $0["tls"] as? Bool } == [true])
        #expect(try server.messages().count == 1)
    }

    @Test func implicitTLS() async throws {
        let tls = try SMTPTLSMailTests.makeCertificate()
        defer { try? FileManager.default.removeItem(at: tls.dir) }
        let server = try SMTPTestServer(["--tls-cert", tls.cert, "--tls-key", tls.key, "--implicit-tls"])
        defer { server.stop() }
        var s = settings(server, tls: .tls)
        s.trustedCertificatesFile = tls.cert
        try await SMTPTransport(settings: s).send(sampleMessage())
        #expect(try server.events("data").map { $0["tls"] as? Bool } == [true])
    }

    @Test func untrustedCertificateFailsWithoutRetry() async throws {
        let tls = try SMTPTLSMailTests.makeCertificate()
        defer { try? FileManager.default.removeItem(at: tls.dir) }
        let server = try SMTPTestServer(["--tls-cert", tls.cert, "--tls-key", tls.key, "--require-starttls"])
        defer { server.stop() }
        await #expect {
            try await SMTPTransport(settings: settings(server, tls: .starttls)).send(sampleMessage())
        } throws: { error in
            // Not temporary, so RetryPolicy.run gives up at once (as
            // permanentFailureIsNotRetried shows for 5xx), with no wait to time.
            guard let mailError = error as? MailError, case .tlsFailed = mailError else { return false }
            return !mailError.isTemporary
        }
        #expect(try server.messages().isEmpty)
    }
}

// MARK: - Sockets for the failure tests

private func listeningSocket() throws -> (Int32, Int) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestFailure("socket() failed") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0, listen(fd, 8) == 0 else { close(fd); throw TestFailure("bind/listen failed") }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return (fd, Int(UInt16(bigEndian: address.sin_port)))
}

private func freePort() throws -> Int {
    let (fd, port) = try listeningSocket()
    close(fd)
    return port
}
