import Foundation

extension InMemoryStore: MuteStore {
    public func muteSettings(userID: Int) async throws -> MuteSettings {
        MuteSettings(mutes: Mute.listed(mutes[userID] ?? []), everywhere: mutesEverywhere.contains(userID))
    }

    public func setMute(_ mute: Mute, on: Bool, userID: Int, now: Date, ifFewerThan cap: Int) async throws -> FeedSignalWrite {
        guard users[userID] != nil else { return .saved }
        var mine = mutes[userID] ?? []
        if on, !mine.contains(mute) {
            if mine.count >= cap { return .capReached(mine.count) }
            mine.insert(mute)
        } else if !on {
            mine.remove(mute)
        }
        mutes[userID] = mine
        return .saved
    }

    public func setMutesEverywhere(_ everywhere: Bool, userID: Int) async throws {
        guard users[userID] != nil else { return }
        if everywhere { mutesEverywhere.insert(userID) } else { mutesEverywhere.remove(userID) }
    }
}
