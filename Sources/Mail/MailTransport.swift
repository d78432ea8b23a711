import Foundation
import Logging

/// Something that delivers a message: an SMTP server, the local sendmail, a folder.
public protocol MailTransport: Sendable {
    /// Delivers one message; throws a `MailError` when it cannot.
    func send(_ message: MailMessage) async throws
}

/// An SMTP reply: a three-digit code and its text lines.
public struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    public var code: Int
    public var lines: [String]

    public init(code: Int, lines: [String]) { self.code = code; self.lines = lines }

    public var isPositive: Bool { (200..<400).contains(code) }
    public var isTemporaryFailure: Bool { (400..<500).contains(code) }
    public var isPermanentFailure: Bool { code >= 500 }
    public var text: String { lines.joined(separator: " ") }
    public var description: String { "\(code) \(text)" }
}

public enum MailError: Error, CustomStringConvertible, Sendable {
    /// The server answered 4xx: worth trying again later.
    case temporaryFailure(command: String, reply: SMTPReply)
    /// The server answered 5xx: trying again will not help.
    case permanentFailure(command: String, reply: SMTPReply)
    /// The server refused the login (535 and other 5xx answers to AUTH).
    case authenticationFailed(reply: SMTPReply)
    /// Credentials are configured but the server offers no mechanism we support.
    case authenticationUnavailable(String)
    /// TLS mode `starttls` and the server does not offer STARTTLS.
    case startTLSUnavailable
    /// Could not connect, or the connection broke (including TLS handshake errors).
    case connectionFailed(String)
    /// The TLS handshake failed (certificate not trusted, wrong name, no common protocol).
    case tlsFailed(String)
    /// The server did not answer in time.
    case timeout(String)
    /// The server said something that is not SMTP.
    case protocolViolation(String)
    /// The local command (sendmail) failed.
    case commandFailed(command: String, status: Int32, output: String)
    case invalidMessage(String)
    case invalidConfiguration(String)
    case io(String)

    /// Whether sending again later may succeed: 4xx answers, broken connections,
    /// time-outs, and sendmail's EX_TEMPFAIL (75).
    public var isTemporary: Bool {
        switch self {
        case .temporaryFailure, .connectionFailed, .timeout: return true
        case .commandFailed(_, let status, _): return status == 75
        default: return false
        }
    }

    /// Whether the fault is in the sender's own settings (login, TLS, the
    /// command or folder), not in one message: nothing will go out until they
    /// are fixed, so callers should stop rather than give up on each message.
    public var isConfigurationProblem: Bool {
        switch self {
        case .authenticationFailed, .authenticationUnavailable, .startTLSUnavailable, .tlsFailed, .invalidConfiguration: return true
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .temporaryFailure(let command, let reply): return "temporary SMTP failure after \(command): \(reply)"
        case .permanentFailure(let command, let reply): return "permanent SMTP failure after \(command): \(reply)"
        case .authenticationFailed(let reply): return "SMTP login refused: \(reply)"
        case .authenticationUnavailable(let why): return "SMTP authentication unavailable: \(why)"
        case .startTLSUnavailable: return "the SMTP server does not offer STARTTLS (TLS mode starttls requires it)"
        case .connectionFailed(let why): return "SMTP connection failed: \(why)"
        case .tlsFailed(let why): return "TLS with the SMTP server failed: \(why)"
        case .timeout(let what): return "SMTP timeout: \(what)"
        case .protocolViolation(let what): return "SMTP protocol violation: \(what)"
        case .commandFailed(let command, let status, let output):
            return "\(command) exited with status \(status)" + (output.isEmpty ? "" : ": \(output)")
        case .invalidMessage(let why): return "invalid message: \(why)"
        case .invalidConfiguration(let why): return "invalid mail configuration: \(why)"
        case .io(let why): return "mail I/O error: \(why)"
        }
    }
}

/// When to try again after a temporary failure: `maxAttempts` in all, waiting
/// `initialDelay`, then twice that, and so on up to `maxDelay`.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var initialDelay: TimeInterval
    public var multiplier: Double
    public var maxDelay: TimeInterval

    public init(maxAttempts: Int = 4, initialDelay: TimeInterval = 2, multiplier: Double = 2, maxDelay: TimeInterval = 60) {
        self.maxAttempts = max(1, maxAttempts); self.initialDelay = initialDelay
        self.multiplier = multiplier; self.maxDelay = maxDelay
    }

    public static let none = RetryPolicy(maxAttempts: 1)

    /// The wait before attempt `attempt + 1`, after `attempt` (1-based) failed.
    public func delay(afterAttempt attempt: Int) -> TimeInterval {
        min(maxDelay, initialDelay * pow(multiplier, Double(attempt - 1)))
    }

    /// Runs `operation` until it succeeds, fails permanently, or runs out of attempts.
    func run(logger: Logger, what: String, _ operation: (Int) async throws -> Void) async throws {
        var attempt = 1
        while true {
            do {
                try await operation(attempt)
                return
            } catch let error as MailError where error.isTemporary && attempt < maxAttempts {
                let wait = delay(afterAttempt: attempt)
                logger.warning("\(what): \(error); retrying in \(String(format: "%.1f", wait))s (attempt \(attempt + 1) of \(maxAttempts))")
                try await Task.sleep(nanoseconds: UInt64(max(0, wait) * 1_000_000_000))
                attempt += 1
            }
        }
    }
}

/// Writes each message as an .eml file into a folder: for development, or for
/// another program to pick up.
public struct DirectoryTransport: MailTransport {
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    public func send(_ message: MailMessage) async throws {
        guard message.from.isValid else { throw MailError.invalidMessage("bad sender \(message.from.address)") }
        let message = message.withMessageID()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let stamp = Int(message.date.timeIntervalSince1970)
            let name = "\(stamp)-\(UUID().uuidString.lowercased()).eml"
            try Data(message.rendered().utf8).write(to: directory.appendingPathComponent(name), options: .atomic)
        } catch {
            throw MailError.io("cannot write to \(directory.path): \(error)")
        }
    }
}

/// Hands each message to a local mail submission program such as
/// `/usr/sbin/sendmail -t -i`, on standard input with "\n" line endings.
public struct SendmailTransport: MailTransport {
    public let arguments: [String]
    public let logger: Logger

    /// `command` is split on whitespace: "/usr/sbin/sendmail -t -i".
    public init(command: String = "/usr/sbin/sendmail -t -i", logger: Logger = Logger(label: "quire.mail")) {
        self.arguments = command.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        self.logger = logger
    }

    public init(arguments: [String], logger: Logger = Logger(label: "quire.mail")) {
        self.arguments = arguments
        self.logger = logger
    }

    public func send(_ message: MailMessage) async throws {
        guard let executable = arguments.first else { throw MailError.invalidConfiguration("empty sendmail command") }
        guard message.from.isValid, !message.envelopeRecipients.isEmpty,
              message.envelopeRecipients.allSatisfy(\.isValid) else {
            throw MailError.invalidMessage("bad sender or recipient address")
        }
        let message = message.withMessageID()
        var text = MIMEBuilder.unixNewlines(message.rendered())
        // `-t` reads recipients from headers, which leave Bcc out: add them back
        // as a header the program removes (sendmail does, per its -t semantics).
        if !message.bcc.isEmpty, arguments.contains("-t") {
            text = MIMEBuilder.addressHeader("Bcc", message.bcc).replacingOccurrences(of: "\r\n", with: "\n") + "\n" + text
        }
        let command = arguments.joined(separator: " ")
        let input_ = Data(text.utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(arguments.dropFirst())
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        // A program that exits without reading its input must not kill us with SIGPIPE.
        _ = SendmailTransport.ignoreSIGPIPE
        let outputData = OutputCollector()
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: MailError.commandFailed(command: command, status: -1, output: "\(error)"))
                return
            }
            // Write and read on other threads, so neither pipe can fill up and block.
            DispatchQueue.global().async {
                let handle = input.fileHandleForWriting
                try? handle.write(contentsOf: input_)
                try? handle.close()
            }
            outputData.collect(from: output.fileHandleForReading)
        }
        let printed = String(decoding: await outputData.result(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard status == 0 else {
            logger.error("\(command) failed with status \(status): \(printed)")
            throw MailError.commandFailed(command: command, status: status, output: printed)
        }
        logger.info("handed message \(message.messageID ?? "") to \(executable)")
    }
}

extension SendmailTransport {
    static let ignoreSIGPIPE: Void = { signal(SIGPIPE, SIG_IGN); return () }()
}

/// Reads a pipe to its end on a background thread.
private final class OutputCollector: @unchecked Sendable { // `lock` guards `data` and `waiter`
    private let lock = NSLock()
    private var data: Data?
    private var waiter: CheckedContinuation<Data, Never>?

    func collect(from handle: FileHandle) {
        DispatchQueue.global().async {
            let read = handle.readDataToEndOfFile()
            self.lock.lock()
            self.data = read
            let waiter = self.waiter
            self.waiter = nil
            self.lock.unlock()
            waiter?.resume(returning: read)
        }
    }

    func result() async -> Data {
        await withCheckedContinuation { continuation in
            lock.lock()
            if let data { lock.unlock(); continuation.resume(returning: data); return }
            waiter = continuation
            lock.unlock()
        }
    }
}
