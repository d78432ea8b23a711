import ArgumentParser
import Digest
import Foundation
import Logging
import Mail
import QuireCore
import ReaderActions
import Search
import Storage
import Web

/// `quire digest send`: what the scheduler in `quire serve` does every
/// minute, once, for cron. Mail settings come from the environment (see
/// `MailConfig`); the ledger in the database keeps each digest to one send.
struct DigestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "digest", abstract: "Email digests.", subcommands: [Send.self])

    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "send", abstract: "Send the digests that are due.")

        @OptionGroup var store: StoreOptions
        @Flag(help: "Show what would be sent, without sending or recording anything.") var dryRun = false
        @Option(help: "Only this reader.") var user: String?
        @Option(help: "Act as if it were this instant (RFC 3339), e.g. to send a slot that was missed.") var now: String?
        @Option(help: "Digests built and sent at once.") var concurrency = 8
        @Option(help: "Seconds after which a digest left half-sent by a process that died is sent by this run.")
        var staleAfter: Double = 600
        @OptionGroup var publicURL: PublicURLOption
        @OptionGroup var model: ModelOptions
        @OptionGroup var logs: LogOptions
        @OptionGroup var webhooks: WebhookOptions

        func validate() throws {
            guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
            guard staleAfter >= 0 else { throw ValidationError("--stale-after must be 0 or more seconds") }
        }

        func run() async throws {
            logs.bootstrap()
            let instant: Date
            if let now {
                guard let parsed = Timestamp.parse(now) else { throw ValidationError("--now must be an instant like 2026-11-23T07:00:00Z, not '\(now)'") }
                instant = parsed
            } else {
                instant = Date()
            }
            var logger = Logger(label: "quire.digest")
            logger.logLevel = .info
            try await store.withStore { db in try await send(db, now: instant, logger: logger) }
        }

        private func send(_ db: any StoreOptions.CommandStore, now instant: Date, logger: Logger) async throws {
            let mail = try OutgoingMail.configured(localFolder: store.localFolder, logger: logger)
            // Saved-search alerts match as searches do in `quire serve`: by meaning too, when the model is here.
            let semantic: SemanticIndex?
            do { semantic = try await model.loadSemanticIndex(store: db) } catch {
                logger.warning("saved searches match by keyword only: \(error)")
                semantic = nil
            }
            var sender = try await DigestCommand.sender(store: db, search: SearchService(store: db, semantic: semantic), mail: mail,
                                                        publicURL: try publicURL.resolve(fallback: "http://localhost:8080").url,
                                                        logger: logger)
            sender.concurrency = concurrency
            sender.staleAfter = staleAfter
            let started = Date()
            let report = try await sender.sendDue(now: instant, onlyUser: user, dryRun: dryRun)
            for line in report.lines { print(line) }
            let seconds = Date().timeIntervalSince(started)
            print("\(dryRun ? "would send" : "sent") \(report.sent), nothing new \(report.skipped), refused \(report.failed), deferred \(report.deferred), unconfirmed \(report.unconfirmed) in \(String(format: "%.2f", seconds)) s")
            // Webhooks after mail, from the same ledger; a dry run posts nothing.
            var webhookTrouble = false
            if !dryRun {
                let posts = try await DigestCommand.webhookSender(store: db, search: SearchService(store: db, semantic: semantic), mail: mail,
                                                                  publicURL: try publicURL.resolve(fallback: "http://localhost:8080").url,
                                                                  options: webhooks, logger: logger).sendDue(now: instant, onlyUser: user)
                for line in posts.lines { print(line) }
                print("webhooks: posted \(posts.posted), nothing new \(posts.skipped), failed \(posts.failed), disabled \(posts.disabled)")
                webhookTrouble = posts.failed + posts.disabled > 0
            }
            if report.failed > 0 || report.deferred > 0 || webhookTrouble { throw ExitCode(3) }
        }
    }

    /// The webhook sender `quire serve` and `quire digest send` share.
    static func webhookSender(store: any QuireStore, search: SearchService, mail: OutgoingMail, publicURL: String, options: WebhookOptions,
                              logger: Logger) -> WebhookSender {
        let actions = WebhookActions(store: store, addressCheck: options.addressCheck, retryBase: options.webhookRetryBase)
        return WebhookSender(store: store, search: search, actions: actions, transport: WebhookPoster(check: options.addressCheck),
                             payload: WebhookPayload(baseURL: publicURL), mail: (mail.from, mail.transport), logger: logger)
    }

    /// The sender `quire serve` and `quire digest send` share.
    static func sender(store: any QuireStore, search: SearchService, mail: OutgoingMail, publicURL: String, logger: Logger) async throws -> DigestSender {
        let link = UnsubscribeLink(secret: try await store.secret(named: UnsubscribeLink.secretName))
        return DigestSender(store: store, search: search, mail: DigestMail(from: mail.from, baseURL: publicURL, unsubscribe: link),
                            transport: mail.transport, logger: logger)
    }
}
