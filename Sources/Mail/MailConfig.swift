import Foundation
import Logging
import NIOCore
import NIOPosix

/// How Quire sends mail, usually read from the environment:
///
/// | variable | meaning |
/// | --- | --- |
/// | QUIRE_MAIL_FROM | sender, "Quire <digest@example.org>" (required) |
/// | QUIRE_SMTP_HOST | SMTP server; selects the SMTP transport |
/// | QUIRE_SMTP_PORT | port; default 25, 587 or 465 by TLS mode |
/// | QUIRE_SMTP_TLS | none, starttls (default) or tls |
/// | QUIRE_SMTP_USER, QUIRE_SMTP_PASSWORD | login (AUTH PLAIN or LOGIN) |
/// | QUIRE_SMTP_CA_FILE | PEM certificates to trust instead of the system's |
/// | QUIRE_SMTP_TLS_VERIFY | "false" to skip certificate checks (testing only) |
/// | QUIRE_SMTP_TIMEOUT | seconds to wait for each reply (default 120) |
/// | QUIRE_SMTP_RETRIES | attempts in all on temporary failures (default 4) |
/// | QUIRE_SENDMAIL | a command such as "/usr/sbin/sendmail -t -i"; selects sendmail |
/// | QUIRE_MAIL_DIR | a folder to write .eml files into; selects the folder transport |
///
/// When more than one is set, QUIRE_SENDMAIL wins over QUIRE_SMTP_HOST, which wins over QUIRE_MAIL_DIR.
public struct MailConfig: Sendable {
    public enum Transport: Sendable {
        case smtp(SMTPSettings)
        case sendmail(command: String)
        case directory(path: String)
    }

    public var from: MailAddress
    public var transport: Transport

    public init(from: MailAddress, transport: Transport) {
        self.from = from; self.transport = transport
    }

    /// The configuration in `environment`, nil when no transport is configured
    /// (mail is off). Throws on values that are set but wrong.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> MailConfig? {
        func value(_ key: String) -> String? {
            guard let v = environment[key]?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
            return v
        }
        let transport: Transport
        if let command = value("QUIRE_SENDMAIL") {
            transport = .sendmail(command: command)
        } else if let host = value("QUIRE_SMTP_HOST") {
            let tls: SMTPTLSMode
            if let raw = value("QUIRE_SMTP_TLS") {
                guard let mode = SMTPTLSMode(rawValue: raw.lowercased()) else {
                    throw MailError.invalidConfiguration("QUIRE_SMTP_TLS must be none, starttls or tls, not '\(raw)'")
                }
                tls = mode
            } else {
                tls = .starttls
            }
            var port: Int?
            if let raw = value("QUIRE_SMTP_PORT") {
                guard let p = Int(raw), (1...65535).contains(p) else {
                    throw MailError.invalidConfiguration("QUIRE_SMTP_PORT must be a port number, not '\(raw)'")
                }
                port = p
            }
            var settings = SMTPSettings(host: host, port: port, tls: tls,
                                        username: value("QUIRE_SMTP_USER"), password: environment["QUIRE_SMTP_PASSWORD"])
            settings.trustedCertificatesFile = value("QUIRE_SMTP_CA_FILE")
            if let raw = value("QUIRE_SMTP_TLS_VERIFY") {
                settings.verifyCertificates = !["0", "false", "no", "off"].contains(raw.lowercased())
            }
            if let raw = value("QUIRE_SMTP_TIMEOUT") {
                guard let seconds = TimeInterval(raw), seconds > 0 else {
                    throw MailError.invalidConfiguration("QUIRE_SMTP_TIMEOUT must be a number of seconds, not '\(raw)'")
                }
                settings.commandTimeout = seconds
            }
            if let raw = value("QUIRE_SMTP_RETRIES") {
                guard let attempts = Int(raw), attempts >= 1 else {
                    throw MailError.invalidConfiguration("QUIRE_SMTP_RETRIES must be at least 1, not '\(raw)'")
                }
                settings.retry.maxAttempts = attempts
            }
            transport = .smtp(settings)
        } else if let path = value("QUIRE_MAIL_DIR") {
            transport = .directory(path: path)
        } else {
            return nil
        }
        guard let rawFrom = value("QUIRE_MAIL_FROM") else {
            throw MailError.invalidConfiguration("QUIRE_MAIL_FROM is required to send mail")
        }
        guard let from = MailAddress.parse(rawFrom) else {
            throw MailError.invalidConfiguration("QUIRE_MAIL_FROM is not an address: '\(rawFrom)'")
        }
        return MailConfig(from: from, transport: transport)
    }

    public func makeTransport(logger: Logger = Logger(label: "quire.mail"),
                              eventLoopGroup: EventLoopGroup = MultiThreadedEventLoopGroup.singleton) -> MailTransport {
        switch transport {
        case .smtp(let settings): return SMTPTransport(settings: settings, eventLoopGroup: eventLoopGroup, logger: logger)
        case .sendmail(let command): return SendmailTransport(command: command, logger: logger)
        case .directory(let path): return DirectoryTransport(directory: URL(fileURLWithPath: path))
        }
    }

    /// A one-line summary for logs, without secrets.
    public var summary: String {
        switch transport {
        case .smtp(let s):
            return "SMTP \(s.host):\(s.port) TLS \(s.tls.rawValue)" + (s.username.map { " as \($0)" } ?? "") + ", from \(from.address)"
        case .sendmail(let command): return "sendmail '\(command)', from \(from.address)"
        case .directory(let path): return "folder \(path), from \(from.address)"
        }
    }
}
