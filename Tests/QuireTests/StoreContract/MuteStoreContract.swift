import Foundation
import QuireCore
import Storage
import Testing

/// What every `MuteStore` and `PrivateFeedStore` keeps true: mutes once
/// each, listed in one order, the cap checked with the write, the "every
/// list" choice per reader; one private feed hash per reader, replaced by a
/// reset; all of it gone with the account.
@Suite(.postgresSchemas) struct MuteStoreContract {
    typealias Store = any MuteStore & PrivateFeedStore & AccountStore

    static func setUp(_ implementation: StoreImplementation) async throws -> (store: Store, ada: User, bob: User) {
        let store: Store = try await implementation.make(as: Store.self)
        let ada = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "x", role: .reader, now: Date())
        let bob = try await store.createUser(username: "bob", email: "bob@example.org", passwordHash: "x", role: .reader, now: Date())
        return (store, ada, bob)
    }

    @Test(arguments: StoreImplementation.allCases)
    func mutesAreKeptOnceInOneOrderUnderTheCap(_ implementation: StoreImplementation) async throws {
        let (store, ada, bob) = try await Self.setUp(implementation)
        #expect(try await store.muteSettings(userID: ada.id) == MuteSettings())
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        for mute in [Mute(kind: .phrase, value: "zebra"), Mute(kind: .category, value: "cs.CR"), Mute(kind: .phrase, value: "Zebra"),
                     Mute(kind: .author, value: "jane-doe"), Mute(kind: .phrase, value: "zebra"), Mute(kind: .phrase, value: "élan")] {
            #expect(try await store.setMute(mute, on: true, userID: ada.id, now: now, ifFewerThan: 10) == .saved)
        }
        _ = try await store.setMute(Mute(kind: .phrase, value: "bob's"), on: true, userID: bob.id, now: now, ifFewerThan: 10)
        // By kind, then by the value's bytes: "Zebra" before "zebra" before "élan", whatever the database's collation.
        #expect(try await store.muteSettings(userID: ada.id).mutes == [
            Mute(kind: .author, value: "jane-doe"), Mute(kind: .category, value: "cs.CR"),
            Mute(kind: .phrase, value: "Zebra"), Mute(kind: .phrase, value: "zebra"), Mute(kind: .phrase, value: "élan"),
        ])
        // The cap refuses a new one, not a repeat, and never a removal.
        #expect(try await store.setMute(Mute(kind: .phrase, value: "new"), on: true, userID: ada.id, now: now, ifFewerThan: 5) == .capReached(5))
        #expect(try await store.setMute(Mute(kind: .phrase, value: "zebra"), on: true, userID: ada.id, now: now, ifFewerThan: 5) == .saved)
        #expect(try await store.setMute(Mute(kind: .phrase, value: "Zebra"), on: false, userID: ada.id, now: now, ifFewerThan: 5) == .saved)
        #expect(try await store.setMute(Mute(kind: .phrase, value: "Zebra"), on: false, userID: ada.id, now: now, ifFewerThan: 5) == .saved)
        #expect(try await store.muteSettings(userID: ada.id).mutes.count == 4)
        #expect(try await store.muteSettings(userID: bob.id).mutes == [Mute(kind: .phrase, value: "bob's")])

        #expect(try await store.muteSettings(userID: ada.id).everywhere == false)
        try await store.setMutesEverywhere(true, userID: ada.id)
        try await store.setMutesEverywhere(true, userID: ada.id)
        let (adas, bobs) = (try await store.muteSettings(userID: ada.id), try await store.muteSettings(userID: bob.id))
        #expect(adas.everywhere && !bobs.everywhere)
        try await store.setMutesEverywhere(false, userID: ada.id)
        #expect(try await store.muteSettings(userID: ada.id).everywhere == false)

        try await store.setMutesEverywhere(true, userID: ada.id)
        try await store.deleteUser(id: ada.id)
        #expect(try await store.muteSettings(userID: ada.id) == MuteSettings())
    }

    @Test(arguments: StoreImplementation.allCases)
    func onePrivateFeedHashPerReaderReplacedByAReset(_ implementation: StoreImplementation) async throws {
        let (store, ada, bob) = try await Self.setUp(implementation)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(try await store.privateFeedTokenHash(userID: ada.id) == nil)
        try await store.setPrivateFeedTokenHash("first", userID: ada.id, now: now)
        try await store.setPrivateFeedTokenHash("bobs", userID: bob.id, now: now)
        try await store.setPrivateFeedTokenHash("second", userID: ada.id, now: now.addingTimeInterval(5))
        #expect(try await store.privateFeedTokenHash(userID: ada.id) == "second")
        #expect(try await store.privateFeedTokenHash(userID: bob.id) == "bobs")
        try await store.setPrivateFeedTokenHash(nil, userID: bob.id, now: now)
        #expect(try await store.privateFeedTokenHash(userID: bob.id) == nil)
        try await store.deleteUser(id: ada.id)
        #expect(try await store.privateFeedTokenHash(userID: ada.id) == nil)
    }
}
