import Crypto
import Foundation
import QuireCore

/// Signs the links a mail carries that act without logging in (unsubscribe,
/// "Not interested"): an HMAC-SHA256 of what the link does, with a server
/// secret, so a link works only as it was sent and cannot be made for
/// someone else. Each kind of link signs a message of its own shape
/// ("unsubscribe:…", "not-interested:…"), so one kind's signature never
/// passes for another's.
public struct MailLinkSigner: Sendable {
    let key: SymmetricKey

    public init(secret: String) { key = SymmetricKey(data: Data(secret.utf8)) }

    public func signature(_ message: String) -> String {
        SecretText.base64URL(HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: key))
    }

    /// Checked in constant time.
    public func verify(_ message: String, signature given: String) -> Bool {
        SecretText.constantTimeEqual(signature(message), given)
    }
}
