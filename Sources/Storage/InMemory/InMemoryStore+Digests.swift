import Foundation
import QuireCore

extension InMemoryStore: DigestStore {
    public func subscription(userID: Int) async throws -> Subscription? { subscriptions[userID] }

    public func saveSubscription(_ subscription: Subscription, userID: Int) async throws {
        var saved = subscription
        saved.createdAt = Self.stored(subscription.createdAt)
        subscriptions[userID] = saved
    }

    public func activeSubscriptions() async throws -> [(user: User, subscription: Subscription)] {
        subscriptions.filter { $0.value.frequency != .off }.sorted { $0.key < $1.key }
            .compactMap { userID, subscription in users[userID].map { (user: $0.user, subscription: subscription) } }
    }

    public func follows(userID: Int) async throws -> [Follow] {
        (follows[userID] ?? []).sorted { ($0.kind.rawValue, $0.slug) < ($1.kind.rawValue, $1.slug) }
    }

    public func setFollow(_ follow: Follow, userID: Int, on: Bool, now: Date) async throws {
        if on { follows[userID, default: []].insert(follow) } else { follows[userID]?.remove(follow) }
    }

    public func defaultCategories(userID: Int) async throws -> [String] {
        (defaultCategories[userID] ?? []).sorted()
    }

    public func setDefaultCategories(_ categories: [String], userID: Int) async throws {
        defaultCategories[userID] = categories.isEmpty ? nil : Set(categories)
    }

    // MARK: Saved searches

    public func savedSearches(userID: Int) async throws -> [SavedSearch] {
        savedSearches.values.filter { $0.userID == userID }.map(\.search).sorted { $0.id < $1.id }
    }

    public func saveSearch(query: String, categories: [String], userID: Int, now: Date, ifFewerThan cap: Int) async throws -> SavedSearchWrite {
        let own = savedSearches.values.filter { $0.userID == userID }
        if let existing = own.first(where: { $0.search.query == query && $0.search.categories == categories }) { return .saved(existing.search) }
        if own.count >= cap { return .capReached(own.count) }
        lastSavedSearchID += 1
        let search = SavedSearch(id: lastSavedSearchID, query: query, categories: categories, alert: false, createdAt: Self.stored(now))
        savedSearches[search.id] = (userID, search)
        return .saved(search)
    }

    private func requireOwnSearch(_ id: Int, userID: Int) throws {
        guard savedSearches[id]?.userID == userID else { throw Refusal.notFound("you have no saved search \(id)") }
    }

    public func setSearchAlert(id: Int, userID: Int, alert: Bool) async throws {
        try requireOwnSearch(id, userID: userID)
        savedSearches[id]?.search.alert = alert
    }

    public func deleteSearch(id: Int, userID: Int) async throws {
        try requireOwnSearch(id, userID: userID)
        savedSearches[id] = nil
    }

    // MARK: The delivery ledger

    public func claimDelivery(userID: Int, kind: String, slot: String, messageID: String, now: Date, staleAfter: TimeInterval) async throws -> DeliveryClaim {
        let now = Self.stored(now)
        guard var existing = deliveries.values.first(where: { $0.userID == userID && $0.kind == kind && $0.slot == slot }) else {
            lastDeliveryID += 1
            let delivery = Delivery(id: lastDeliveryID, userID: userID, kind: kind, slot: slot, status: .sending, messageID: messageID,
                                    paperIDs: [], attempts: 1, lastError: nil, claimedAt: now, finishedAt: nil)
            deliveries[delivery.id] = delivery
            return .claimed(delivery)
        }
        guard existing.status == .sending else { return .finished(existing) }
        guard now.timeIntervalSince(existing.claimedAt) >= staleAfter else { return .inProgress }
        // The sender that claimed it died mid-way: take it over, keeping its Message-ID.
        existing.claimedAt = now
        existing.attempts += 1
        deliveries[existing.id] = existing
        return .claimed(existing)
    }

    public func recordDeliveryContent(id: Int, paperIDs: [String]) async throws { deliveries[id]?.paperIDs = paperIDs }

    public func recordDeliveryError(id: Int, error: String) async throws { deliveries[id]?.lastError = error }

    public func finishDelivery(id: Int, status: Delivery.Status, paperIDs: [String], error: String?, now: Date) async throws {
        deliveries[id]?.status = status
        deliveries[id]?.paperIDs = paperIDs
        deliveries[id]?.lastError = error
        deliveries[id]?.finishedAt = Self.stored(now)
    }

    public func mailedPaperIDs(userID: Int, kind: String, since: Date, excludingDelivery: Int?) async throws -> Set<String> {
        Set(deliveries.values.filter {
            $0.userID == userID && $0.kind == kind && [.sent, .sending].contains($0.status)
                && $0.claimedAt >= Self.stored(since) && $0.id != excludingDelivery
        }.flatMap(\.paperIDs))
    }

    public func delivery(userID: Int, kind: String, slot: String) async throws -> Delivery? {
        deliveries.values.first { $0.userID == userID && $0.kind == kind && $0.slot == slot }
    }

    public func lastDelivery(userID: Int, kind: String) async throws -> Delivery? {
        deliveries.values.filter { $0.userID == userID && $0.kind == kind && $0.status == .sent }
            .max { ($0.claimedAt, $0.id) < ($1.claimedAt, $1.id) }
    }

    public func deliveries(userID: Int) async throws -> [Delivery] {
        deliveries.values.filter { $0.userID == userID }.sorted { $0.id < $1.id }
    }

    public func papersFollowed(by userID: Int, from: Day, to: Day, limit: Int) async throws -> [Paper] {
        let followed = follows[userID] ?? []
        return papers.values.filter { stored in
            guard let day = stored.paper.listDay, from <= day, day < to else { return false }
            if let slug = stored.organizationSlug, followed.contains(Follow(kind: .organization, slug: slug)) { return true }
            return stored.paper.authors.contains { followed.contains(Follow(kind: .author, slug: Slug.stable($0))) }
        }
        .sorted { a, b in
            let (x, y) = (a.paper.sourceUpvotes + a.readerUpvotes, b.paper.sourceUpvotes + b.readerUpvotes)
            return x != y ? x > y : a.seq > b.seq
        }
        .prefix(max(0, limit)).map(loaded)
    }

    public func secret(named name: String) async throws -> String {
        if let secret = secrets[name] { return secret }
        let secret = SecretText.random()
        secrets[name] = secret
        return secret
    }
}
