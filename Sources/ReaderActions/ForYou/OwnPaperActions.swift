import Foundation
import QuireCore
import Storage

/// "My own papers": a reader claims the papers they wrote, strong positives
/// for their feed (the `mine` feed signal). Three ways to find them — an
/// arXiv author name, a BibTeX file, a list of ids — each give the same
/// `Candidates` for the reader to confirm; nothing is claimed before they do,
/// and what could not be found is reported, never dropped.
public struct OwnPaperActions: Sendable {
    /// Papers one confirmation may claim, and candidates one search lists.
    public static let maxPerClaim = 500
    /// Bytes of a BibTeX file or id list: a long publication list is ~200 kB.
    public static let maxUploadBytes = 1_000_000

    let store: any FeedSignalStore & PaperStore
    let signals: FeedSignalActions

    public init(store: any FeedSignalStore & PaperStore, signals: FeedSignalActions) {
        self.store = store; self.signals = signals
    }

    /// What a search found, for the reader to confirm.
    public struct Candidates: Sendable {
        /// Papers Quire holds, in the order found.
        public var papers: [Paper]
        /// What was asked for but is not a paper here: ids Quire does not
        /// hold, BibTeX entries without an arXiv id ("key (line 3): no arXiv id").
        public var unknown: [String]
        /// Those of `papers` the reader has claimed already.
        public var alreadyMine: Set<String>
        /// Other author names close to the one asked for, when it matched no author exactly.
        public var similarNames: [Author]
    }

    /// The papers of the arXiv author named `name`, folded as author pages
    /// fold names (case, accents and punctuation aside; "Doe, Jane" is "Jane Doe").
    public func byAuthorName(_ name: String, for user: User) async throws -> Candidates {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 200 else { throw Refusal.invalid("Write an author's name, as arXiv lists it (at most 200 characters).") }
        let slug = Slug.stable(Self.firstNameFirst(trimmed))
        let papers = try await store.papers(authorSlug: slug, offset: 0, limit: Self.maxPerClaim).items
        var similar: [Author] = []
        if papers.isEmpty, let surname = Slug.make(Self.firstNameFirst(trimmed)).split(separator: "-").last {
            similar = try await store.authors(slugContaining: String(surname), offset: 0, limit: 10).items
        }
        return Candidates(papers: papers, unknown: papers.isEmpty ? [trimmed] : [], alreadyMine: try await mine(user),
                          similarNames: similar)
    }

    /// The papers a BibTeX file names by arXiv id. A file that cannot be
    /// read is refused with the line and column of the fault.
    public func fromBibTeX(_ text: String, for user: User) async throws -> Candidates {
        guard text.utf8.count <= Self.maxUploadBytes else { throw Refusal.invalid("The file is over \(Self.maxUploadBytes / 1_000_000) MB: upload your own papers only.") }
        let references: [BibTeXReader.Reference]
        do { references = try BibTeXReader.references(in: text) } catch { throw Refusal.invalid("This BibTeX file cannot be read: \(error)") }
        guard !references.isEmpty else { throw Refusal.invalid("This file has no BibTeX entries (@article{…}, @misc{…}).") }
        var ids: [String] = [], unknown: [String] = []
        for reference in references {
            if let id = reference.arxivID { ids.append(id.base) } else {
                unknown.append("\(reference.key) (line \(reference.line)): no arXiv id" + (reference.title.map { ", “\($0.prefix(100))”" } ?? ""))
            }
        }
        var found = try await candidates(ids, for: user)
        found.unknown = unknown + found.unknown
        return found
    }

    /// The papers of a pasted list of arXiv ids or addresses, one a line or
    /// separated by spaces or commas. What is not an id is reported as it was written.
    public func fromIDList(_ text: String, for user: User) async throws -> Candidates {
        guard text.utf8.count <= Self.maxUploadBytes else { throw Refusal.invalid("The list is too long: upload your own papers only.") }
        let words = text.split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == ";" }).map(String.init)
        guard !words.isEmpty else { throw Refusal.invalid("Paste arXiv ids (such as 2410.17243) or arXiv addresses, one a line.") }
        var ids: [String] = [], unknown: [String] = []
        for word in words {
            if let id = ArxivID.parse(word) { ids.append(id.base) } else { unknown.append("\(word.prefix(100)): not an arXiv id") }
        }
        var found = try await candidates(ids, for: user)
        found.unknown = unknown + found.unknown
        return found
    }

    /// Papers by id, in the order given, once each; ids Quire does not hold are `unknown`.
    func candidates(_ ids: [String], for user: User) async throws -> Candidates {
        var seen = Set<String>()
        let unique = ids.filter { seen.insert($0).inserted }
        guard unique.count <= Self.maxPerClaim else {
            throw Refusal.ruleBroken("\(unique.count) papers at once: at most \(Self.maxPerClaim), please.")
        }
        let held = Dictionary(try await store.papers(ids: unique).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return Candidates(papers: unique.compactMap { held[$0] },
                          unknown: unique.filter { held[$0] == nil }.map { "\($0): not on this server" },
                          alreadyMine: try await mine(user), similarNames: [])
    }

    /// Claims the confirmed papers. Ids that are not papers are returned, not
    /// claimed; past the signals' cap the rest is refused (`.ruleBroken`),
    /// what was claimed before it stays.
    public func claim(_ ids: [String], by user: User) async throws -> (claimed: [String], unknown: [String]) {
        var seen = Set<String>()
        let unique = ids.filter { seen.insert($0).inserted }
        guard !unique.isEmpty else { throw Refusal.invalid("Tick at least one paper that is yours.") }
        guard unique.count <= Self.maxPerClaim else { throw Refusal.ruleBroken("\(unique.count) papers at once: at most \(Self.maxPerClaim), please.") }
        let held = Set(try await store.papers(ids: unique).map(\.id))
        var claimed: [String] = []
        for id in unique where held.contains(id) {
            try await signals.set(.mine, on: true, paperID: id, by: user)
            claimed.append(id)
        }
        return (claimed, unique.filter { !held.contains($0) })
    }

    /// Takes a claim back (harmless when it was not claimed).
    public func remove(_ paperID: String, by user: User) async throws {
        try await signals.set(.mine, on: false, paperID: paperID, by: user)
    }

    /// The reader's own papers, most recently claimed first.
    public func list(of user: User) async throws -> [Paper] {
        let ids = try await signals.signals(of: user).filter { $0.kind == .mine }.map(\.paperID)
        let papers = Dictionary(try await store.papers(ids: ids).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return ids.compactMap { papers[$0] }
    }

    private func mine(_ user: User) async throws -> Set<String> {
        Set(try await signals.signals(of: user).filter { $0.kind == .mine }.map(\.paperID))
    }

    /// "Doe, Jane" → "Jane Doe"; other names as they are.
    static func firstNameFirst(_ name: String) -> String {
        let parts = name.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return name }
        return parts[1] + " " + parts[0]
    }
}
