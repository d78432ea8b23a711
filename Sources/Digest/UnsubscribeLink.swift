import Crypto
import Foundation
import QuireCore

/// The one-click unsubscribe link of a mail (RFC 8058): it names the reader
/// and what to stop, signed with a server secret, so it works without
/// logging in and cannot be forged for someone else.
public struct UnsubscribeLink: Sendable {
    let key: SymmetricKey

    /// The name of the secret in the store.
    public static let secretName = "unsubscribe"

    public init(secret: String) { key = SymmetricKey(data: Data(secret.utf8)) }

    public func signature(userID: Int, kind: String) -> String {
        SecretText.base64URL(HMAC<SHA256>.authenticationCode(for: Data("unsubscribe:\(userID):\(kind)".utf8), using: key))
    }

    /// Checked in constant time.
    public func verify(userID: Int, kind: String, signature given: String) -> Bool {
        SecretText.constantTimeEqual(signature(userID: userID, kind: kind), given)
    }

    /// `base` is the server's public address, e.g. "https://papers.example.org".
    public func url(base: String, userID: Int, kind: String) -> String {
        "\(base)/unsubscribe?u=\(userID)&k=\(kind)&s=\(signature(userID: userID, kind: kind))"
    }
}
