import Foundation
import Mail
import QuireCore
import ReaderActions
import Storage

/// A digest as a mail: a plain-text part and an HTML part with the same
/// content, a stable Message-ID, and one-click unsubscribe headers.
public struct DigestMail: Sendable {
    public var from: MailAddress
    /// The server's public address, for absolute links.
    public var baseURL: String
    public var unsubscribe: UnsubscribeLink
    /// Signed with the unsubscribe link's secret.
    public var notInterested: NotInterestedLink

    public init(from: MailAddress, baseURL: String, unsubscribe: UnsubscribeLink) {
        self.from = from; self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL; self.unsubscribe = unsubscribe
        notInterested = NotInterestedLink(signer: unsubscribe.signer)
    }

    /// The same digest always gets the same Message-ID, so a mail sent again
    /// after a crash is recognisably the same one.
    public func messageID(userID: Int, slot: String) -> String {
        "<digest-\(userID)-\(slot)@\(from.domain.isEmpty ? "quire.invalid" : from.domain)>"
    }

    public func message(to user: User, content: DigestContent, slot: DigestSlot, frequency: Subscription.Frequency, date: Date) -> MailMessage {
        let count = content.paperIDs.count
        let when = Self.dayFormat(slot.day)
        let subject = "Quire \(frequency == .weekly ? "weekly" : "daily") digest, \(when): \(count) paper\(count == 1 ? "" : "s")"
        let unsubscribeURL = unsubscribe.url(base: baseURL, userID: user.id, kind: "digest")
        let settingsURL = baseURL + "/account/digest"

        var text = "Hello \(user.username),\n\nYour Quire digest for \(when).\n"
        for section in content.sections {
            text += "\n\(section.title)\n\(String(repeating: "=", count: section.title.count))\n"
            for paper in section.papers {
                text += "\n* \(paper.title)\n  \(Self.authors(paper))\n  ▲ \(paper.upvotes) · \(paperURL(paper))\n"
                if let reason = section.reasons[paper.id] { text += "  \(reason)\n" }
                if section.dismissible { text += "  Not interested: \(notInterested.url(base: baseURL, userID: user.id, paperID: paper.id))\n" }
            }
        }
        text += "\n--\nChange what you get: \(settingsURL)\nUnsubscribe (one click): \(unsubscribeURL)\n"

        var html = """
        <!doctype html><html><body style="margin:0;padding:16px;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#1f2328;background:#ffffff">
        <div style="max-width:640px;margin:0 auto">
        <p style="font-size:20px;font-weight:bold;margin:0 0 4px">Quire</p>
        <p style="color:#59636e;margin:0 0 16px">Your digest for \(HTML.escape(when))</p>
        """
        for section in content.sections {
            html += "<h2 style=\"font-size:17px;border-bottom:1px solid #d1d9e0;padding-bottom:4px;margin:20px 0 8px\">\(HTML.escape(section.title))</h2>"
            for paper in section.papers {
                html += """
                <div style="margin:0 0 14px"><a href="\(HTML.escape(paperURL(paper)))" style="color:#0b57d0;font-size:16px;font-weight:600;text-decoration:none">\(HTML.escape(paper.title))</a>\
                <div style="color:#59636e;font-size:13px">\(HTML.escape(Self.authors(paper))) · ▲ \(paper.upvotes)</div>\
                <div style="font-size:14px;line-height:1.45;margin-top:3px">\(HTML.escape(Self.excerpt(paper.abstract)))</div>\
                \(section.reasons[paper.id].map { "<div style=\"color:#59636e;font-size:13px;font-style:italic;margin-top:3px\">\(HTML.escape($0))</div>" } ?? "")\
                \(section.dismissible ? "<div style=\"font-size:13px;margin-top:3px\"><a href=\"\(HTML.escape(notInterested.url(base: baseURL, userID: user.id, paperID: paper.id)))\" style=\"color:#59636e\">Not interested</a></div>" : "")</div>
                """
            }
        }
        html += """
        <p style="color:#59636e;font-size:12px;border-top:1px solid #d1d9e0;padding-top:8px;margin-top:24px">You get this because you subscribed on Quire.
        <a href="\(HTML.escape(settingsURL))" style="color:#59636e">Change what you get</a> · <a href="\(HTML.escape(unsubscribeURL))" style="color:#59636e">Unsubscribe</a></p>
        </div></body></html>
        """
        return MailMessage(from: from, to: [MailAddress(user.email, name: user.username)], subject: subject, text: text, html: html,
                           headers: [("List-Unsubscribe", "<\(unsubscribeURL)>"), ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
                                     ("List-Id", "Quire digest <digest.\(from.domain.isEmpty ? "quire.invalid" : from.domain)>")],
                           messageID: messageID(userID: user.id, slot: slot.key), date: date)
    }

    private func paperURL(_ paper: Paper) -> String {
        baseURL + "/papers/" + (paper.id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? paper.id)
    }

    static func authors(_ paper: Paper) -> String {
        guard !paper.authors.isEmpty else { return paper.authorCount.map { "\($0) authors" } ?? "" }
        return paper.authors.prefix(3).joined(separator: ", ") + (paper.authors.count > 3 ? " et al." : "")
    }

    static func excerpt(_ text: String) -> String {
        guard text.count > 280 else { return text }
        let cut = text.prefix(280)
        return (cut.lastIndex(of: " ").map { String(cut[..<$0]) } ?? String(cut)) + "…"
    }

    public static func dayFormat(_ day: Day) -> String {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        return "\(weekdays[day.isoWeekday - 1]), \(months[day.month - 1]) \(day.day), \(day.year)"
    }

}
