import Foundation

/// What a keyword index held outside the database (`KeywordSearch`) reads:
/// every paper's searchable text, then each change to it, in order. Narrow
/// so that every store can follow it the same way.
///
/// Loading needs no snapshot: a reader takes `latestTextChange()` first,
/// then pages through `paperTexts(afterSeq:limit:)`, then applies
/// `paperTextChanges(after:)` from the number it took. A paper written
/// meanwhile is read twice at worst, and applying a change again is harmless
/// (the change names the paper; its current text is read).
public protocol PaperTextFeed: Sendable {
    /// The number of the newest text change (0 when there is none).
    func latestTextChange() async throws -> Int

    /// Papers in `seq` order from just after `afterSeq`, at most `limit`.
    func paperTexts(afterSeq: Int, limit: Int) async throws -> [PaperText]

    /// The current text of the papers with these seqs (missing ones are left out), in no particular order.
    func paperTexts(seqs: [Int]) async throws -> [PaperText]

    /// Changes numbered after `change`, oldest first, up to about `limit`:
    /// the current text of every paper added or edited, and the seqs of
    /// papers deleted. `through` is the newest change read (`change` when
    /// there is none).
    func paperTextChanges(after change: Int, limit: Int) async throws -> PaperTextChanges
}

/// A paper's searchable text and its position in the store.
public struct PaperText: Sendable, Equatable {
    public var seq: Int, id: String, title: String, abstract: String
    public init(seq: Int, id: String, title: String, abstract: String) {
        self.seq = seq; self.id = id; self.title = title; self.abstract = abstract
    }
}

/// One page of `PaperTextFeed.paperTextChanges`.
public struct PaperTextChanges: Sendable, Equatable {
    public var through: Int
    /// Each paper once, with its current text.
    public var changed: [PaperText]
    public var removed: [Int]
    public init(through: Int, changed: [PaperText], removed: [Int]) {
        self.through = through; self.changed = changed; self.removed = removed
    }
}
