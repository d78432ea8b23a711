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
        // Monday 2026-11-02, 08:00 UTC: the window is Friday 10-30 through Monday (the papers of 10-29 are older).
        let slot = try #require(DigestSchedule.latestSlot(for: subscription, now: Date(timeIntervalSince1970: 1_793_606_400)))
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
        // Only the papers the digest covers: video 9 (listed 10-29) is a fine pick, but not this digest's.
        #expect(!ids.contains(ForYouFeedTests.videoID(9)))
        let window = DigestBuilder.window(slot: slot, subscription: subscription, lastSent: nil)
        #expect(section.papers.allSatisfy { ($0.listDay.map { $0 >= window.from && $0 < window.to }) == true })

        let mail = DigestMail(from: MailAddress("quire@example.org"), baseURL: "https://q.example", unsubscribe: UnsubscribeLink(secret: "s"))
        let message = mail.message(to: w.ada, content: content, slot: slot, frequency: .daily, date: Date())
        for paper in section.papers {
            let link = mail.notInterested.url(base: "https://q.example", userID: w.ada.id, paperID: paper.id)
            #expect(message.text.contains("Not interested: \(link)"))
            #expect(message.html?.contains("href=\"\(HTML.escape(link))\"") == true)
        }
    }

    @Test func theSectionTakesOnlyTheWindowsPapersAndCanBeTurnedOff() async throws {
        let w = try await ForYouFeedTests.world(.sqlite)
        try await ForYouFeedTests.likeVideo(w)
        let builder = DigestBuilder(store: w.store, search: SearchService(store: w.store), forYou: w.feed)
        // A weekly digest on Monday 2026-11-02 covers the week before: every video paper's day.
        var weekly = Subscription(frequency: .weekly, weekday: 1, hour: 7, includeTop: false, maxPapers: 10)
        let slot = try #require(DigestSchedule.latestSlot(for: weekly, now: Date(timeIntervalSince1970: 1_793_606_400)))
        let week = try await builder.build(user: w.ada, subscription: weekly, slot: slot, excluding: [], lastSent: nil)
        // The reader's topic first (every video paper not liked), then the best of the rest.
        #expect(Set(try #require(week.sections.first).papers.prefix(7).map(\.id)) == Set((5...11).map(ForYouFeedTests.videoID)))
        // After a digest sent on Monday 11-02 itself, the window is that day alone: only its papers (videos 5 and 10 first).
        let sent = Date(timeIntervalSince1970: 1_793_606_400)
        let daily = Subscription(frequency: .daily, hour: 7, includeTop: false, maxPapers: 10)
        let today = try await builder.build(user: w.ada, subscription: daily, slot: slot, excluding: [], lastSent: sent)
        let todays = try #require(today.sections.first { $0.title == DigestBuilder.forYouTitle }).papers
        #expect(todays.prefix(2).map(\.id).sorted() == [ForYouFeedTests.videoID(5), ForYouFeedTests.videoID(10)])
        #expect(todays.allSatisfy { $0.listDay == ForYouFeedTests.day })
        // Turned off: no section, whatever the reader likes.
        weekly.includeForYou = false
        let off = try await builder.build(user: w.ada, subscription: weekly, slot: slot, excluding: [], lastSent: nil)
        #expect(!off.sections.contains { $0.title == DigestBuilder.forYouTitle })
    }
}
