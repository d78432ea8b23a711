import Digest
import Foundation
import Mail
import ReaderActions
import Storage

/// What "Preview" and "Send a test now" on the digest page need: the
/// builder the real digests use (through `DigestPreview`), and this server's
/// outgoing mail, made into the digest's mail as `quire digest` makes it.
struct DigestTryOut: Sendable {
    let preview: DigestPreview
    /// Nil when this server sends no mail: a test send says so.
    let mail: OutgoingMail?
    /// Where the unsubscribe links' secret is kept.
    let secrets: any DigestStore
    let publicURL: String

    private func digestMail() async throws -> DigestMail {
        let link = UnsubscribeLink(secret: try await secrets.secret(named: UnsubscribeLink.secretName))
        return DigestMail(from: mail?.from ?? MailAddress("quire@localhost", name: "Quire"), baseURL: publicURL, unsubscribe: link)
    }

    func next(for user: User, now: Date) async throws -> DigestPreview.Shown {
        try await preview.next(for: user, mail: try await digestMail(), now: now)
    }

    /// Mails the test; nil when this server sends no mail.
    func sendTest(to user: User, now: Date) async throws -> DigestPreview.Shown? {
        guard let mail else { return nil }
        return try await preview.sendTest(to: user, mail: try await digestMail(), transport: mail.transport, now: now)
    }
}
