import Digest
import Foundation
import QuireCore
import ReaderActions
import Storage

/// `/account/digest/preview` and `GET /api/me/digest/preview`: the next
/// digest, what is in it, and the mail itself.
enum DigestPreviewPage {
    /// "Mon, Nov 30, 2026 at 07:00 (Europe/Paris)".
    static func when(_ plan: DigestTrial.Plan) -> String {
        "\(DigestMail.dayFormat(plan.slot.day)) at \(String(format: "%02d:00", plan.subscription.hour)) (\(plan.subscription.timeZone))"
    }

    static func render(_ shown: DigestPreview.Shown, message: String? = nil, ok: String? = nil) -> String {
        let plan = shown.plan
        let intro = plan.isOn
            ? "Your next \(plan.subscription.frequency.rawValue) digest goes out \(esc(when(plan))) to \(esc(plan.user.email)). Made now, it would hold:"
            : "Your digest is off (<a href=\"/account/digest\">turn it on</a>). A daily one at \(esc(when(plan))) would hold:"
        let contents = shown.content.isEmpty
            ? "<p class=\"notice\">Nothing new: no digest would be sent. Papers already mailed to you are never sent twice.</p>"
            : "<ul class=\"digest-contents\">" + shown.content.sections.map { section in
                "<li><b>\(esc(section.title))</b> (\(section.papers.count)): "
                    + section.papers.map { "<a href=\"\(esc(PaperListView.paperPath($0.id)))\">\(esc($0.title))</a>" }.joined(separator: "; ") + "</li>"
            }.joined() + "</ul>"
        return Layout.page(title: "Digest preview", body: """
        <h1>Digest preview</h1>
        \(Forms.message(ok, ok: true))\(Forms.message(message))
        <p>\(intro)</p>
        \(contents)
        <p>Nothing is recorded by this preview or a test: the real digest still holds these papers.
        \(Forms.post("/account/digest/test", button: "Send a test now", title: "Mails this digest to \(plan.user.email) now, marked as a test"))
        · <a href="/account/digest">Digest settings</a></p>
        <h2>The mail</h2>
        <p class="meta">Subject: \(esc(shown.message.subject))</p>
        <iframe class="digest-mail" title="The digest mail" sandbox srcdoc="\(esc(shown.message.html ?? ""))"></iframe>
        """)
    }

    struct JSON: Encodable {
        struct Section: Encodable {
            struct Entry: Encodable { var id: String; var title: String; var reason: String? }
            var title: String
            var papers: [Entry]
        }
        var on: Bool
        var frequency: String
        var timeZone: String
        var slot: String
        var sendsAt: Date
        var to: String
        var subject: String
        var paperCount: Int
        var sections: [Section]
        var text: String
        var html: String

        init(_ shown: DigestPreview.Shown) {
            let plan = shown.plan
            on = plan.isOn; frequency = plan.subscription.frequency.rawValue; timeZone = plan.subscription.timeZone
            slot = plan.slot.key; sendsAt = plan.slot.time; to = plan.user.email; subject = shown.message.subject
            paperCount = shown.content.paperIDs.count
            sections = shown.content.sections.map { section in
                Section(title: section.title, papers: section.papers.map { .init(id: $0.id, title: $0.title, reason: section.reasons[$0.id]) })
            }
            text = shown.message.text; html = shown.message.html ?? ""
        }
    }
}
