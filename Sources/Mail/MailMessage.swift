import Foundation

/// A mailbox: an address with an optional display name ("Ada Lovelace" <ada@example.org>).
public struct MailAddress: Hashable, Sendable, CustomStringConvertible {
    public var name: String?
    public var address: String

    public init(_ address: String, name: String? = nil) {
        self.address = address.trimmingCharacters(in: .whitespacesAndNewlines)
        self.name = name.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Parses "ada@example.org", "<ada@example.org>" and "Ada Lovelace <ada@example.org>"
    /// (the name may be quoted). Nil when there is no plausible address.
    public static func parse(_ raw: String) -> MailAddress? {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if let open = text.lastIndex(of: "<"), text.hasSuffix(">") {
            let address = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
            var name = text[..<open].trimmingCharacters(in: .whitespaces)
            if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
                name = String(name.dropFirst().dropLast())
                    .replacingOccurrences(of: "\\\"", with: "\"")
                    .replacingOccurrences(of: "\\\\", with: "\\")
            }
            let parsed = MailAddress(address, name: name.isEmpty ? nil : name)
            return parsed.isValid ? parsed : nil
        }
        let parsed = MailAddress(text)
        return parsed.isValid ? parsed : nil
    }

    /// A conservative syntax check: one "@", non-empty local part and domain,
    /// no whitespace, angle brackets or control characters (which would let a
    /// value inject SMTP commands or headers), and ASCII only: without
    /// SMTPUTF8, which Quire's transports do not speak, a non-ASCII address
    /// fits neither a 7-bit header nor an SMTP command.
    public var isValid: Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, address.utf8.count <= 254 else { return false }
        return !address.unicodeScalars.contains { scalar in
            scalar.value < 0x21 || scalar.value >= 0x7F || "<>()[],;:\\\"".unicodeScalars.contains(scalar)
        }
    }

    /// The domain part, lowercased ("example.org").
    public var domain: String { address.split(separator: "@").last.map { $0.lowercased() } ?? "" }

    public var description: String {
        if let name { return "\(name) <\(address)>" }
        return address
    }
}

/// An e-mail with a plain-text body and an optional HTML alternative.
/// `MIMEBuilder` turns it into RFC 5322 / MIME text.
public struct MailMessage: Sendable {
    public var from: MailAddress
    public var to: [MailAddress]
    public var cc: [MailAddress]
    /// Envelope-only recipients: never written into the headers.
    public var bcc: [MailAddress]
    public var replyTo: MailAddress?
    public var subject: String
    public var text: String
    public var html: String?
    /// Extra headers written as given (values folded and, if not ASCII, encoded),
    /// e.g. ("List-Unsubscribe", "<https://…/unsubscribe?t=…>").
    public var headers: [(name: String, value: String)]
    /// "<unique@domain>"; generated from a UUID and the sender's domain when nil.
    public var messageID: String?
    public var date: Date

    public init(
        from: MailAddress, to: [MailAddress], cc: [MailAddress] = [], bcc: [MailAddress] = [],
        replyTo: MailAddress? = nil, subject: String, text: String, html: String? = nil,
        headers: [(name: String, value: String)] = [], messageID: String? = nil, date: Date = Date()
    ) {
        self.from = from; self.to = to; self.cc = cc; self.bcc = bcc; self.replyTo = replyTo
        self.subject = subject; self.text = text; self.html = html; self.headers = headers
        self.messageID = messageID; self.date = date
    }

    /// Adds the RFC 2369 / RFC 8058 headers for one-click unsubscribe:
    /// `List-Unsubscribe: <url>` (plus an optional mailto) and
    /// `List-Unsubscribe-Post: List-Unsubscribe=One-Click`.
    public mutating func setListUnsubscribe(url: String, mailto: String? = nil, oneClick: Bool = true) {
        headers.removeAll { ["list-unsubscribe", "list-unsubscribe-post"].contains($0.name.lowercased()) }
        var value = "<\(url)>"
        if let mailto { value += ", <mailto:\(mailto)>" }
        headers.append((name: "List-Unsubscribe", value: value))
        if oneClick { headers.append((name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click")) }
    }

    /// Every envelope recipient: To, Cc and Bcc, without duplicates.
    public var envelopeRecipients: [MailAddress] {
        var seen = Set<String>()
        return (to + cc + bcc).filter { seen.insert($0.address.lowercased()).inserted }
    }

    /// The Message-ID header value: the given one, or a new one. Fixed once
    /// rendered by `MIMEBuilder.prepare` so that retries resend the same id.
    public static func makeMessageID(domain: String) -> String {
        let host = domain.isEmpty ? "quire.localhost" : domain
        return "<\(UUID().uuidString.lowercased())@\(host)>"
    }

    /// A copy with `messageID` filled in.
    public func withMessageID() -> MailMessage {
        var copy = self
        if copy.messageID == nil { copy.messageID = MailMessage.makeMessageID(domain: from.domain) }
        return copy
    }

    /// The complete message as RFC 5322 text with CRLF line endings.
    public func rendered() -> String { MIMEBuilder.render(self) }
}
