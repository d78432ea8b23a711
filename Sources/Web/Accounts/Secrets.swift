import Crypto
import Foundation
import QuireCore

/// Random secrets and their digests. Tokens are 32 random bytes
/// (`SecretText.random`); the database only ever sees their SHA-256.
enum Secrets {
    static func token() -> String { SecretText.random() }

    static func sha256(_ text: String) -> String {
        Crypto.SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool { SecretText.constantTimeEqual(a, b) }
}
