import Foundation
import QuireCore
import Search
import Storage

/// A reader's digest: its settings, what they follow, the searches it
/// runs, and turning it off.
public struct DigestActions: Sendable {
    public static let weekdays = 1...7
    public static let hours = 0...23
    /// Papers per section of a digest.
    public static let papersPerSection = 1...50

    let store: any DigestStore & PaperStore
    let now: @Sendable () -> Date

    public init(store: any DigestStore & PaperStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store; self.now = now
    }

    /// Saves the reader's settings after checking them (`.invalid` saying
    /// which). A digest turned on starts counting from now: it never
    /// backfills; one already on keeps its start.
    public func subscribe(_ settings: Subscription, by user: User) async throws {
        guard Self.weekdays.contains(settings.weekday), Self.hours.contains(settings.hour) else {
            throw Refusal.invalid("Choose a weekday and an hour from the lists.")
        }
        guard let timeZone = TimeZoneName.resolve(settings.timeZone) else {
            throw Refusal.invalid("'\(settings.timeZone.prefix(60))' is not a time zone: write one like Europe/Paris, America/New_York or UTC.")
        }
        guard Self.papersPerSection.contains(settings.maxPapers) else {
            throw Refusal.invalid("Papers per section must be a number from \(Self.papersPerSection.lowerBound) to \(Self.papersPerSection.upperBound).")
        }
        var subscription = settings
        subscription.timeZone = timeZone
        let existing = try await store.subscription(userID: user.id)
        subscription.createdAt = existing.map { $0.frequency == .off && settings.frequency != .off ? now() : $0.createdAt } ?? now()
        try await store.saveSubscription(subscription, userID: user.id)
    }

    /// Turns the reader's digest off (an unsubscribe link), if it is on.
    public func unsubscribe(_ user: User) async throws {
        guard var subscription = try await store.subscription(userID: user.id), subscription.frequency != .off else { return }
        subscription.frequency = .off
        try await store.saveSubscription(subscription, userID: user.id)
    }

    /// Follows (or stops following) an author or organization Quire knows.
    public func follow(_ follow: Follow, on: Bool, by user: User) async throws {
        let exists = switch follow.kind {
        case .author: try await store.author(slug: follow.slug) != nil
        case .organization: try await store.organization(slug: follow.slug) != nil
        }
        guard exists else { throw Refusal.notFound("Quire knows no \(follow.kind.rawValue) '\(follow.slug.prefix(100))'") }
        try await store.setFollow(follow, userID: user.id, on: on, now: now())
    }

    /// A follow with the name readers know it by ("Grace Hopper", not "grace-hopper").
    public struct NamedFollow: Sendable, Equatable {
        public var follow: Follow
        public var name: String
    }

    /// The reader's follows by name, in alphabetical order. One that Quire no
    /// longer knows keeps its slug as name, so it can still be unfollowed.
    public func namedFollows(of user: User) async throws -> [NamedFollow] {
        var named: [NamedFollow] = []
        for follow in try await store.follows(userID: user.id) {
            let name = switch follow.kind {
            case .author: try await store.author(slug: follow.slug)?.name
            case .organization: try await store.organization(slug: follow.slug)?.name
            }
            named.append(NamedFollow(follow: follow, name: name ?? follow.slug))
        }
        return named.sorted { $0.name.localizedCaseInsensitiveCompare($1.name) == .orderedAscending }
    }

    /// Keeps a search for the reader (and their digest): text the search
    /// understands, at most `SearchService.maxQueryLength` characters, else
    /// `.invalid`. Saving one again finds the one kept. A reader keeps at most
    /// `SavedSearch.maxPerReader` (`.ruleBroken` past it), counted by the
    /// store's conditional write, so concurrent requests cannot pass it.
    /// `categories` (the search's `category=`) are kept with it: its alert
    /// and feed narrow to them too.
    public func saveSearch(_ text: String, categories: CategorySelection = .everything, by user: User) async throws -> SavedSearch {
        guard text.count <= SearchService.maxQueryLength, let query = try? SearchQuery.parse(text), !query.isEmpty else {
            throw Refusal.invalid("there is no search to save in '\(text.prefix(60))'")
        }
        switch try await store.saveSearch(query: text, categories: categories.categories, userID: user.id, now: now(), ifFewerThan: SavedSearch.maxPerReader) {
        case .saved(let search):
            return search
        case .capReached(let count):
            throw Refusal.ruleBroken("you have \(count) saved searches, the most one reader may keep: delete one first")
        }
    }

    /// Mails (or stops mailing) the search's new matches in the digest. Only
    /// the reader's own searches: another's is `.notFound`, as a missing one.
    public func setSearchAlert(_ id: Int, on: Bool, by user: User) async throws {
        try await store.setSearchAlert(id: id, userID: user.id, alert: on)
    }

    /// Forgets one of the reader's searches (another's is `.notFound`).
    public func deleteSearch(_ id: Int, by user: User) async throws {
        try await store.deleteSearch(id: id, userID: user.id)
    }
}
