import Foundation
import QuireCore

/// What a reader tells their "For you" feed about one paper. Each is on or
/// off on its own; `FeedSignalActions` keeps the two opinions apart.
public enum FeedSignalKind: String, Sendable, Codable, CaseIterable {
    /// "Not interested": a negative for the model, and never shown again.
    case notInterested = "not_interested"
    /// "More like this": a positive for the model.
    case moreLikeThis = "more_like_this"
    /// "Mark as read": hidden from the feed, kept in the reading history.
    case read
    /// "My own paper": the reader wrote it; a positive for the model, as strong as a like.
    case mine
    /// "Don't use this": the paper stops counting for the model and its
    /// reasons (its upvote or save stays where it is).
    case excluded
    /// The reader opened the paper's page: a weak positive, recorded once per paper.
    case opened
}

public struct FeedSignal: Sendable, Codable, Equatable {
    enum CodingKeys: String, CodingKey { case paperID = "paperId", kind, createdAt }
    public var paperID: String
    public var kind: FeedSignalKind
    public var createdAt: Date
    public init(paperID: String, kind: FeedSignalKind, createdAt: Date) {
        self.paperID = paperID; self.kind = kind; self.createdAt = createdAt
    }
}

/// What `FeedSignalStore.setFeedSignal` (or `MuteStore.setMute`) did.
public enum FeedSignalWrite: Sendable, Equatable {
    /// Set or cleared as asked (a repeat is not an error).
    case saved
    /// The reader keeps this many signals: the cap or more. Nothing was written.
    case capReached(Int)
}

/// Everything a reader's feed is trained from and leaves out, read at once.
public struct FeedInputs: Sendable, Equatable {
    /// Paper ids, oldest first.
    public var upvoted: [String]
    /// Paper ids saved in any of the reader's collections, oldest first, once each.
    public var saved: [String]
    /// The reader's feed signals, oldest first.
    public var signals: [FeedSignal]
    public init(upvoted: [String], saved: [String], signals: [FeedSignal]) {
        self.upvoted = upvoted; self.saved = saved; self.signals = signals
    }
}

/// The reader's feed signals. The rules (which kinds exclude each other, the
/// cap) are `FeedSignalActions`'; the store persists them, checking the cap
/// in the same transaction as the write.
public protocol FeedSignalStore: Sendable {
    /// Sets (`on`) or clears one signal of the reader on a paper, removing
    /// the `clearing` kinds of the same paper in the same transaction.
    /// Setting one the reader has not set yet is refused (`.capReached`) once
    /// they keep `cap` signals or more; clearing always goes through.
    /// `.notFound` for an unknown paper. Repeating either is harmless.
    func setFeedSignal(userID: Int, paperID: String, kind: FeedSignalKind, on: Bool, clearing: [FeedSignalKind],
                       now: Date, ifFewerThan cap: Int) async throws -> FeedSignalWrite
    /// The reader's signals, newest first.
    func feedSignals(userID: Int) async throws -> [FeedSignal]
    /// The reader's signals on these papers only (one query for a page of entries), in any order.
    func feedSignals(userID: Int, among paperIDs: [String]) async throws -> [FeedSignal]
    /// Upvotes, saves and feed signals of the reader.
    func feedInputs(userID: Int) async throws -> FeedInputs
}
