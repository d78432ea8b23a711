import Foundation
import QuireCore

extension SQLiteStore: DigestStore {
    private static let subscriptionColumns = """
        s.frequency, s.weekday, s.hour, s.time_zone, s.include_top, s.include_trending, s.include_followed,
        s.include_saved_searches, s.max_papers, s.created_at, s.include_for_you
        """
    private static func subscription(_ r: SQLiteConnection.Row, from c: Int32 = 0) -> Subscription {
        Subscription(frequency: Subscription.Frequency(rawValue: r.string(c)) ?? .off, weekday: r.int(c + 1), hour: r.int(c + 2),
                     timeZone: r.string(c + 3), includeTop: r.int(c + 4) != 0, includeTrending: r.int(c + 5) != 0,
                     includeFollowed: r.int(c + 6) != 0, includeSavedSearches: r.int(c + 7) != 0,
                     includeForYou: r.int(c + 10) != 0, maxPapers: r.int(c + 8),
                     createdAt: date(r.string(c + 9)) ?? Date(timeIntervalSince1970: 0))
    }

    public func subscription(userID: Int) async throws -> Subscription? {
        try await read { db in
            try db.queryOne("SELECT \(Self.subscriptionColumns) FROM subscriptions s WHERE s.user_id = ?", [userID]) { Self.subscription($0) }
        }
    }

    public func saveSubscription(_ s: Subscription, userID: Int) async throws {
        try await write { db in
            let now = Timestamp.format(Date())
            try db.run("""
                INSERT INTO subscriptions (user_id, frequency, weekday, hour, time_zone, include_top, include_trending, include_followed,
                    include_saved_searches, include_for_you, max_papers, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (user_id) DO UPDATE SET frequency = excluded.frequency, weekday = excluded.weekday, hour = excluded.hour,
                    time_zone = excluded.time_zone, include_top = excluded.include_top, include_trending = excluded.include_trending,
                    include_followed = excluded.include_followed, include_saved_searches = excluded.include_saved_searches,
                    include_for_you = excluded.include_for_you,
                    max_papers = excluded.max_papers, created_at = excluded.created_at, updated_at = excluded.updated_at
                """, [userID, s.frequency.rawValue, s.weekday, s.hour, s.timeZone, s.includeTop, s.includeTrending, s.includeFollowed,
                      s.includeSavedSearches, s.includeForYou, s.maxPapers, Timestamp.format(s.createdAt), now])
        }
    }

    public func activeSubscriptions() async throws -> [(user: User, subscription: Subscription)] {
        try await read { db in
            try db.query("""
                SELECT \(Self.userColumns), \(Self.subscriptionColumns) FROM subscriptions s JOIN users u ON u.id = s.user_id
                WHERE s.frequency <> 'off' ORDER BY u.id
                """) { (Self.user($0), Self.subscription($0, from: 6)) }
        }
    }

    public func follows(userID: Int) async throws -> [Follow] {
        try await read { db in
            try db.query("SELECT kind, slug FROM follows WHERE user_id = ? ORDER BY kind, slug", [userID]) {
                Follow(kind: Follow.Kind(rawValue: $0.string(0)) ?? .author, slug: $0.string(1))
            }
        }
    }

    public func setFollow(_ follow: Follow, userID: Int, on: Bool, now: Date) async throws {
        try await write { db in
            if on {
                try db.run("INSERT INTO follows (user_id, kind, slug, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                           [userID, follow.kind.rawValue, follow.slug, Timestamp.format(now)])
            } else {
                try db.run("DELETE FROM follows WHERE user_id = ? AND kind = ? AND slug = ?", [userID, follow.kind.rawValue, follow.slug])
            }
        }
    }

    public func defaultCategories(userID: Int) async throws -> [String] {
        try await read { db in
            try db.query("SELECT category FROM reader_categories WHERE user_id = ? ORDER BY category", [userID]) { $0.string(0) }
        }
    }

    public func setDefaultCategories(_ categories: [String], userID: Int) async throws {
        try await write { db in
            try db.transaction {
                try db.run("DELETE FROM reader_categories WHERE user_id = ?", [userID])
                for category in Set(categories) {
                    try db.run("INSERT INTO reader_categories (user_id, category) VALUES (?, ?)", [userID, category])
                }
            }
        }
    }

    private static func savedSearch(_ r: SQLiteConnection.Row) -> SavedSearch {
        SavedSearch(id: r.int(0), query: r.string(1), categories: SavedSearch.categories(stored: r.string(4)), alert: r.int(2) != 0,
                    createdAt: date(r.string(3)) ?? Date(timeIntervalSince1970: 0))
    }

    public func savedSearches(userID: Int) async throws -> [SavedSearch] {
        try await read { db in
            try db.query("SELECT id, query, alert, created_at, categories FROM saved_searches WHERE user_id = ? ORDER BY id", [userID], Self.savedSearch)
        }
    }

    public func saveSearch(query: String, categories: [String], userID: Int, now: Date, ifFewerThan cap: Int) async throws -> SavedSearchWrite {
        let stored = SavedSearch.storedCategories(categories)
        return try await write { db in
            try db.transaction {
                let find = "SELECT id, query, alert, created_at, categories FROM saved_searches WHERE user_id = ? AND query = ? AND categories = ?"
                if let existing = try db.queryOne(find, [userID, query, stored], Self.savedSearch) { return .saved(existing) }
                let count = try db.queryOne("SELECT count(*) FROM saved_searches WHERE user_id = ?", [userID]) { $0.int(0) } ?? 0
                if count >= cap { return .capReached(count) }
                try db.run("INSERT INTO saved_searches (user_id, query, categories, created_at) VALUES (?, ?, ?, ?)",
                           [userID, query, stored, Timestamp.format(now)])
                guard let saved = try db.queryOne(find, [userID, query, stored], Self.savedSearch) else {
                    throw Refusal.notFound("the saved search vanished while it was being saved")
                }
                return .saved(saved)
            }
        }
    }

    public func setSearchAlert(id: Int, userID: Int, alert: Bool) async throws {
        try await write { db in
            try db.run("UPDATE saved_searches SET alert = ? WHERE id = ? AND user_id = ?", [alert, id, userID])
            if db.changes == 0 { throw Refusal.notFound("you have no saved search \(id)") }
        }
    }

    public func deleteSearch(id: Int, userID: Int) async throws {
        try await write { db in
            try db.run("DELETE FROM saved_searches WHERE id = ? AND user_id = ?", [id, userID])
            if db.changes == 0 { throw Refusal.notFound("you have no saved search \(id)") }
        }
    }

    // MARK: The delivery ledger

    private static let deliveryColumns = "id, user_id, kind, slot, status, message_id, paper_ids, attempts, last_error, claimed_at, finished_at"
    private static func delivery(_ r: SQLiteConnection.Row) -> Delivery {
        Delivery(id: r.int(0), userID: r.int(1), kind: r.string(2), slot: r.string(3), status: Delivery.Status(rawValue: r.string(4)) ?? .failed,
                 messageID: r.string(5), paperIDs: r.string(6).split(separator: " ").map(String.init), attempts: r.int(7),
                 lastError: r.optionalString(8), claimedAt: date(r.string(9)) ?? Date(timeIntervalSince1970: 0), finishedAt: date(r.optionalString(10)))
    }

    public func claimDelivery(userID: Int, kind: String, slot: String, messageID: String, now: Date, staleAfter: TimeInterval) async throws -> DeliveryClaim {
        try await write { db in
            try db.transaction {
                let stamp = Timestamp.format(now)
                try db.run("""
                    INSERT INTO digest_deliveries (user_id, kind, slot, status, message_id, claimed_at) VALUES (?, ?, ?, 'sending', ?, ?)
                    ON CONFLICT (user_id, kind, slot) DO NOTHING
                    """, [userID, kind, slot, messageID, stamp])
                let inserted = db.changes > 0
                let existing = try db.queryOne("SELECT \(Self.deliveryColumns) FROM digest_deliveries WHERE user_id = ? AND kind = ? AND slot = ?",
                                               [userID, kind, slot], Self.delivery)!
                if inserted { return .claimed(existing) }
                guard existing.status == .sending else { return .finished(existing) }
                guard now.timeIntervalSince(existing.claimedAt) >= staleAfter else { return .inProgress }
                // The sender that claimed it died mid-way: take it over, keeping its
                // Message-ID so a mail that did go out is recognisably the same one.
                try db.run("UPDATE digest_deliveries SET claimed_at = ?, attempts = attempts + 1 WHERE id = ?", [stamp, existing.id])
                var taken = existing
                taken.claimedAt = now
                taken.attempts += 1
                return .claimed(taken)
            }
        }
    }

    public func finishDelivery(id: Int, status: Delivery.Status, paperIDs: [String], error: String?, now: Date) async throws {
        try await write { db in
            try db.run("UPDATE digest_deliveries SET status = ?, paper_ids = ?, last_error = ?, finished_at = ? WHERE id = ?",
                       [status.rawValue, paperIDs.joined(separator: " "), error, Timestamp.format(now), id])
        }
    }

    public func recordDeliveryContent(id: Int, paperIDs: [String]) async throws {
        try await write { db in try db.run("UPDATE digest_deliveries SET paper_ids = ? WHERE id = ?", [paperIDs.joined(separator: " "), id]) }
    }

    public func recordDeliveryError(id: Int, error: String) async throws {
        try await write { db in try db.run("UPDATE digest_deliveries SET last_error = ? WHERE id = ?", [error, id]) }
    }

    public func mailedPaperIDs(userID: Int, kind: String, since: Date, excludingDelivery: Int?) async throws -> Set<String> {
        try await read { db in
            var ids = Set<String>()
            for list in try db.query("""
                SELECT paper_ids FROM digest_deliveries
                WHERE user_id = ? AND kind = ? AND status IN ('sent', 'sending') AND claimed_at >= ? AND id IS NOT ?
                """, [userID, kind, Timestamp.format(since), excludingDelivery], { $0.string(0) }) {
                ids.formUnion(list.split(separator: " ").map(String.init))
            }
            return ids
        }
    }

    public func delivery(userID: Int, kind: String, slot: String) async throws -> Delivery? {
        try await read { db in
            try db.queryOne("SELECT \(Self.deliveryColumns) FROM digest_deliveries WHERE user_id = ? AND kind = ? AND slot = ?", [userID, kind, slot], Self.delivery)
        }
    }

    public func lastDelivery(userID: Int, kind: String) async throws -> Delivery? {
        try await read { db in
            try db.queryOne("""
                SELECT \(Self.deliveryColumns) FROM digest_deliveries WHERE user_id = ? AND kind = ? AND status = 'sent'
                ORDER BY claimed_at DESC, id DESC LIMIT 1
                """, [userID, kind], Self.delivery)
        }
    }

    public func deliveries(userID: Int) async throws -> [Delivery] {
        try await read { db in
            try db.query("SELECT \(Self.deliveryColumns) FROM digest_deliveries WHERE user_id = ? ORDER BY id", [userID], Self.delivery)
        }
    }

    public func papersFollowed(by userID: Int, from: Day, to: Day, limit: Int) async throws -> [Paper] {
        try await read { db in
            try Self.loadPapers(db, where: """
                p.list_day >= ? AND p.list_day < ? AND (
                  p.organization_id IN (SELECT o.id FROM organizations o JOIN follows f ON f.slug = o.slug AND f.kind = 'organization' WHERE f.user_id = ?)
                  OR p.seq IN (SELECT pa.paper_seq FROM paper_authors pa JOIN authors a ON a.id = pa.author_id
                               JOIN follows f ON f.slug = a.slug AND f.kind = 'author' WHERE f.user_id = ?))
                """, [from.description, to.description, userID, userID],
                order: "p.upvotes + p.reader_upvotes DESC, p.seq DESC", limit: limit).map(\.paper)
        }
    }

    public func secret(named name: String) async throws -> String {
        try await write { db in
            try db.run("INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", [name, SecretText.random()])
            return try db.queryOne("SELECT value FROM server_secrets WHERE name = ?", [name]) { $0.string(0) }!
        }
    }
}
