import Foundation
import QuireCore
import ReaderActions
import Storage
import Testing

/// The private feed link's rules: a token opens its reader's feed until it
/// is reset; the store never sees the token itself.
struct PrivateFeedActionsTests {
    @Test func aTokenOpensItsReadersFeedUntilReset() async throws {
        let store = try TestSupport.temporaryStore()
        let ada = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "x", role: .reader, now: Date())
        let bob = try await store.createUser(username: "bob", email: "bob@example.org", passwordHash: "x", role: .reader, now: Date())
        let actions = PrivateFeedActions(store: store)
        #expect(try await actions.hasLink(ada) == false)
        let first = try await actions.reset(for: ada)
        #expect(first.hasPrefix("\(ada.id).") && first.count > 40)
        #expect(try await actions.reader(token: first)?.id == ada.id)
        #expect(try await actions.hasLink(ada))
        // Only the hash is kept.
        let kept = try #require(try await store.privateFeedTokenHash(userID: ada.id))
        #expect(kept != first && kept.count == 64 && !kept.contains(String(first.split(separator: ".")[1])))

        // Bob's id with Ada's secret, a changed secret, junk: nobody.
        let secret = String(first.split(separator: ".")[1])
        // Its last character changed, whatever it was (a fixed "A" matched one token in 64).
        let changed = String(first.dropLast()) + (first.hasSuffix("A") ? "B" : "A")
        _ = try await actions.reset(for: bob)
        for token in ["\(bob.id).\(secret)", changed, "", ".", "x.y", "-1.\(secret)", "99999999999999999999.\(secret)",
                      String(repeating: "9", count: 500)] {
            #expect(try await actions.reader(token: String(token)) == nil, "\(token)")
        }
        // A reset ends the old link.
        let second = try await actions.reset(for: ada)
        #expect(try await actions.reader(token: first) == nil)
        #expect(try await actions.reader(token: second)?.id == ada.id)
        try await actions.remove(for: ada)
        #expect(try await actions.reader(token: second) == nil)
    }
}
