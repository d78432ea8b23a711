import Foundation
import QuireCore

extension InMemoryStore: SignalStore {
    func requirePaper(_ paperID: String) throws {
        guard papers[paperID] != nil else { throw Refusal.notFound("Quire has no paper '\(paperID.prefix(100))'") }
    }

    private func username(_ userID: Int) -> String { users[userID]?.user.username ?? "" }

    // MARK: Upvotes

    public func setUpvote(userID: Int, paperID: String, on: Bool, now: Date) async throws -> Int {
        try requirePaper(paperID)
        let key = UpvoteKey(userID: userID, paperID: paperID)
        // Only a vote actually added or removed moves the count, so repeated clicks leave it exact.
        if on, upvotes[key] == nil {
            upvotes[key] = Self.stored(now)
            papers[paperID]?.readerUpvotes += 1
        } else if !on, upvotes.removeValue(forKey: key) != nil {
            papers[paperID]?.readerUpvotes -= 1
        }
        return papers[paperID].map { $0.paper.sourceUpvotes + $0.readerUpvotes } ?? 0
    }

    public func upvotedPaperIDs(userID: Int, among paperIDs: [String]) async throws -> Set<String> {
        Set(paperIDs.filter { upvotes[UpvoteKey(userID: userID, paperID: $0)] != nil })
    }

    // MARK: Submissions

    public func insertSubmission(paperID: String, userID: Int, comment: String?, day: Day, now: Date, ifFewerThan cap: Int) async throws -> SubmissionWrite {
        try requirePaper(paperID)
        guard let username = users[userID]?.user.username else { throw Refusal.notFound("no such user") }
        if let dailyDate = papers[paperID]?.paper.dailyDate { return .alreadyListed(dailyDate.description) }
        let today = submissions.values.filter { $0.userID == userID && $0.day == day }.count
        if today >= cap { return .capReached(today) }
        submissions[paperID] = (userID, day, comment, Self.stored(now))
        papers[paperID]?.paper.dailyDate = day
        papers[paperID]?.paper.submittedBy = username
        return .inserted(Submission(paperID: paperID, submitter: username, day: day.description, comment: comment, createdAt: now))
    }

    private func submissionsOf(_ userID: Int) -> [Submission] {
        submissions.filter { $0.value.userID == userID }
            .map { Submission(paperID: $0.key, submitter: username(userID), day: $0.value.day.description, comment: $0.value.comment, createdAt: $0.value.createdAt) }
            .sorted { ($0.createdAt, $0.paperID) < ($1.createdAt, $1.paperID) }
    }

    public func submissions(userID: Int, day: Day) async throws -> [Submission] {
        submissionsOf(userID).filter { $0.day == day.description }
    }

    // MARK: Comments

    private func shown(_ c: StoredComment) -> Comment {
        Comment(id: c.id, paperID: c.paperID, parentID: c.parentID, author: username(c.userID), body: c.body,
                createdAt: c.createdAt, editedAt: c.editedAt, hidden: c.hidden, deleted: c.deleted)
    }

    private func loadComment(_ id: Int) throws -> StoredComment {
        guard let comment = comments[id] else { throw Refusal.notFound("there is no comment \(id)") }
        return comment
    }

    public func comments(paperID: String) async throws -> [Comment] {
        comments.values.filter { $0.paperID == paperID }.sorted { $0.id < $1.id }.map(shown)
    }

    public func comment(id: Int) async throws -> Comment? { comments[id].map(shown) }

    public func addComment(paperID: String, userID: Int, parentID: Int?, body: String, now: Date) async throws -> Comment {
        try requirePaper(paperID)
        if let parentID { _ = try loadComment(parentID) }
        lastCommentID += 1
        let comment = StoredComment(id: lastCommentID, paperID: paperID, userID: userID, parentID: parentID, body: body,
                                    createdAt: Self.stored(now), editedAt: nil)
        comments[comment.id] = comment
        return shown(comment)
    }

    public func editComment(id: Int, body: String, now: Date) async throws -> Comment {
        var comment = try loadComment(id)
        comment.body = body
        comment.editedAt = Self.stored(now)
        comments[id] = comment
        return shown(comment)
    }

    public func deleteComment(id: Int) async throws {
        _ = try loadComment(id)
        if comments.values.contains(where: { $0.parentID == id }) {
            // Kept, emptied, so the replies under it still make sense.
            comments[id]?.body = ""
            comments[id]?.deleted = true
        } else {
            comments[id] = nil
        }
    }

    public func setCommentHidden(id: Int, hidden: Bool) async throws -> Comment {
        var comment = try loadComment(id)
        comment.hidden = hidden
        comments[id] = comment
        return shown(comment)
    }

    // MARK: Collections

    private func shown(_ c: StoredCollection) -> PaperCollection {
        PaperCollection(id: c.id, owner: username(c.userID), name: c.name, description: c.description, isPublic: c.isPublic,
                        paperCount: c.entries.count, createdAt: c.createdAt)
    }

    private func loadCollection(_ id: Int) throws -> StoredCollection {
        guard let collection = collections[id] else { throw Refusal.notFound("there is no collection \(id)") }
        return collection
    }

    private func checkNameFree(_ name: String, userID: Int, except id: Int?) throws {
        if collections.values.contains(where: { $0.userID == userID && $0.name == name && $0.id != id }) {
            throw Refusal.conflict("you already have a collection named '\(name)'")
        }
    }

    public func createCollection(userID: Int, name: String, description: String, isPublic: Bool, now: Date) async throws -> PaperCollection {
        try checkNameFree(name, userID: userID, except: nil)
        lastCollectionID += 1
        let collection = StoredCollection(id: lastCollectionID, userID: userID, name: name, description: description, isPublic: isPublic,
                                          createdAt: Self.stored(now))
        collections[collection.id] = collection
        return shown(collection)
    }

    public func collections(userID: Int) async throws -> [PaperCollection] {
        collections.values.filter { $0.userID == userID }.sorted { $0.name < $1.name }.map(shown)
    }

    public func collection(id: Int) async throws -> PaperCollection? { collections[id].map(shown) }

    public func updateCollection(id: Int, name: String, description: String, isPublic: Bool) async throws -> PaperCollection {
        var collection = try loadCollection(id)
        try checkNameFree(name, userID: collection.userID, except: id)
        collection.name = name
        collection.description = description
        collection.isPublic = isPublic
        collections[id] = collection
        return shown(collection)
    }

    public func deleteCollection(id: Int) async throws {
        _ = try loadCollection(id)
        collections[id] = nil
        interestCollections.remove(id)
    }

    public func saveToCollection(id: Int, paperID: String, note: String, now: Date) async throws {
        _ = try loadCollection(id)
        try requirePaper(paperID)
        // Saved again: a new note, the first date.
        let addedAt = collections[id]?.entries[paperID]?.addedAt ?? Self.stored(now)
        collections[id]?.entries[paperID] = (note, addedAt)
    }

    public func removeFromCollection(id: Int, paperID: String) async throws {
        _ = try loadCollection(id)
        try requirePaper(paperID)
        collections[id]?.entries[paperID] = nil
    }

    public func collectionEntries(id: Int) async throws -> [CollectionEntry] { entries(of: id) }

    private func entries(of id: Int) -> [CollectionEntry] {
        (collections[id]?.entries ?? [:]).compactMap { paperID, entry -> (CollectionEntry, Int)? in
            papers[paperID].map { (CollectionEntry(paper: loaded($0), note: entry.note, addedAt: entry.addedAt), $0.seq) }
        }
        .sorted { ($0.0.addedAt, $0.1) < ($1.0.addedAt, $1.1) }.map(\.0)
    }

    public func savedPaperIDs(userID: Int, among paperIDs: [String]) async throws -> Set<String> {
        let saved = collections.values.filter { $0.userID == userID }.flatMap(\.entries.keys)
        return Set(paperIDs).intersection(saved)
    }

    // MARK: Organizations

    private func requireOrganization(_ slug: String) throws {
        guard organizationNames[slug] != nil else { throw Refusal.notFound("Quire knows no organization '\(slug.prefix(100))'") }
    }

    public func createOrganization(name: String, adminUserID: Int) async throws -> Organization {
        let slug = Slug.stable(name)
        if organizationNames[slug] != nil {
            throw Refusal.conflict("an organization named '\(name)' already exists: ask its admins to let you join")
        }
        organizationNames[slug] = name
        memberships[slug] = [adminUserID: (.admin, .approved, Self.stored(Date()))]
        return Organization(slug: slug, name: name, paperCount: 0)
    }

    public func members(organizationSlug: String) async throws -> [OrganizationMember] {
        (memberships[organizationSlug] ?? [:]).map {
            OrganizationMember(username: username($0.key), role: $0.value.role, status: $0.value.status, requestedAt: $0.value.requestedAt)
        }
        .sorted { ($0.role.rawValue, $0.username) < ($1.role.rawValue, $1.username) }
    }

    public func membership(organizationSlug: String, userID: Int) async throws -> OrganizationMember? {
        memberships[organizationSlug]?[userID].map {
            OrganizationMember(username: username(userID), role: $0.role, status: $0.status, requestedAt: $0.requestedAt)
        }
    }

    public func organizationSlugs(userID: Int, approvedAs role: MembershipRole) async throws -> [String] {
        memberships.filter { $0.value[userID].map { $0.role == role && $0.status == .approved } ?? false }.map(\.key).sorted()
    }

    public func requestMembership(organizationSlug: String, userID: Int, now: Date) async throws -> Bool {
        try requireOrganization(organizationSlug)
        guard memberships[organizationSlug]?[userID] == nil else { return false }
        memberships[organizationSlug, default: [:]][userID] = (.member, .pending, Self.stored(now))
        return true
    }

    public func approveMembership(organizationSlug: String, userID: Int, role: MembershipRole, now: Date) async throws {
        try requireOrganization(organizationSlug)
        guard users[userID] != nil else { throw Refusal.notFound("no such user") }
        let requestedAt = memberships[organizationSlug]?[userID]?.requestedAt ?? Self.stored(now)
        memberships[organizationSlug, default: [:]][userID] = (role, .approved, requestedAt)
    }

    public func claimPaper(paperID: String, organizationSlug: String, userID: Int, now: Date, takingOver: Bool) async throws -> ClaimWrite {
        try requireOrganization(organizationSlug)
        try requirePaper(paperID)
        // Whether by a claim or by its source.
        if let current = claims[paperID] ?? papers[paperID]?.organizationSlug, current != organizationSlug, !takingOver {
            return .belongsTo(current)
        }
        claims[paperID] = organizationSlug
        papers[paperID]?.organizationSlug = organizationSlug
        return .claimed
    }

    // MARK: Export

    public func export(userID: Int, now: Date) async throws -> ReaderExport {
        guard let user = users[userID]?.user else { throw Refusal.notFound("no such user") }
        var saved: [ReaderExport.SavedCollection] = []
        for collection in collections.values.filter({ $0.userID == userID }).sorted(by: { $0.name < $1.name }) {
            let papers = entries(of: collection.id).map {
                ReaderExport.SavedPaper(paperID: $0.paper.id, title: $0.paper.title, note: $0.note, addedAt: $0.addedAt)
            }
            saved.append(.init(collection: shown(collection), papers: papers))
        }
        let votes = upvotes.filter { $0.key.userID == userID }.map { ReaderExport.Upvote(paperID: $0.key.paperID, createdAt: $0.value) }
            .sorted { ($0.createdAt, $0.paperID) < ($1.createdAt, $1.paperID) }
        let memberships = memberships.compactMap { slug, members in
            members[userID].map { ReaderExport.Membership(organization: organizationNames[slug] ?? slug, role: $0.role, status: $0.status) }
        }
        return ReaderExport(user: user, upvotes: votes, submissions: submissionsOf(userID),
                            comments: comments.values.filter { $0.userID == userID }.sorted { $0.id < $1.id }.map(shown),
                            collections: saved, memberships: memberships, apiTokens: tokens(of: userID), exportedAt: now)
    }
}
