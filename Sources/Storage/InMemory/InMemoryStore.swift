import Foundation
import QuireCore

/// Every store protocol held in memory: the second implementation beside
/// SQLite. Tests of the code above the store run against it in microseconds,
/// and the store contract tests (`Tests/QuireTests/StoreContract`) run the
/// same checks against it and SQLite, so each protocol's meaning is pinned
/// down by more than one database before the PostgreSQL store arrives.
///
/// An actor: each call runs alone, and no method suspends in its middle, so
/// every call is one transaction, as it is in SQLite. Dates are kept to the
/// whole second, as SQLite's timestamps are, so both answer the same.
/// Searches are naive (word matching, linear scans): right, not fast.
public actor InMemoryStore {
    public init() {}

    /// Grows with every change to anything below (each `didSet`): what page
    /// caches are keyed by (`ChangeTracking`). Only this process writes here.
    private var generation: UInt64 = 0

    // MARK: Papers (InMemoryStore+Papers.swift)

    struct StoredPaper {
        var seq: Int
        /// As merged, without its organization (`organizationSlug`), readers' upvotes (`readerUpvotes`) or summary.
        var paper: Paper
        var organizationSlug: String?
        var readerUpvotes = 0
        var embedding: (model: String, vector: [Float])?
        var summary: (model: String, summary: PaperSummary)?
    }
    var papers: [String: StoredPaper] = [:] { didSet { generation &+= 1 } }
    var lastPaperSeq = 0 { didSet { generation &+= 1 } }
    /// Display names by slug: the first name a slug was seen with, as in SQLite.
    var authorNames: [String: String] = [:] { didSet { generation &+= 1 } }
    var organizationNames: [String: String] = [:] { didSet { generation &+= 1 } }
    var checkpoints: [String: String] = [:] { didSet { generation &+= 1 } }
    /// The seq of the paper each text change touched; change n is element n - 1 (`PaperTextFeed`).
    var textChanges: [Int] = []

    // MARK: Accounts (InMemoryStore+Accounts.swift)

    struct StoredUser {
        var user: User
        var passwordHash: String
        var failedLogins = 0
        var lockedUntil: Date?
    }
    var users: [Int: StoredUser] = [:] { didSet { generation &+= 1 } }
    var lastUserID = 0 { didSet { generation &+= 1 } }
    var sessions: [String: (userID: Int, csrfToken: String, expiresAt: Date)] = [:] { didSet { generation &+= 1 } }
    var apiTokens: [Int: (userID: Int, tokenHash: String, token: APIToken)] = [:] { didSet { generation &+= 1 } }
    var lastAPITokenID = 0 { didSet { generation &+= 1 } }
    var oneTimeTokens: [String: (userID: Int, purpose: OneTimePurpose, expiresAt: Date, usedAt: Date?)] = [:] { didSet { generation &+= 1 } }

    // MARK: Signals (InMemoryStore+Signals.swift)

    struct UpvoteKey: Hashable { var userID: Int; var paperID: String }
    var upvotes: [UpvoteKey: Date] = [:] { didSet { generation &+= 1 } }
    /// By paper id: a paper is submitted once.
    var submissions: [String: (userID: Int, day: Day, comment: String?, createdAt: Date)] = [:] { didSet { generation &+= 1 } }
    struct StoredComment {
        var id: Int, paperID: String, userID: Int, parentID: Int?, body: String
        var createdAt: Date, editedAt: Date?, hidden = false, deleted = false
    }
    var comments: [Int: StoredComment] = [:] { didSet { generation &+= 1 } }
    var lastCommentID = 0 { didSet { generation &+= 1 } }
    struct StoredCollection {
        var id: Int, userID: Int, name: String, description: String, isPublic: Bool, createdAt: Date
        var entries: [String: (note: String, addedAt: Date)] = [:]
    }
    var collections: [Int: StoredCollection] = [:] { didSet { generation &+= 1 } }
    var lastCollectionID = 0 { didSet { generation &+= 1 } }
    /// Collections made interests (InMemoryStore+Interests.swift).
    var interestCollections: Set<Int> = [] { didSet { generation &+= 1 } }
    /// By organization slug, then user id.
    var memberships: [String: [Int: (role: MembershipRole, status: MembershipStatus, requestedAt: Date)]] = [:] { didSet { generation &+= 1 } }
    /// Organization slug by paper id: who claimed the paper.
    var claims: [String: String] = [:] { didSet { generation &+= 1 } }

    // MARK: Digests (InMemoryStore+Digests.swift)

    var subscriptions: [Int: Subscription] = [:] { didSet { generation &+= 1 } }
    var follows: [Int: Set<Follow>] = [:] { didSet { generation &+= 1 } }
    var defaultCategories: [Int: Set<String>] = [:] { didSet { generation &+= 1 } }
    var savedSearches: [Int: (userID: Int, search: SavedSearch)] = [:] { didSet { generation &+= 1 } }
    var lastSavedSearchID = 0 { didSet { generation &+= 1 } }
    var webhooks: [Int: Webhook] = [:] { didSet { generation &+= 1 } }
    var lastWebhookID = 0 { didSet { generation &+= 1 } }
    var deliveries: [Int: Delivery] = [:] { didSet { generation &+= 1 } }
    var lastDeliveryID = 0 { didSet { generation &+= 1 } }
    var secrets: [String: String] = [:] { didSet { generation &+= 1 } }

    // MARK: Feed signals (InMemoryStore+FeedSignals.swift)

    /// By user id, in the order they were set.
    var feedSignals: [Int: [FeedSignal]] = [:] { didSet { generation &+= 1 } }

    // MARK: Private feeds and mutes (InMemoryStore+PrivateFeeds.swift, InMemoryStore+Mutes.swift)

    var privateFeedTokenHashes: [Int: String] = [:] { didSet { generation &+= 1 } }
    var mutes: [Int: Set<Mute>] = [:] { didSet { generation &+= 1 } }
    var mutesEverywhere: Set<Int> = [] { didSet { generation &+= 1 } }

    // MARK: Trending code (InMemoryStore+CodeTrends.swift)

    /// Star counts by repository address, then day.
    var starCounts: [String: [Day: Int]] = [:] { didSet { generation &+= 1 } }
    var githubChecks: [String: (etag: String?, checkedAt: Date)] = [:] { didSet { generation &+= 1 } }

    // MARK: Shared

    /// A date as a store keeps it: to the whole second.
    static func stored(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }
}

extension InMemoryStore: ChangeTracking {
    public func changeGeneration() async -> UInt64? { generation }
}
