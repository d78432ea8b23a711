import Foundation
import QuireCore

extension InMemoryStore: FeedSignalStore {
    public func setFeedSignal(userID: Int, paperID: String, kind: FeedSignalKind, on: Bool, clearing: [FeedSignalKind],
                              now: Date, ifFewerThan cap: Int) async throws -> FeedSignalWrite {
        try requirePaper(paperID)
        var mine = feedSignals[userID] ?? []
        let isSet = mine.contains { $0.paperID == paperID && $0.kind == kind }
        if !on {
            mine.removeAll { $0.paperID == paperID && $0.kind == kind }
        } else {
            if !isSet {
                if mine.count >= cap { return .capReached(mine.count) }
                mine.append(FeedSignal(paperID: paperID, kind: kind, createdAt: Self.stored(now)))
            }
            mine.removeAll { $0.paperID == paperID && $0.kind != kind && clearing.contains($0.kind) }
        }
        feedSignals[userID] = mine
        return .saved
    }

    public func feedSignals(userID: Int) async throws -> [FeedSignal] {
        orderedFeedSignals(userID).reversed()
    }

    public func feedSignals(userID: Int, among paperIDs: [String]) async throws -> [FeedSignal] {
        let wanted = Set(paperIDs)
        return orderedFeedSignals(userID).filter { wanted.contains($0.paperID) }
    }

    public func feedInputs(userID: Int) async throws -> FeedInputs {
        let upvoted = upvotes.filter { $0.key.userID == userID }
            .sorted { ($0.value, papers[$0.key.paperID]?.seq ?? 0) < ($1.value, papers[$1.key.paperID]?.seq ?? 0) }
            .map(\.key.paperID)
        var firstSaved: [String: Date] = [:]
        for collection in collections.values where collection.userID == userID {
            for (paperID, entry) in collection.entries { firstSaved[paperID] = min(firstSaved[paperID] ?? entry.addedAt, entry.addedAt) }
        }
        let saved = firstSaved.sorted { ($0.value, papers[$0.key]?.seq ?? 0) < ($1.value, papers[$1.key]?.seq ?? 0) }.map(\.key)
        return FeedInputs(upvoted: upvoted, saved: saved, signals: orderedFeedSignals(userID))
    }

    /// Oldest first, as SQLite orders them (time, then the paper's storage order, then the kind).
    private func orderedFeedSignals(_ userID: Int) -> [FeedSignal] {
        (feedSignals[userID] ?? []).filter { papers[$0.paperID] != nil }.sorted {
            ($0.createdAt, papers[$0.paperID]?.seq ?? 0, $0.kind.rawValue) < ($1.createdAt, papers[$1.paperID]?.seq ?? 0, $1.kind.rawValue)
        }
    }
}
