import Foundation
import PostgresNIO
import QuireCore
import Storage

/// Digest settings and the delivery ledger in PostgreSQL. The ledger's
/// UNIQUE (user_id, kind, slot) decides who sends a digest: of several
/// servers claiming one slot at once, one inserts the row and the others
/// wait for its commit and find it taken.
extension PostgresStore: DigestStore {
    static let subscriptionColumns = """
        s.frequency, s.weekday, s.hour, s.time_zone, s.include_top, s.include_trending, s.include_followed,
        s.include_saved_searches, s.max_papers, s.created_at, s.include_for_you
        """
    typealias SubscriptionRow = (String, Int, Int, String, Bool, Bool, Bool, Bool, Int, Date, Bool)
    static func subscription(_ r: SubscriptionRow) -> Subscription {
        Subscription(frequency: Subscription.Frequency(rawValue: r.0) ?? .off, weekday: r.1, hour: r.2, timeZone: r.3, includeTop: r.4,
                     includeTrending: r.5, includeFollowed: r.6, includeSavedSearches: r.7, includeForYou: r.10,
                     maxPapers: r.8, createdAt: r.9)
    }

    public func subscription(userID: Int) async throws -> Subscription? {
        try await execute("SELECT \(unescaped: Self.subscriptionColumns) FROM subscriptions s WHERE s.user_id = \(userID)")
            .first(SubscriptionRow.self).map(Self.subscription)
    }

    public func saveSubscription(_ s: Subscription, userID: Int) async throws {
        try await write("""
                INSERT INTO subscriptions (user_id, frequency, weekday, hour, time_zone, include_top, include_trending, include_followed,
                    include_saved_searches, include_for_you, max_papers, created_at, updated_at)
                VALUES (\(userID), \(s.frequency.rawValue), \(s.weekday), \(s.hour), \(s.timeZone), \(s.includeTop), \(s.includeTrending),
                    \(s.includeFollowed), \(s.includeSavedSearches), \(s.includeForYou), \(s.maxPapers), \(s.createdAt), now())
                ON CONFLICT (user_id) DO UPDATE SET frequency = excluded.frequency, weekday = excluded.weekday, hour = excluded.hour,
                    time_zone = excluded.time_zone, include_top = excluded.include_top, include_trending = excluded.include_trending,
                    include_followed = excluded.include_followed, include_saved_searches = excluded.include_saved_searches,
                    include_for_you = excluded.include_for_you, max_papers = excluded.max_papers, created_at = excluded.created_at, updated_at = excluded.updated_at
                """)
    }

    public func activeSubscriptions() async throws -> [(user: User, subscription: Subscription)] {
        try await execute("""
            SELECT \(unescaped: Self.userColumns), \(unescaped: Self.subscriptionColumns) FROM subscriptions s JOIN users u ON u.id = s.user_id
            WHERE s.frequency <> 'off' ORDER BY u.id
            """).all((Int, String, String, Date?, String, Date, String, Int, Int, String, Bool, Bool, Bool, Bool, Int, Date, Bool).self).map { r in
            (Self.user((r.0, r.1, r.2, r.3, r.4, r.5)), Self.subscription((r.6, r.7, r.8, r.9, r.10, r.11, r.12, r.13, r.14, r.15, r.16)))
        }
    }

    public func follows(userID: Int) async throws -> [Follow] {
        try await execute("SELECT kind, slug FROM follows WHERE user_id = \(userID) ORDER BY kind, slug").all((String, String).self).map {
            Follow(kind: Follow.Kind(rawValue: $0.0) ?? .author, slug: $0.1)
        }
    }

    public func setFollow(_ follow: Follow, userID: Int, on: Bool, now: Date) async throws {
        if on {
            try await write("""
                INSERT INTO follows (user_id, kind, slug, created_at) VALUES (\(userID), \(follow.kind.rawValue), \(follow.slug), \(now))
                ON CONFLICT DO NOTHING
                """)
        } else {
            try await write("DELETE FROM follows WHERE user_id = \(userID) AND kind = \(follow.kind.rawValue) AND slug = \(follow.slug)")
        }
    }

    public func defaultCategories(userID: Int) async throws -> [String] {
        try await execute("SELECT category FROM reader_categories WHERE user_id = \(userID) ORDER BY category").all(String.self)
    }

    public func setDefaultCategories(_ categories: [String], userID: Int) async throws {
        try await write { db in
            try await db.run("DELETE FROM reader_categories WHERE user_id = \(userID)", logger)
            for category in Set(categories) {
                try await db.run("INSERT INTO reader_categories (user_id, category) VALUES (\(userID), \(category))", logger)
            }
        }
    }

    static func savedSearch(_ r: (Int, String, Bool, Date, String)) -> SavedSearch {
        SavedSearch(id: r.0, query: r.1, categories: SavedSearch.categories(stored: r.4), alert: r.2, createdAt: r.3)
    }

    public func savedSearches(userID: Int) async throws -> [SavedSearch] {
        try await execute("SELECT id, query, alert, created_at, categories FROM saved_searches WHERE user_id = \(userID) ORDER BY id")
            .all((Int, String, Bool, Date, String).self).map(Self.savedSearch)
    }

    public func saveSearch(query: String, categories: [String], userID: Int, now: Date, ifFewerThan cap: Int) async throws -> SavedSearchWrite {
        let stored = SavedSearch.storedCategories(categories)
        return try await write { db in
            // The reader's row lock makes their saves take turns, so the count sees each one.
            guard try await db.run("SELECT id FROM users WHERE id = \(userID) FOR NO KEY UPDATE", logger).value(Int.self) != nil else {
                throw Refusal.notFound("no such user")
            }
            let find: PostgresQuery = """
                SELECT id, query, alert, created_at, categories FROM saved_searches
                WHERE user_id = \(userID) AND query = \(query) AND categories = \(stored)
                """
            if let existing = try await db.run(find, logger).first((Int, String, Bool, Date, String).self) { return .saved(Self.savedSearch(existing)) }
            let count = try await db.run("SELECT count(*) FROM saved_searches WHERE user_id = \(userID)", logger).value(Int.self) ?? 0
            if count >= cap { return .capReached(count) }
            guard let saved = try await db.run("""
                INSERT INTO saved_searches (user_id, query, categories, created_at) VALUES (\(userID), \(query), \(stored), \(now))
                RETURNING id, query, alert, created_at, categories
                """, logger).first((Int, String, Bool, Date, String).self) else {
                throw Refusal.notFound("the saved search vanished while it was being saved")
            }
            return .saved(Self.savedSearch(saved))
        }
    }

    public func setSearchAlert(id: Int, userID: Int, alert: Bool) async throws {
        try await write { db in
            guard try await db.run("UPDATE saved_searches SET alert = \(alert) WHERE id = \(id) AND user_id = \(userID) RETURNING id", logger)
                .value(Int.self) != nil else { throw Refusal.notFound("you have no saved search \(id)") }
        }
    }

    public func deleteSearch(id: Int, userID: Int) async throws {
        try await write { db in
            guard try await db.run("DELETE FROM saved_searches WHERE id = \(id) AND user_id = \(userID) RETURNING id", logger)
                .value(Int.self) != nil else { throw Refusal.notFound("you have no saved search \(id)") }
        }
    }

    // MARK: The delivery ledger

    static let deliveryColumns = "id, user_id, kind, slot, status, message_id, paper_ids, attempts, last_error, claimed_at, finished_at"
    typealias DeliveryRow = (Int, Int, String, String, String, String, String, Int, String?, Date, Date?)
    static func delivery(_ r: DeliveryRow) -> Delivery {
        Delivery(id: r.0, userID: r.1, kind: r.2, slot: r.3, status: Delivery.Status(rawValue: r.4) ?? .failed, messageID: r.5,
                 paperIDs: r.6.split(separator: " ").map(String.init), attempts: r.7, lastError: r.8, claimedAt: r.9, finishedAt: r.10)
    }

    public func claimDelivery(userID: Int, kind: String, slot: String, messageID: String, now: Date, staleAfter: TimeInterval) async throws -> DeliveryClaim {
        try await write { db in
            // A claim being made elsewhere makes this INSERT wait for its commit, and then do nothing.
            if let made = try await db.run("""
                INSERT INTO digest_deliveries (user_id, kind, slot, status, message_id, claimed_at)
                VALUES (\(userID), \(kind), \(slot), 'sending', \(messageID), \(now))
                ON CONFLICT (user_id, kind, slot) DO NOTHING RETURNING \(unescaped: Self.deliveryColumns)
                """, logger).first(DeliveryRow.self) {
                return .claimed(Self.delivery(made))
            }
            // Locked: of two senders taking over a stale claim, the second sees the first's fresh one.
            guard let row = try await db.run("""
                SELECT \(unescaped: Self.deliveryColumns) FROM digest_deliveries WHERE user_id = \(userID) AND kind = \(kind) AND slot = \(slot) FOR UPDATE
                """, logger).first(DeliveryRow.self) else { throw Refusal.notFound("the delivery vanished while it was claimed") }
            let existing = Self.delivery(row)
            guard existing.status == .sending else { return .finished(existing) }
            guard now.timeIntervalSince(existing.claimedAt) >= staleAfter else { return .inProgress }
            // The sender that claimed it died mid-way: take it over, keeping its
            // Message-ID so a mail that did go out is recognisably the same one.
            guard let taken = try await db.run("""
                UPDATE digest_deliveries SET claimed_at = \(now), attempts = attempts + 1 WHERE id = \(existing.id) RETURNING \(unescaped: Self.deliveryColumns)
                """, logger).first(DeliveryRow.self) else { throw Refusal.notFound("the delivery vanished while it was claimed") }
            return .claimed(Self.delivery(taken))
        }
    }

    public func finishDelivery(id: Int, status: Delivery.Status, paperIDs: [String], error: String?, now: Date) async throws {
        try await write("""
            UPDATE digest_deliveries SET status = \(status.rawValue), paper_ids = \(paperIDs.joined(separator: " ")), last_error = \(error),
                finished_at = \(now) WHERE id = \(id)
            """)
    }

    public func recordDeliveryContent(id: Int, paperIDs: [String]) async throws {
        try await write("UPDATE digest_deliveries SET paper_ids = \(paperIDs.joined(separator: " ")) WHERE id = \(id)")
    }

    public func recordDeliveryError(id: Int, error: String) async throws {
        try await write("UPDATE digest_deliveries SET last_error = \(error) WHERE id = \(id)")
    }

    public func mailedPaperIDs(userID: Int, kind: String, since: Date, excludingDelivery: Int?) async throws -> Set<String> {
        var ids = Set<String>()
        for list in try await execute("""
            SELECT paper_ids FROM digest_deliveries
            WHERE user_id = \(userID) AND kind = \(kind) AND status IN ('sent', 'sending') AND claimed_at >= \(since)
              AND id IS DISTINCT FROM \(excludingDelivery)
            """).all(String.self) {
            ids.formUnion(list.split(separator: " ").map(String.init))
        }
        return ids
    }

    public func delivery(userID: Int, kind: String, slot: String) async throws -> Delivery? {
        try await execute("""
            SELECT \(unescaped: Self.deliveryColumns) FROM digest_deliveries WHERE user_id = \(userID) AND kind = \(kind) AND slot = \(slot)
            """).first(DeliveryRow.self).map(Self.delivery)
    }

    public func lastDelivery(userID: Int, kind: String) async throws -> Delivery? {
        try await execute("""
            SELECT \(unescaped: Self.deliveryColumns) FROM digest_deliveries WHERE user_id = \(userID) AND kind = \(kind) AND status = 'sent'
            ORDER BY claimed_at DESC, id DESC LIMIT 1
            """).first(DeliveryRow.self).map(Self.delivery)
    }

    public func deliveries(userID: Int) async throws -> [Delivery] {
        try await execute("SELECT \(unescaped: Self.deliveryColumns) FROM digest_deliveries WHERE user_id = \(userID) ORDER BY id")
            .all(DeliveryRow.self).map(Self.delivery)
    }

    public func papersFollowed(by userID: Int, from: Day, to: Day, limit: Int) async throws -> [Paper] {
        try await withConnection { db in
            try await Self.loadPapers(db, logger, where: """
                p.list_day >= \(from.description) AND p.list_day < \(to.description) AND (
                  p.organization_id IN (SELECT o.id FROM organizations o JOIN follows f ON f.slug = o.slug AND f.kind = 'organization' WHERE f.user_id = \(userID))
                  OR p.seq IN (SELECT pa.paper_seq FROM paper_authors pa JOIN authors a ON a.id = pa.author_id
                               JOIN follows f ON f.slug = a.slug AND f.kind = 'author' WHERE f.user_id = \(userID)))
                """, order: "p.upvotes + p.reader_upvotes DESC, p.seq DESC", limit: max(0, limit)).map(\.paper)
        }
    }

    public func secret(named name: String) async throws -> String {
        try await write { db in
            // Made once: of two servers starting together, the second's INSERT waits and does nothing, and both read the first's.
            try await db.run("INSERT INTO server_secrets (name, value) VALUES (\(name), \(SecretText.random())) ON CONFLICT (name) DO NOTHING", logger)
            guard let value = try await db.run("SELECT value FROM server_secrets WHERE name = \(name)", logger).value(String.self) else {
                throw Refusal.notFound("the secret '\(name)' vanished as it was made")
            }
            return value
        }
    }
}
