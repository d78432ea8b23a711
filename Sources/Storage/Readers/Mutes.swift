import Foundation

/// What a reader never wants to see: papers with a word or phrase, by an
/// author, or in a category. `MuteActions` checks and normalizes what is
/// kept here and decides what a mute hides (`MuteRule`).
public struct Mute: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A word or phrase, lowercased, matched in the title and abstract.
        case phrase
        /// An author's slug (the name is the author page's).
        case author
        /// An arXiv category as `ArxivCategories.canonical` writes it.
        case category
    }
    public var kind: Kind
    public var value: String
    public init(kind: Kind, value: String) { self.kind = kind; self.value = value }

    /// The order every store lists mutes in: by kind, then by the value's
    /// bytes (so no database collation decides it).
    public static func listed(_ mutes: some Sequence<Mute>) -> [Mute] {
        mutes.sorted { a, b in
            a.kind != b.kind ? a.kind.rawValue < b.kind.rawValue : a.value.utf8.lexicographicallyPrecedes(b.value.utf8)
        }
    }
}

/// A reader's mutes, and whether they hide papers everywhere or only in
/// "For you" and its digest section.
public struct MuteSettings: Sendable, Codable, Equatable {
    /// In `Mute.listed` order.
    public var mutes: [Mute]
    /// The reader opted in to muting every list (the days, trending, search).
    public var everywhere: Bool
    public init(mutes: [Mute] = [], everywhere: Bool = false) { self.mutes = mutes; self.everywhere = everywhere }
}

/// The reader's mutes, persisted. Adding checks the cap in the same
/// transaction as the write, as feed signals do.
public protocol MuteStore: Sendable {
    func muteSettings(userID: Int) async throws -> MuteSettings
    /// Adds (`on`) or removes one mute; repeating either is harmless. Adding
    /// one the reader does not have is refused (`.capReached`) once they keep
    /// `cap` mutes or more; removing always goes through.
    func setMute(_ mute: Mute, on: Bool, userID: Int, now: Date, ifFewerThan cap: Int) async throws -> FeedSignalWrite
    func setMutesEverywhere(_ everywhere: Bool, userID: Int) async throws
}
