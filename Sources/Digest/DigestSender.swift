import Foundation
import Logging
import Mail
import QuireCore
import ReaderActions
import Recommendations
import Search
import Storage

/// Sends every digest that is due, exactly once per reader and slot: an
/// adapter over `DigestDeliveries` (who is due, what the ledger records),
/// with the building of the content and the mail transport.
///
/// The ledger (`digest_deliveries`) is written before a mail is handed to
/// the transport and again after: a claimed row stops a second sender (or
/// a restarted one) from sending the same digest, and a row left `sending`
/// by a process that died is taken over after `staleAfter` and sent with the
/// same Message-ID. The one window left is a crash between the SMTP server's
/// "250 OK" and the ledger's update (microseconds); there the digest is sent
/// again rather than lost, under the same Message-ID.
public struct DigestSender: Sendable {
    public struct Report: Sendable, Equatable {
        public var sent = 0
        /// Due, but nothing new to say.
        public var skipped = 0
        /// Refused for good by the mail server.
        public var failed = 0
        /// Left for the next run (a temporary failure, or another sender has it).
        public var deferred = 0
        /// Readers whose address is not confirmed yet.
        public var unconfirmed = 0
        public var lines: [String] = []
    }

    let store: any QuireStore
    let builder: DigestBuilder
    let mail: DigestMail
    let transport: any MailTransport
    let logger: Logger
    /// How long a claimed delivery may stay `sending` before another run takes it over.
    public var staleAfter: TimeInterval = 600
    /// Digests built and sent at once.
    public var concurrency = 8

    var deliveries: DigestDeliveries { DigestDeliveries(store: store, staleAfter: staleAfter) }

    public init(store: any QuireStore, search: SearchService, mail: DigestMail, transport: any MailTransport, logger: Logger) {
        self.store = store
        self.builder = DigestBuilder.standard(store: store, search: search)
        self.mail = mail; self.transport = transport; self.logger = logger
    }

    /// Sends what is due at `now`. `onlyUser` limits the run to one reader;
    /// `dryRun` builds and describes each digest without sending or recording.
    public func sendDue(now: Date, onlyUser: String? = nil, dryRun: Bool = false) async throws -> Report {
        var report = Report()
        let (due, unconfirmed) = try await deliveries.due(now: now, onlyUser: onlyUser)
        for user in unconfirmed {
            report.unconfirmed += 1
            report.lines.append("\(user.username): address not confirmed, not sent")
        }
        var outcomes: [(Outcome, String)] = []
        let shared = SharedLists()
        try await withThrowingTaskGroup(of: (Outcome, String).self) { group in
            var pending = due.makeIterator()
            func startNext() {
                guard let digest = pending.next() else { return }
                group.addTask {
                    // Only the mail settings stop the run; anything else that goes
                    // wrong for one reader is that reader's, retried by a later run.
                    do {
                        return try await deliver(digest, now: now, dryRun: dryRun, shared: shared)
                    } catch let error as DigestRunError {
                        throw error
                    } catch {
                        logger.error("digest for \(digest.user.username) \(digest.slot.key) not sent, will retry: \(error)")
                        return (.deferred, "\(digest.user.username) \(digest.slot.key): will retry: \(error)")
                    }
                }
            }
            for _ in 0..<concurrency { startNext() }
            while let outcome = try await group.next() {
                outcomes.append(outcome)
                startNext()
            }
        }
        for (outcome, line) in outcomes {
            switch outcome {
            case .sent: report.sent += 1
            case .skipped: report.skipped += 1
            case .failed: report.failed += 1
            case .deferred: report.deferred += 1
            case .nothingToDo: continue
            }
            report.lines.append(line)
        }
        return report
    }

    enum Outcome { case sent, skipped, failed, deferred, nothingToDo }

    /// A run that cannot send anything until the mail settings are fixed.
    public enum DigestRunError: Error, CustomStringConvertible {
        case mailSetup(MailError)
        public var description: String { if case .mailSetup(let e) = self { "mail settings need fixing: \(e)" } else { "" } }
    }

    func deliver(_ due: DigestDeliveries.Due, now: Date, dryRun: Bool, shared: SharedLists) async throws -> (Outcome, String) {
        let (user, subscription, slot) = (due.user, due.subscription, due.slot)
        let name = "\(user.username) \(slot.key)"
        let deliveries = self.deliveries
        let lastSent = try await deliveries.lastSent(to: user)
        if dryRun {
            if lastSent?.slot == slot.key { return (.nothingToDo, "") }
            let mailed = try await deliveries.mailed(to: user, now: now)
            let content = try await builder.build(user: user, subscription: subscription, slot: slot, excluding: mailed, lastSent: lastSent?.claimedAt, shared: shared)
            return content.isEmpty ? (.skipped, "\(name): nothing new, would not send")
                : (.sent, "\(name): would send \(content.paperIDs.count) papers to \(user.email): " + content.sections.map { "\($0.title) (\($0.papers.count))" }.joined(separator: ", "))
        }
        let claim = try await deliveries.claim(due, messageID: mail.messageID(userID: user.id, slot: slot.key), now: now)
        guard case .claimed(let delivery) = claim else {
            return claim == .inProgress ? (.deferred, "\(name): another sender has it") : (.nothingToDo, "")
        }
        let mailed = try await deliveries.mailed(to: user, now: now, excluding: delivery)
        let content = try await builder.build(user: user, subscription: subscription, slot: slot, excluding: mailed, lastSent: lastSent?.claimedAt, shared: shared)
        if content.isEmpty {
            try await deliveries.recordNothingNew(delivery, now: now)
            return (.skipped, "\(name): nothing new, not sent")
        }
        try await deliveries.recordContent(delivery, paperIDs: content.paperIDs)
        let message = mail.message(to: user, content: content, slot: slot, frequency: subscription.frequency, date: now)
        do {
            try await transport.send(message)
        } catch let error as MailError where error.isConfigurationProblem {
            // Our side is wrong (login, TLS, settings): no reader's digest is at fault,
            // so none is marked failed; the run stops and says why.
            try await deliveries.recordRetry(delivery, error: error.description)
            throw DigestRunError.mailSetup(error)
        } catch let error as MailError where !error.isTemporary {
            try await deliveries.recordRefused(delivery, paperIDs: content.paperIDs, error: error.description, now: now)
            logger.error("digest for \(name) refused for good: \(error)")
            return (.failed, "\(name): refused: \(error)")
        } catch {
            try await deliveries.recordRetry(delivery, error: "\(error)")
            logger.warning("digest for \(name) not sent, will retry: \(error)")
            return (.deferred, "\(name): will retry: \(error)")
        }
        try await deliveries.recordSent(delivery, paperIDs: content.paperIDs, now: now)
        return (.sent, "\(name): sent \(content.paperIDs.count) papers to \(user.email)")
    }
}
