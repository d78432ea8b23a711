import Foundation
import QuireCore

/// A reader's email digest: how often, at what local hour, and what goes in.
public struct Subscription: Sendable, Codable, Equatable {
    public enum Frequency: String, Sendable, Codable, CaseIterable {
        /// Monday to Friday, when the daily list is fresh.
        case daily
        case weekly
        case off
    }

    public var frequency: Frequency
    /// For weekly digests: 1 = Monday … 7 = Sunday (ISO).
    public var weekday: Int
    /// Local hour, 0-23, in `timeZone`.
    public var hour: Int
    /// An IANA name ("Europe/Paris").
    public var timeZone: String
    public var includeTop: Bool
    public var includeTrending: Bool
    public var includeFollowed: Bool
    public var includeSavedSearches: Bool
    /// The reader's own picks ("For you"), among the papers of the digest's window.
    public var includeForYou: Bool
    /// Papers per section.
    public var maxPapers: Int
    public var createdAt: Date

    public init(frequency: Frequency = .daily, weekday: Int = 1, hour: Int = 7, timeZone: String = "UTC",
                includeTop: Bool = true, includeTrending: Bool = false, includeFollowed: Bool = true,
                includeSavedSearches: Bool = true, includeForYou: Bool = true, maxPapers: Int = 10, createdAt: Date = Date()) {
        self.frequency = frequency; self.weekday = weekday; self.hour = hour; self.timeZone = timeZone
        self.includeTop = includeTop; self.includeTrending = includeTrending; self.includeFollowed = includeFollowed
        self.includeSavedSearches = includeSavedSearches; self.includeForYou = includeForYou; self.maxPapers = maxPapers
        self.createdAt = createdAt
    }
}

/// An author or organization a reader follows, by slug.
public struct Follow: Sendable, Codable, Equatable, Hashable {
    public enum Kind: String, Sendable, Codable { case author, organization }
    public var kind: Kind
    public var slug: String
    public init(kind: Kind, slug: String) { self.kind = kind; self.slug = slug }
}

/// A search a reader keeps; with `alert` on, its new matches are mailed.
public struct SavedSearch: Sendable, Codable, Equatable {
    /// Each saved search with an alert runs in every digest of its reader:
    /// the cap (`DigestActions.saveSearch`) bounds what one account can make a digest run do.
    public static let maxPerReader = 50

    public var id: Int
    public var query: String
    /// `category=` the search was made with (`ArxivCategories` spellings,
    /// sorted; "cs" means every cs.*), none for every category. The same
    /// words in other categories are another saved search.
    public var categories: [String]
    public var alert: Bool
    public var createdAt: Date
    public init(id: Int, query: String, categories: [String] = [], alert: Bool, createdAt: Date) {
        self.id = id; self.query = query; self.categories = categories; self.alert = alert; self.createdAt = createdAt
    }

    /// How the categories are kept in one text column: space-separated ("" for none).
    public static func storedCategories(_ categories: [String]) -> String { categories.joined(separator: " ") }
    public static func categories(stored: String) -> [String] { stored.split(separator: " ").map(String.init) }
}

/// What `DigestStore.saveSearch` did.
public enum SavedSearchWrite: Sendable, Equatable {
    /// Saved now, or saved before (a repeat is not an error).
    case saved(SavedSearch)
    /// The reader keeps this many searches: the cap or more. Nothing was written.
    case capReached(Int)
}

/// One mail to one reader for one slot ("digest" on 2026-11-23): the ledger
/// that makes sending exactly-once.
public struct Delivery: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        /// Claimed; the mail may be on its way.
        case sending
        case sent
        /// Nothing new: no mail.
        case skipped
        /// Refused for good (a permanent SMTP error); not retried.
        case failed
    }
    public var id: Int
    public var userID: Int
    public var kind: String
    public var slot: String
    public var status: Status
    public var messageID: String
    public var paperIDs: [String]
    public var attempts: Int
    public var lastError: String?
    public var claimedAt: Date
    public var finishedAt: Date?
    public init(id: Int, userID: Int, kind: String, slot: String, status: Status, messageID: String, paperIDs: [String], attempts: Int, lastError: String?, claimedAt: Date, finishedAt: Date?) {
        self.id = id; self.userID = userID; self.kind = kind; self.slot = slot; self.status = status; self.messageID = messageID; self.paperIDs = paperIDs; self.attempts = attempts; self.lastError = lastError; self.claimedAt = claimedAt; self.finishedAt = finishedAt
    }
}

/// What `claimDelivery` found.
public enum DeliveryClaim: Sendable, Equatable {
    /// This caller owns the delivery now (new, or taken over from a sender
    /// that died mid-way) and must send it, then record the outcome.
    case claimed(Delivery)
    /// Already sent, skipped or failed for good: nothing to do.
    case finished(Delivery)
    /// Another sender claimed it moments ago.
    case inProgress
}

/// Where digests' settings and their delivery ledger live.
public protocol DigestStore: Sendable {
    func subscription(userID: Int) async throws -> Subscription?
    /// Stores the settings as given, `createdAt` included (when a digest
    /// starts counting is `DigestActions`' rule).
    func saveSubscription(_ subscription: Subscription, userID: Int) async throws
    /// Readers with a digest that is not off, and their settings.
    func activeSubscriptions() async throws -> [(user: User, subscription: Subscription)]

    func follows(userID: Int) async throws -> [Follow]
    func setFollow(_ follow: Follow, userID: Int, on: Bool, now: Date) async throws

    /// The categories a reader's lists show when the address names none
    /// (`ArxivCategories` spellings, checked by `CategoryDefaultActions`), sorted.
    func defaultCategories(userID: Int) async throws -> [String]
    /// Replaces them all, in one transaction; none for every category.
    func setDefaultCategories(_ categories: [String], userID: Int) async throws

    func savedSearches(userID: Int) async throws -> [SavedSearch]
    /// Saves a search, or finds the one the reader saved already, unless the
    /// reader keeps `cap` searches or more: checked and written in one
    /// transaction, so concurrent requests cannot pass the cap. The cap is
    /// `DigestActions`' rule.
    func saveSearch(query: String, categories: [String], userID: Int, now: Date, ifFewerThan cap: Int) async throws -> SavedSearchWrite
    func setSearchAlert(id: Int, userID: Int, alert: Bool) async throws
    func deleteSearch(id: Int, userID: Int) async throws

    /// Takes the delivery of (user, kind, slot): creates it, or takes over
    /// one left `sending` longer than `staleAfter` ago by a sender that died.
    func claimDelivery(userID: Int, kind: String, slot: String, messageID: String, now: Date, staleAfter: TimeInterval) async throws -> DeliveryClaim
    /// Records, before sending, which papers the mail holds.
    func recordDeliveryContent(id: Int, paperIDs: [String]) async throws
    /// Notes a temporary failure; the delivery stays `sending` for a later run to take over.
    func recordDeliveryError(id: Int, error: String) async throws
    func finishDelivery(id: Int, status: Delivery.Status, paperIDs: [String], error: String?, now: Date) async throws
    /// Papers already mailed (or being mailed) to the reader under `kind`
    /// since `since`, other than in `excludingDelivery`: never mailed twice.
    func mailedPaperIDs(userID: Int, kind: String, since: Date, excludingDelivery: Int?) async throws -> Set<String>
    /// The delivery of (user, kind, slot), if there is one.
    func delivery(userID: Int, kind: String, slot: String) async throws -> Delivery?
    /// When the last mail of `kind` went to the reader.
    func lastDelivery(userID: Int, kind: String) async throws -> Delivery?
    func deliveries(userID: Int) async throws -> [Delivery]

    /// Papers put on the list in [from, to) by followed authors and organizations.
    func papersFollowed(by userID: Int, from: Day, to: Day, limit: Int) async throws -> [Paper]

    /// A server secret shared by every `quire serve` on this database (made on first use).
    func secret(named name: String) async throws -> String
}
