import Foundation
import QuireCore
import Storage

/// A reader's mutes: words and phrases, authors, categories. The rules:
/// what each kind accepts and how it is kept (a phrase lowercased with its
/// spaces collapsed, an author by the slug of an author Quire knows, a
/// category as arXiv spells it), the cap, and the opt-in that extends them
/// from "For you" and its digest section to every list. `MuteRule` says
/// which papers they hide.
public struct MuteActions: Sendable {
    public static let maxMutes = 200
    public static let phraseLength = 1...100

    let store: any MuteStore & PaperStore
    let now: @Sendable () -> Date

    public init(store: any MuteStore & PaperStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store; self.now = now
    }

    /// A mute with the name a page shows it by (the author's name, not the slug).
    public struct Named: Sendable, Equatable {
        public var mute: Mute
        public var name: String
    }

    /// What `text` mutes as `kind`, normalized; `.invalid` or `.notFound` with what to write instead.
    public func mute(_ kind: Mute.Kind, _ text: String) async throws -> Mute {
        let trimmed = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        switch kind {
        case .phrase:
            guard Self.phraseLength.contains(trimmed.count), !MuteRule.words(trimmed).isEmpty else {
                throw Refusal.invalid("a muted word or phrase has \(Self.phraseLength.lowerBound) to \(Self.phraseLength.upperBound) characters, with a letter or digit")
            }
            return Mute(kind: .phrase, value: trimmed.lowercased())
        case .author:
            let slug = Slug.stable(String(trimmed.prefix(200)))
            guard !trimmed.isEmpty, try await store.author(slug: slug) != nil else {
                throw Refusal.notFound("no author '\(trimmed.prefix(100))' on Quire: write the name as a paper lists it")
            }
            return Mute(kind: .author, value: slug)
        case .category:
            guard let category = ArxivCategories.canonical(trimmed) else {
                throw Refusal.invalid("'\(trimmed.prefix(40))' is not a category: write \(ArxivCategories.validForm)")
            }
            return Mute(kind: .category, value: category)
        }
    }

    /// Adds a mute; past the cap, `.ruleBroken`.
    public func add(_ kind: Mute.Kind, _ text: String, by user: User) async throws -> Mute {
        let mute = try await mute(kind, text)
        if case .capReached(let kept) = try await store.setMute(mute, on: true, userID: user.id, now: now(), ifFewerThan: Self.maxMutes) {
            throw Refusal.ruleBroken("you keep \(kept) mutes, the most a reader may: remove some first")
        }
        return mute
    }

    public func remove(_ mute: Mute, by user: User) async throws {
        _ = try await store.setMute(mute, on: false, userID: user.id, now: now(), ifFewerThan: Self.maxMutes)
    }

    public func setEverywhere(_ everywhere: Bool, by user: User) async throws {
        try await store.setMutesEverywhere(everywhere, userID: user.id)
    }

    public func settings(of user: User) async throws -> MuteSettings {
        try await store.muteSettings(userID: user.id)
    }

    /// The reader's mutes with their names, in `Mute.listed` order.
    public func named(_ settings: MuteSettings) async throws -> [Named] {
        var named: [Named] = []
        for mute in settings.mutes {
            let name = mute.kind == .author ? try await store.author(slug: mute.value)?.name ?? mute.value : mute.value
            named.append(Named(mute: mute, name: name))
        }
        return named
    }

    /// What hides papers in "For you" and the digest's "For you" section.
    public func feedRule(for user: User) async throws -> MuteRule {
        MuteRule(try await settings(of: user).mutes)
    }

    /// What hides papers in every other list: the mutes when the reader opted in, else nothing.
    public func listRule(for user: User?) async throws -> MuteRule {
        guard let user else { return MuteRule([]) }
        let settings = try await settings(of: user)
        return MuteRule(settings.everywhere ? settings.mutes : [])
    }
}
