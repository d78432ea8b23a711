import Digest
import Foundation
import QuireCore
import Storage
import Testing

/// The JSON each service's incoming webhook takes.
@Suite struct WebhookPayloadTests {
    static let payload = WebhookPayload(baseURL: "https://quire.example/")
    static let tricky = Paper(id: "2410.00001", title: "Attention <is> all & [you] need @everyone", abstract: "x",
                              authors: ["Ada Lovelace", "Grace Hopper"], upvotes: 7)
    static let content = DigestContent(sections: [.init(title: "Top of the daily list", papers: [tricky])])

    static func json(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func slackHasTextAndBlocksWithEscapedLinks() throws {
        let object = try Self.json(Self.payload.body(.slack, heading: "Quire daily digest, Mon, Nov 23, 2026", content: Self.content))
        #expect(object["text"] as? String == "Quire daily digest, Mon, Nov 23, 2026")
        let blocks = try #require(object["blocks"] as? [[String: Any]])
        #expect(blocks.count == 2 && blocks[0]["type"] as? String == "header")
        let section = try #require((blocks[1]["text"] as? [String: Any])?["text"] as? String)
        #expect(section == "*Top of the daily list*\n• <https://quire.example/papers/2410.00001|Attention &lt;is&gt; all &amp; [you] need @everyone> — Ada Lovelace, Grace Hopper · ▲ 7")
    }

    @Test func discordHasContentAndEmbedsAndPingsNobody() throws {
        let object = try Self.json(Self.payload.body(.discord, heading: "Quire daily digest", content: Self.content))
        #expect(object["content"] as? String == "Quire daily digest")
        let embeds = try #require(object["embeds"] as? [[String: Any]])
        #expect(embeds.count == 1 && embeds[0]["title"] as? String == "Top of the daily list")
        #expect(embeds[0]["description"] as? String
                == "• [Attention <is\\> all & \\[you\\] need \\@everyone](https://quire.example/papers/2410.00001) — Ada Lovelace, Grace Hopper · ▲ 7")
        #expect((object["allowed_mentions"] as? [String: Any])?["parse"] as? [String] == [])
    }

    @Test func matrixHasPlainTextAndEscapedHTML() throws {
        let object = try Self.json(Self.payload.body(.matrix, heading: "Quire daily digest", content: Self.content))
        #expect(object["format"] as? String == "org.matrix.custom.html")
        #expect(object["text"] as? String == "Quire daily digest\n\nTop of the daily list\n• Attention <is> all & [you] need @everyone — Ada Lovelace, Grace Hopper · ▲ 7 https://quire.example/papers/2410.00001")
        let html = try #require(object["html"] as? String)
        #expect(html.contains("<a href=\"https://quire.example/papers/2410.00001\">Attention &lt;is&gt; all &amp; [you] need @everyone</a>"))
        #expect(!html.contains("<is>"))
    }

    /// Long digests stay within each service's limits and say what was left out.
    @Test func longDigestsFitTheLimits() throws {
        let papers = (0..<200).map { Paper(id: "2410.\(10000 + $0)", title: String(repeating: "Long title ", count: 8) + "\($0)", abstract: "x") }
        let sections = (0..<12).map { DigestContent.Section(title: "Section \($0)", papers: papers) }
        let content = DigestContent(sections: sections)
        let slack = try Self.json(Self.payload.body(.slack, heading: "h", content: content))
        for block in try #require(slack["blocks"] as? [[String: Any]]).dropFirst() {
            let text = try #require((block["text"] as? [String: Any])?["text"] as? String)
            #expect(text.count <= 3000 && text.hasSuffix("more"))
        }
        let discord = try Self.json(Self.payload.body(.discord, heading: "h", content: content))
        let embeds = try #require(discord["embeds"] as? [[String: Any]])
        #expect(embeds.count == 10)
        for embed in embeds { #expect(((embed["description"] as? String) ?? "").count <= 4096) }
    }

    @Test(arguments: [Webhook.Format.slack, .discord, .matrix])
    func testMessagesSayWhatTheyAre(_ format: Webhook.Format) throws {
        let text = String(decoding: Self.payload.test(format), as: UTF8.self)
        #expect(text.contains("This is a test message from Quire (https://quire.example)"))
    }
}
