import Foundation
import QuireCore
import Storage

/// A digest as the JSON an incoming webhook takes, in each service's own
/// format, within its limits (longer lists end with "… and N more"):
/// - Slack: `{"text": fallback, "blocks": [header, one section per part]}`,
///   links as `<url|title>` in mrkdwn (section text ≤ 3000 characters);
/// - Discord: `{"content": heading, "embeds": [one per part]}` (≤ 10 embeds,
///   descriptions ≤ 4096 characters), links in Markdown;
/// - Matrix bridges: matrix-hookshot's generic webhooks (and bridges like
///   it) take `{"text": plain, "html": HTML}`; `format` says the HTML is
///   `org.matrix.custom.html`, as in a Matrix message.
public struct WebhookPayload: Sendable {
    /// The server's public address, for absolute links.
    public var baseURL: String

    public init(baseURL: String) { self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL }

    static let slackSectionLimit = 3000
    static let discordEmbedLimit = 4096
    static let discordEmbeds = 10

    /// The post for one digest. `heading` names it ("Quire daily digest, Mon, Nov 23, 2026").
    public func body(_ format: Webhook.Format, heading: String, content: DigestContent) -> Data {
        let sections = content.sections.map { section in
            (title: section.title, lines: section.papers.map { line(for: $0, format) }, plain: section.papers.map(plainLine))
        }
        return encode(format, heading: heading, sections: sections)
    }

    /// The "Send a test message" post: what the reader will see, with no papers.
    public func test(_ format: Webhook.Format) -> Data {
        let text = "This is a test message from Quire (\(baseURL)): digests will be posted here."
        return encode(format, heading: text, sections: [])
    }

    private func encode(_ format: Webhook.Format, heading: String, sections: [(title: String, lines: [String], plain: [String])]) -> Data {
        let object: [String: Any]
        switch format {
        case .slack:
            var blocks: [[String: Any]] = [["type": "header", "text": ["type": "plain_text", "text": String(heading.prefix(150))]]]
            for section in sections.prefix(40) {
                let text = "*\(Self.slackEscape(section.title))*\n" + Self.fit(section.lines, within: Self.slackSectionLimit - section.title.count - 4)
                blocks.append(["type": "section", "text": ["type": "mrkdwn", "text": text]])
            }
            object = ["text": heading, "blocks": blocks]
        case .discord:
            let embeds: [[String: Any]] = sections.prefix(Self.discordEmbeds).map {
                ["title": String($0.title.prefix(256)), "description": Self.fit($0.lines, within: Self.discordEmbedLimit)]
            }
            object = ["content": String(heading.prefix(2000)), "embeds": embeds, "allowed_mentions": ["parse": [String]()]]
        case .matrix:
            var text = heading, html = "<p><strong>\(HTML.escape(heading))</strong></p>"
            for section in sections {
                text += "\n\n\(section.title)\n" + section.plain.joined(separator: "\n")
                html += "<h4>\(HTML.escape(section.title))</h4><ul>" + section.lines.map { "<li>\($0)</li>" }.joined() + "</ul>"
            }
            object = ["text": text, "format": "org.matrix.custom.html", "html": html, "username": "Quire"]
        }
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    }

    private func url(_ paper: Paper) -> String {
        baseURL + "/papers/" + (paper.id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? paper.id)
    }

    private static func meta(_ paper: Paper) -> String {
        let authors = DigestMail.authors(paper)
        return (authors.isEmpty ? "" : authors + " · ") + "▲ \(paper.upvotes)"
    }

    /// One paper as a line of plain text (Matrix's `text`).
    func plainLine(_ paper: Paper) -> String { "• \(paper.title) — \(Self.meta(paper)) \(url(paper))" }

    /// One paper as one line of the format's markup.
    func line(for paper: Paper, _ format: Webhook.Format) -> String {
        let url = url(paper), meta = Self.meta(paper)
        switch format {
        case .slack:
            return "• <\(url)|\(Self.slackEscape(paper.title))> — \(Self.slackEscape(meta))"
        case .discord:
            return "• [\(Self.discordEscape(paper.title))](\(url)) — \(Self.discordEscape(meta))"
        case .matrix:
            return "<a href=\"\(HTML.escape(url))\">\(HTML.escape(paper.title))</a> — \(HTML.escape(meta))"
        }
    }

    /// Lines joined, cut to fit `limit` characters with "… and N more".
    static func fit(_ lines: [String], within limit: Int) -> String {
        var kept: [String] = [], used = 0
        for (index, line) in lines.enumerated() {
            let rest = lines.count - index
            let reserve = rest > 1 ? 24 : 0
            if used + line.count + 1 + reserve > limit {
                kept.append("… and \(rest) more")
                break
            }
            kept.append(line)
            used += line.count + 1
        }
        return kept.joined(separator: "\n")
    }

    /// Slack's mrkdwn treats &, < and > as markup.
    static func slackEscape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Markdown link text may not close its brackets early or ping anyone.
    static func discordEscape(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\[]()*_~`>|@".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
