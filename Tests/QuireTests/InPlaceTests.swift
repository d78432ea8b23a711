import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Web

/// "▲ Upvote" and "Save" update in place (`InPlace`): with the header the
/// script sends, the answer is the new box rendered for the page the form
/// came from; without it, the redirect goes back to the entry's anchor, so a
/// reader without JavaScript does not land at the top of the page.
@Suite struct InPlaceTests {
    static let day = "/papers/date/2024-10-25"

    static func post(_ client: any TestClientProtocol, _ path: String, _ form: String, as reader: PageCacheTests.Reader,
                     inPlace: Bool) async throws -> (HTTPResponse.Status, String, String?) {
        var headers = reader.headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        if inPlace { headers[InPlace.header] = "1" }
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: form + "&csrf=\(reader.csrf)")) {
            ($0.status, WebTests.text($0), $0.headers[.location])
        }
    }

    @Test func anUpvoteAnswersTheNewBoxOrGoesBackToTheEntry() async throws {
        let store = try await WebTests.filledStore()
        let ada = try await PageCacheTests.signIn(store, "ada")
        try await PageCacheTests.run(store) { _, client in
            let before = try #require(try await PageCacheTests.upvotes(client, "2410.17243"))
            let page = try await PageCacheTests.get(client, Self.day, as: ada)
            #expect(page.contains("<li data-paper-id=\"2410.17243\" id=\"paper-2410.17243\">"))
            #expect(page.contains("form class=\"inline\" method=\"post\" action=\"/upvote\" data-in-place"))
            #expect(page.contains("<script>") && page.contains("Quire-In-Place"))

            let back = "back=%2Fpapers%2Fdate%2F2024-10-25%3Fp%3D0"
            let (status, box, _) = try await Self.post(client, "/upvote", "paper=2410.17243&on=1&\(back)", as: ada, inPlace: true)
            #expect(status == .ok)
            #expect(box.hasPrefix("<div class=\"votes\"") && box.contains("data-in-place-box") && box.contains("<b>\(before + 1)</b>"))
            #expect(box.contains("▲ Upvoted") && box.contains("name=\"on\" value=\"0\""))
            // Its form sends the reader back to the page the first one came from, not to /upvote.
            #expect(box.contains("name=\"back\" value=\"/papers/date/2024-10-25?p=0\""))
            #expect(!box.contains("<html"))
            // Clicked twice: still one upvote.
            _ = try await Self.post(client, "/upvote", "paper=2410.17243&on=1&\(back)", as: ada, inPlace: true)
            #expect(try await PageCacheTests.upvotes(client, "2410.17243") == before + 1)

            // Without JavaScript: a redirect to the entry.
            let (plain, _, location) = try await Self.post(client, "/upvote", "paper=2410.17243&on=0&\(back)", as: ada, inPlace: false)
            #expect(plain == .seeOther && location == "/papers/date/2024-10-25?p=0#paper-2410.17243")
            #expect(try await PageCacheTests.upvotes(client, "2410.17243") == before)
        }
    }

    /// "More like this", "Not interested" and "Mark as read" are one box on
    /// every list: each shows its state ("Not interested ✓" and "Undo"),
    /// read for the whole page at once, and a click answers the new box.
    @Test func theFeedButtonsShowTheirStateAndAnswerTheNewBox() async throws {
        let store = try await WebTests.filledStore()
        let ada = try await PageCacheTests.signIn(store, "ada")
        try await PageCacheTests.run(store) { _, client in
            let page = try await PageCacheTests.get(client, Self.day, as: ada)
            #expect(page.contains("<span class=\"feed-buttons\" data-in-place-box>"))
            #expect(page.contains("action=\"/feed-signal\" data-in-place") && !page.contains("Not interested ✓"))

            let back = "back=%2Fpapers%2Fdate%2F2024-10-25%23paper-2410.17243"
            let (status, box, _) = try await Self.post(client, "/feed-signal", "paper=2410.17243&kind=not_interested&on=1&\(back)", as: ada, inPlace: true)
            #expect(status == .ok && box.hasPrefix("<span class=\"feed-buttons\" data-in-place-box>"))
            #expect(box.contains("Not interested ✓") && box.contains(">Undo</button>") && box.contains(">More like this</button>"))
            // Its forms come back to the same page and entry.
            #expect(box.contains("name=\"back\" value=\"/papers/date/2024-10-25#paper-2410.17243\""))
            // "More like this" takes "Not interested" back, in the same box.
            let (_, liked, _) = try await Self.post(client, "/feed-signal", "paper=2410.17243&kind=more_like_this&on=1&\(back)", as: ada, inPlace: true)
            #expect(liked.contains("More like this ✓") && !liked.contains("Not interested ✓"))
            _ = try await Self.post(client, "/feed-signal", "paper=2410.17243&kind=read&on=1&\(back)", as: ada, inPlace: true)

            // Every list shows the state, for this reader only.
            let marked = try await PageCacheTests.get(client, Self.day, as: ada)
            #expect(marked.contains("More like this ✓") && marked.contains("Read ✓"))
            #expect(try await PageCacheTests.get(client, "/papers/2410.17243", as: ada).contains("Read ✓"))
            let bob = try await PageCacheTests.signIn(store, "bob")
            #expect(!(try await PageCacheTests.get(client, Self.day, as: bob).contains("Read ✓")))

            // Without JavaScript: back to the entry; "Undo" clears it.
            let (plain, _, location) = try await Self.post(client, "/feed-signal", "paper=2410.17243&kind=read&on=0&\(back)", as: ada, inPlace: false)
            #expect(plain == .seeOther && location == "/papers/date/2024-10-25#paper-2410.17243")
            #expect(!(try await PageCacheTests.get(client, Self.day, as: ada).contains("Read ✓")))
        }
    }

    @Test func aSaveAnswersSavedAndRefusalsStayPages() async throws {
        let store = try await WebTests.filledStore()
        let ada = try await PageCacheTests.signIn(store, "ada")
        try await PageCacheTests.run(store) { _, client in
            let (status, box, _) = try await Self.post(client, "/save", "paper=2410.17243&back=%2F", as: ada, inPlace: true)
            #expect(status == .ok && box == "<a class=\"saved\" href=\"/collections\">Saved ✓</a>")
            let (plain, _, location) = try await Self.post(client, "/save", "paper=2410.17243&back=%2F", as: ada, inPlace: false)
            #expect(plain == .seeOther && location == "/#paper-2410.17243")
            // A paper that does not exist is the usual error page (the script then posts the form itself, to show it).
            let (missing, _, _) = try await Self.post(client, "/upvote", "paper=9999.99999&on=1&back=%2F", as: ada, inPlace: true)
            #expect(missing == .notFound)
        }
    }
}
