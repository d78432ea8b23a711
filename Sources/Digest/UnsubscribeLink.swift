import Foundation
import QuireCore

/// The one-click unsubscribe link of a mail (RFC 8058): it names the reader
/// and what to stop, signed (`MailLinkSigner`), so it works without logging
/// in and cannot be forged for someone else.
public struct UnsubscribeLink: Sendable {
    public let signer: MailLinkSigner

    /// The name of the secret in the store; every signed mail link uses it.
    public static let secretName = "unsubscribe"

    public init(secret: String) { signer = MailLinkSigner(secret: secret) }

    public func signature(userID: Int, kind: String) -> String {
        signer.signature("unsubscribe:\(userID):\(kind)")
    }

    /// Checked in constant time.
    public func verify(userID: Int, kind: String, signature given: String) -> Bool {
        signer.verify("unsubscribe:\(userID):\(kind)", signature: given)
    }

    /// `base` is the server's public address, e.g. "https://papers.example.org".
    public func url(base: String, userID: Int, kind: String) -> String {
        "\(base)/unsubscribe?u=\(userID)&k=\(kind)&s=\(signature(userID: userID, kind: kind))"
    }
}
