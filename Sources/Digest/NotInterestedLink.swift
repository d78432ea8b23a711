import Foundation
import QuireCore

/// The "Not interested" link beside each paper of a digest's "For you"
/// section: it names the reader and the paper, signed as the unsubscribe
/// link is (same secret, a message of its own shape), so it works from the
/// mail without logging in. Opening it shows a page to confirm; the page's
/// button (a POST) dismisses the paper, so a mail scanner that follows
/// links dismisses nothing.
public struct NotInterestedLink: Sendable {
    let signer: MailLinkSigner

    public init(signer: MailLinkSigner) { self.signer = signer }

    /// The path the link opens.
    public static let path = "/mail/not-interested"

    static func message(userID: Int, paperID: String) -> String { "not-interested:\(userID):\(paperID)" }

    public func verify(userID: Int, paperID: String, signature given: String) -> Bool {
        signer.verify(Self.message(userID: userID, paperID: paperID), signature: given)
    }

    public func url(base: String, userID: Int, paperID: String) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let paper = paperID.addingPercentEncoding(withAllowedCharacters: allowed) ?? paperID
        return "\(base)\(Self.path)?u=\(userID)&p=\(paper)&s=\(signer.signature(Self.message(userID: userID, paperID: paperID)))"
    }
}
