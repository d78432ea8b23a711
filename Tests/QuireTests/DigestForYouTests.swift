import Digest
import Foundation
import Mail
import QuireCore
import ReaderActions
import Recommendations
import Search
import Storage
import Testing

/// The digest's "For you" section: the reader's picks first, mutes applied,
/// each with its reason and a signed "Not interested" link.
struct DigestForYouTests {
    @Test func notInterestedLinksAreSignedPerReaderAndPaperAndApartFromUnsubscribing() {
        let unsubscribe = UnsubscribeLink(secret: "s3cret")
        let link = NotInterestedLink(signer: unsubscribe.signer)
        let url = link.url(base: "https://q.example", userID: 7, paperID: "hep-th/9901001")
        #expect(url.hasPrefix("https://q.example/mail/not-interested?u=7&p=hep-th%2F9901001&s="))
        let signature = String(url.split(separator: "=").last ?? "")
        #expect(link.verify(userID: 7, paperID: "hep-th/9901001", signature: signature))
        #expect(!link.verify(userID: 8, paperID: "hep-th/9901001", signature: signature))
        #expect(!link.verify(userID: 7, paperID: "hep-th/9901002", signature: signature))
        #expect(!NotInterestedLink(signer: UnsubscribeLink(secret: "other").signer).verify(userID: 7, paperID: "hep-th/9901001", signature: signature))
        // One kind's signature never passes for the other's.
        #expect(!unsubscribe.verify(userID: 7, kind: "digest", signature: link.url(base: "", userID: 7, paperID: "digest")
            .components(separatedBy: "s=").last ?? ""))
    }

    @Test func theReadersPicksComeFirstWithReasonsAndLinks() async throws {
        let w = try await ForYouFeedTests.world(.sqlite)
        let builder = DigestBuilder(store: w.store, search: SearchService(store: w.store), forYou: w.feed)
        let subscription = Subscription(frequency: .daily, hour: 7, maxPapers: 3)
        let slot = try #require(DigestSchedule.latestSlot(for: subscription, now: Date(timeIntervalSince1970: 1_795_000_000)))
        // Too few positives: no section of picks.
        let before = try await builder.build(user: w.ada, subscription: subscription, slot: slot, excluding: [], lastSent: nil)
        #expect(!before.sections.contains { $0.title == DigestBuilder.forYouTitle })

        try await ForYouFeedTests.likeVideo(w)
        _ = try await MuteActions(store: w.store).add(.phrase, "model 11", by: w.ada)
        let mailedAlready: Set<String> = [ForYouFeedTests.videoID(6)]
        let content = try await builder.build(user: w.ada, subscription: subscription, slot: slot, excluding: mailedAlready, lastSent: nil)
        let section = try #require(content.sections.first)
        #expect(section.title == "For you" && section.dismissible && section.papers.count == 3)
        #expect(section.papers.allSatisfy { $0.title.hasPrefix("Video") && section.reasons[$0.id]?.hasPrefix("Because you") == true })
        let ids = Set(section.papers.map(\.id))
        #expect(!ids.contains(ForYouFeedTests.videoID(6)) && !ids.contains(ForYouFeedTests.videoID(11)))
        #expect(ids.isDisjoint(with: (0...4).map(ForYouFeedTests.videoID)))

        let mail = DigestMail(from: MailAddress("quire@example.org"), baseURL: "https://q.example", unsubscribe: UnsubscribeLink(secret: "s"))
        let message = mail.message(to: w.ada, content: content, slot: slot, frequency: .daily, date: Date())
        for paper in section.papers {
            let link = mail.notInterested.url(base: "https://q.example", userID: w.ada.id, paperID: paper.id)
            #expect(message.text.contains("Not interested: \(link)"))
            #expect(message.html?.contains("href=\"\(HTML.escape(link))\"") == true)
        }
    }
}
