import Foundation
import Mail
import Storage

/// The mails accounts send: address confirmation and password reset. Each
/// carries a one-time link; only the link's SHA-256 is stored.
struct AccountMail: Sendable {
    /// Nil when the server sends no mail.
    let mail: OutgoingMail?
    /// Where the links' hashes are kept until used.
    let tokens: any AccountStore
    /// The links' lifetimes.
    let security: SecurityConfig
    let now: @Sendable () -> Date

    enum Failure: Error { case mailIsOff }

    /// Makes a one-time link for `user` and mails it. Throws `mailIsOff`
    /// when the server has no mail transport.
    func send(_ purpose: OneTimePurpose, to user: User, linkBase: (String) -> String) async throws {
        guard let mail else { throw Failure.mailIsOff }
        let token = Secrets.token()
        let now = now()
        let lifetime = purpose == .passwordReset ? security.resetLinkLifetime : security.confirmLinkLifetime
        try await tokens.createOneTimeToken(tokenHash: Secrets.sha256(token), userID: user.id, purpose: purpose,
                                           now: now, expiresAt: now.addingTimeInterval(lifetime))
        let link = linkBase(token)
        let (subject, text) = switch purpose {
        case .passwordReset:
            ("Reset your Quire password", """
            Hello \(user.username),

            Someone (we hope you) asked to reset the password of your Quire account.
            Open this link within an hour to choose a new one; it works once:

            \(link)

            If it was not you, ignore this mail: your password stays as it is.
            """)
        case .confirmEmail:
            ("Confirm your email address for Quire", """
            Hello \(user.username),

            Please confirm that this is your address by opening this link:

            \(link)

            Digests and alerts are only sent to confirmed addresses.
            If you did not sign up for Quire, ignore this mail.
            """)
        }
        let html = "<p>" + esc(text).replacingOccurrences(of: "\n\n", with: "</p><p>").replacingOccurrences(of: "\n", with: "<br>")
            .replacingOccurrences(of: esc(link), with: "<a href=\"\(esc(link))\">\(esc(link))</a>") + "</p>"
        try await mail.transport.send(MailMessage(from: mail.from, to: [MailAddress(user.email, name: user.username)],
                                                  subject: subject, text: text, html: html, date: now))
    }
}
