import Foundation
import Mail
import ReaderActions
import Storage

/// The reader's next digest, made by the same builder and mail as the real
/// one (`DigestSender`), for the settings page's "Preview" and "Send a test
/// now". `DigestTrial` has the rules: nothing here writes to the ledger.
public struct DigestPreview: Sendable {
    /// A digest as it would go out: what it was made from, what is in it, the mail.
    public struct Shown: Sendable {
        public var plan: DigestTrial.Plan
        public var content: DigestContent
        public var message: MailMessage
    }

    let trial: DigestTrial
    let builder: DigestBuilder

    public init(store: any QuireStore, builder: DigestBuilder) {
        trial = DigestTrial(store: store); self.builder = builder
    }

    /// The next digest of `user` as it would be mailed now.
    public func next(for user: User, mail: DigestMail, now: Date) async throws -> Shown {
        let plan = try await trial.plan(for: user, now: now)
        let content = try await builder.build(user: user, subscription: plan.subscription, slot: plan.slot, excluding: plan.mailed, lastSent: plan.lastSent)
        return Shown(plan: plan, content: content,
                     message: mail.message(to: user, content: content, slot: plan.slot, frequency: plan.subscription.frequency, date: now))
    }

    /// Mails the next digest to the reader at once, marked as a test, with
    /// its own Message-ID; the slot's digest still goes out as usual.
    public func sendTest(to user: User, mail: DigestMail, transport: any MailTransport, now: Date) async throws -> Shown {
        var shown = try await next(for: user, mail: mail, now: now)
        shown.message.subject = DigestTrial.testSubjectPrefix + shown.message.subject
        shown.message.messageID = DigestTrial.testMessageID(userID: user.id, now: now, domain: mail.from.domain)
        try await transport.send(shown.message)
        return shown
    }
}
