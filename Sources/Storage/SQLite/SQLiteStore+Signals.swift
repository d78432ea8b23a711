import Foundation
import QuireCore

extension SQLiteStore: SignalStore {
    /// The paper's storage key, or `.notFound`.
    func paperSeq(_ paperID: String, _ db: SQLiteConnection) throws -> Int {
        guard let seq = try db.queryOne("SELECT seq FROM papers WHERE id = ?", [paperID], { $0.int(0) }) else {
            throw Refusal.notFound("Quire has no paper '\(paperID.prefix(100))'")
        }
        return seq
    }

    // MARK: Upvotes

    public func setUpvote(userID: Int, paperID: String, on: Bool, now: Date) async throws -> Int {
        try await write { db in
            try db.transaction {
                let seq = try self.paperSeq(paperID, db)
                if on {
                    try db.run("INSERT INTO upvotes (user_id, paper_seq, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                               [userID, seq, Timestamp.format(now)])
                } else {
                    try db.run("DELETE FROM upvotes WHERE user_id = ? AND paper_seq = ?", [userID, seq])
                }
                // Only a row actually added or removed moves the count, so repeated
                // or concurrent clicks leave it exact.
                if db.changes > 0 {
                    try db.run("UPDATE papers SET reader_upvotes = reader_upvotes + ? WHERE seq = ?", [on ? 1 : -1, seq])
                }
                return try db.queryOne("SELECT upvotes + reader_upvotes FROM papers WHERE seq = ?", [seq]) { $0.int(0) } ?? 0
            }
        }
    }

    public func upvotedPaperIDs(userID: Int, among paperIDs: [String]) async throws -> Set<String> {
        guard !paperIDs.isEmpty else { return [] }
        return try await read { db in
            Set(try db.query("""
                SELECT p.id FROM upvotes v JOIN papers p ON p.seq = v.paper_seq
                WHERE v.user_id = ? AND p.id IN (SELECT value FROM json_each(?))
                """, [userID, try Self.jsonList(paperIDs)]) { $0.string(0) })
        }
    }

    // MARK: Submissions

    public func insertSubmission(paperID: String, userID: Int, comment: String?, day: Day, now: Date, ifFewerThan cap: Int) async throws -> SubmissionWrite {
        try await write { db in
            try db.transaction {
                let seq = try self.paperSeq(paperID, db)
                guard let username = try db.queryOne("SELECT username FROM users WHERE id = ?", [userID], { $0.string(0) }) else {
                    throw Refusal.notFound("no such user")
                }
                if let dailyDate = try db.queryOne("SELECT daily_date FROM papers WHERE seq = ?", [seq], { $0.optionalString(0) }) ?? nil {
                    return .alreadyListed(dailyDate)
                }
                let today = try db.queryOne("SELECT count(*) FROM submissions WHERE user_id = ? AND day = ?", [userID, day.description]) { $0.int(0) } ?? 0
                if today >= cap { return .capReached(today) }
                try db.run("INSERT INTO submissions (paper_seq, user_id, day, comment, created_at) VALUES (?, ?, ?, ?, ?)",
                           [seq, userID, day.description, comment, Timestamp.format(now)])
                try db.run("UPDATE papers SET daily_date = ?1, list_day = ?1, submitted_by = ?2, modified_at = ?3 WHERE seq = ?4",
                           [day.description, username, Timestamp.format(now), seq])
                return .inserted(Submission(paperID: paperID, submitter: username, day: day.description, comment: comment, createdAt: now))
            }
        }
    }

    private static let submissionColumns = "p.id, u.username, s.day, s.comment, s.created_at"
    private static func submission(_ r: SQLiteConnection.Row) -> Submission {
        Submission(paperID: r.string(0), submitter: r.string(1), day: r.string(2), comment: r.optionalString(3),
                   createdAt: date(r.string(4)) ?? Date(timeIntervalSince1970: 0))
    }

    public func submissions(userID: Int, day: Day) async throws -> [Submission] {
        try await read { db in
            try db.query("""
                SELECT \(Self.submissionColumns) FROM submissions s JOIN papers p ON p.seq = s.paper_seq JOIN users u ON u.id = s.user_id
                WHERE s.user_id = ? AND s.day = ? ORDER BY s.created_at
                """, [userID, day.description], Self.submission)
        }
    }

    // MARK: Comments

    private static let commentColumns = "c.id, p.id, c.parent_id, u.username, c.body, c.created_at, c.edited_at, c.hidden, c.deleted"
    private static let commentJoins = "comments c JOIN papers p ON p.seq = c.paper_seq JOIN users u ON u.id = c.user_id"
    private static func comment(_ r: SQLiteConnection.Row) -> Comment {
        Comment(id: r.int(0), paperID: r.string(1), parentID: r.optionalInt(2), author: r.string(3), body: r.string(4),
                createdAt: date(r.string(5)) ?? Date(timeIntervalSince1970: 0), editedAt: date(r.optionalString(6)),
                hidden: r.int(7) != 0, deleted: r.int(8) != 0)
    }

    private func loadComment(_ id: Int, _ db: SQLiteConnection) throws -> Comment {
        guard let comment = try db.queryOne("SELECT \(Self.commentColumns) FROM \(Self.commentJoins) WHERE c.id = ?", [id], Self.comment) else {
            throw Refusal.notFound("there is no comment \(id)")
        }
        return comment
    }

    public func comments(paperID: String) async throws -> [Comment] {
        try await read { db in
            try db.query("SELECT \(Self.commentColumns) FROM \(Self.commentJoins) WHERE p.id = ? ORDER BY c.id", [paperID], Self.comment)
        }
    }

    public func comment(id: Int) async throws -> Comment? {
        try await read { db in try db.queryOne("SELECT \(Self.commentColumns) FROM \(Self.commentJoins) WHERE c.id = ?", [id], Self.comment) }
    }

    public func addComment(paperID: String, userID: Int, parentID: Int?, body: String, now: Date) async throws -> Comment {
        try await write { db in
            try db.transaction {
                let seq = try self.paperSeq(paperID, db)
                if let parentID { _ = try self.loadComment(parentID, db) }
                try db.run("INSERT INTO comments (paper_seq, user_id, parent_id, body, created_at) VALUES (?, ?, ?, ?, ?)",
                           [seq, userID, parentID, body, Timestamp.format(now)])
                return try self.loadComment(Int(db.lastInsertRowID), db)
            }
        }
    }

    public func editComment(id: Int, body: String, now: Date) async throws -> Comment {
        try await write { db in
            try db.run("UPDATE comments SET body = ?, edited_at = ? WHERE id = ?", [body, Timestamp.format(now), id])
            return try self.loadComment(id, db)
        }
    }

    public func deleteComment(id: Int) async throws {
        try await write { db in
            try db.transaction {
                _ = try self.loadComment(id, db)
                let replies = try db.queryOne("SELECT count(*) FROM comments WHERE parent_id = ?", [id]) { $0.int(0) } ?? 0
                if replies > 0 {
                    // Kept, emptied, so the replies under it still make sense.
                    try db.run("UPDATE comments SET body = '', deleted = 1 WHERE id = ?", [id])
                } else {
                    try db.run("DELETE FROM comments WHERE id = ?", [id])
                }
            }
        }
    }

    public func setCommentHidden(id: Int, hidden: Bool) async throws -> Comment {
        try await write { db in
            try db.run("UPDATE comments SET hidden = ? WHERE id = ?", [hidden, id])
            return try self.loadComment(id, db)
        }
    }

    // MARK: Collections

    private static let collectionColumns = """
        c.id, u.username, c.name, c.description, c.is_public, c.created_at,
        (SELECT count(*) FROM collection_papers cp WHERE cp.collection_id = c.id)
        """
    private static func collection(_ r: SQLiteConnection.Row) -> PaperCollection {
        PaperCollection(id: r.int(0), owner: r.string(1), name: r.string(2), description: r.string(3), isPublic: r.int(4) != 0,
                        paperCount: r.int(6), createdAt: date(r.string(5)) ?? Date(timeIntervalSince1970: 0))
    }

    private func loadCollection(_ id: Int, _ db: SQLiteConnection) throws -> PaperCollection? {
        try db.queryOne("SELECT \(Self.collectionColumns) FROM collections c JOIN users u ON u.id = c.user_id WHERE c.id = ?", [id], Self.collection)
    }

    /// The owner of collection `id`, or `.notFound` (it may have been deleted a moment ago).
    private func collectionOwner(_ id: Int, _ db: SQLiteConnection) throws -> Int {
        guard let owner = try db.queryOne("SELECT user_id FROM collections WHERE id = ?", [id], { $0.int(0) }) else {
            throw Refusal.notFound("there is no collection \(id)")
        }
        return owner
    }

    private func checkNameFree(_ name: String, userID: Int, except id: Int?, _ db: SQLiteConnection) throws {
        if try db.queryOne("SELECT 1 FROM collections WHERE user_id = ? AND name = ? AND id IS NOT ?", [userID, name, id], { _ in true }) != nil {
            throw Refusal.conflict("you already have a collection named '\(name)'")
        }
    }

    public func createCollection(userID: Int, name: String, description: String, isPublic: Bool, now: Date) async throws -> PaperCollection {
        try await write { db in
            try db.transaction {
                try self.checkNameFree(name, userID: userID, except: nil, db)
                try db.run("INSERT INTO collections (user_id, name, description, is_public, created_at) VALUES (?, ?, ?, ?, ?)",
                           [userID, name, description, isPublic, Timestamp.format(now)])
                return try self.loadCollection(Int(db.lastInsertRowID), db)!
            }
        }
    }

    public func collections(userID: Int) async throws -> [PaperCollection] {
        try await read { db in
            try db.query("SELECT \(Self.collectionColumns) FROM collections c JOIN users u ON u.id = c.user_id WHERE c.user_id = ? ORDER BY c.name",
                         [userID], Self.collection)
        }
    }

    public func collection(id: Int) async throws -> PaperCollection? {
        try await read { db in try self.loadCollection(id, db) }
    }

    public func updateCollection(id: Int, name: String, description: String, isPublic: Bool) async throws -> PaperCollection {
        try await write { db in
            try db.transaction {
                try self.checkNameFree(name, userID: try self.collectionOwner(id, db), except: id, db)
                try db.run("UPDATE collections SET name = ?, description = ?, is_public = ? WHERE id = ?", [name, description, isPublic, id])
                return try self.loadCollection(id, db)!
            }
        }
    }

    public func deleteCollection(id: Int) async throws {
        try await write { db in
            try db.run("DELETE FROM collections WHERE id = ?", [id])
            if db.changes == 0 { throw Refusal.notFound("there is no collection \(id)") }
        }
    }

    public func saveToCollection(id: Int, paperID: String, note: String, now: Date) async throws {
        try await write { db in
            try db.transaction {
                _ = try self.collectionOwner(id, db)
                let seq = try self.paperSeq(paperID, db)
                try db.run("""
                    INSERT INTO collection_papers (collection_id, paper_seq, note, added_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (collection_id, paper_seq) DO UPDATE SET note = excluded.note
                    """, [id, seq, note, Timestamp.format(now)])
            }
        }
    }

    public func removeFromCollection(id: Int, paperID: String) async throws {
        try await write { db in
            try db.transaction {
                _ = try self.collectionOwner(id, db)
                let seq = try self.paperSeq(paperID, db)
                try db.run("DELETE FROM collection_papers WHERE collection_id = ? AND paper_seq = ?", [id, seq])
            }
        }
    }

    public func collectionEntries(id: Int) async throws -> [CollectionEntry] {
        try await read { db in
            let notes = try db.query("SELECT paper_seq, note, added_at FROM collection_papers WHERE collection_id = ? ORDER BY added_at, paper_seq",
                                     [id]) { ($0.int(0), $0.string(1), Self.date($0.string(2)) ?? Date(timeIntervalSince1970: 0)) }
            guard !notes.isEmpty else { return [] }
            let papers = Dictionary(uniqueKeysWithValues: try Self.loadPapers(
                db, where: "p.seq IN (SELECT value FROM json_each(?))", [Self.jsonList(notes.map(\.0))]).map { ($0.seq, $0.paper) })
            return notes.compactMap { seq, note, added in papers[seq].map { CollectionEntry(paper: $0, note: note, addedAt: added) } }
        }
    }

    public func savedPaperIDs(userID: Int, among paperIDs: [String]) async throws -> Set<String> {
        guard !paperIDs.isEmpty else { return [] }
        return try await read { db in
            Set(try db.query("""
                SELECT DISTINCT p.id FROM collection_papers cp JOIN collections c ON c.id = cp.collection_id
                JOIN papers p ON p.seq = cp.paper_seq
                WHERE c.user_id = ? AND p.id IN (SELECT value FROM json_each(?))
                """, [userID, try Self.jsonList(paperIDs)]) { $0.string(0) })
        }
    }

    // MARK: Organizations

    private func organizationRow(_ slug: String, _ db: SQLiteConnection) throws -> Int {
        guard let id = try db.queryOne("SELECT id FROM organizations WHERE slug = ?", [slug], { $0.int(0) }) else {
            throw Refusal.notFound("Quire knows no organization '\(slug.prefix(100))'")
        }
        return id
    }

    public func createOrganization(name: String, adminUserID: Int) async throws -> Organization {
        let slug = Slug.stable(name)
        return try await write { db in
            try db.transaction {
                if try db.queryOne("SELECT 1 FROM organizations WHERE slug = ?", [slug], { _ in true }) != nil {
                    throw Refusal.conflict("an organization named '\(name)' already exists: ask its admins to let you join")
                }
                try db.run("INSERT INTO organizations (slug, name) VALUES (?, ?)", [slug, name])
                let id = Int(db.lastInsertRowID)
                try db.run("""
                    INSERT INTO organization_members (organization_id, user_id, role, status, requested_at, approved_at)
                    VALUES (?1, ?2, 'admin', 'approved', ?3, ?3)
                    """, [id, adminUserID, Timestamp.format(Date())])
                return Organization(slug: slug, name: name, paperCount: 0)
            }
        }
    }

    private static let memberSelect = """
        SELECT u.username, m.role, m.status, m.requested_at FROM organization_members m
        JOIN users u ON u.id = m.user_id JOIN organizations o ON o.id = m.organization_id
        """
    private static func member(_ r: SQLiteConnection.Row) -> OrganizationMember {
        OrganizationMember(username: r.string(0), role: MembershipRole(rawValue: r.string(1)) ?? .member,
                           status: MembershipStatus(rawValue: r.string(2)) ?? .pending,
                           requestedAt: date(r.string(3)) ?? Date(timeIntervalSince1970: 0))
    }

    public func members(organizationSlug: String) async throws -> [OrganizationMember] {
        try await read { db in
            try db.query("\(Self.memberSelect) WHERE o.slug = ? ORDER BY m.role, u.username", [organizationSlug], Self.member)
        }
    }

    public func membership(organizationSlug: String, userID: Int) async throws -> OrganizationMember? {
        try await read { db in
            try db.queryOne("\(Self.memberSelect) WHERE o.slug = ? AND m.user_id = ?", [organizationSlug, userID], Self.member)
        }
    }

    public func organizationSlugs(userID: Int, approvedAs role: MembershipRole) async throws -> [String] {
        try await read { db in
            try db.query("""
                SELECT o.slug FROM organization_members m JOIN organizations o ON o.id = m.organization_id
                WHERE m.user_id = ? AND m.role = ? AND m.status = 'approved' ORDER BY o.slug
                """, [userID, role.rawValue]) { $0.string(0) }
        }
    }

    public func requestMembership(organizationSlug: String, userID: Int, now: Date) async throws -> Bool {
        try await write { db in
            try db.transaction {
                let org = try self.organizationRow(organizationSlug, db)
                try db.run("""
                    INSERT INTO organization_members (organization_id, user_id, role, status, requested_at)
                    VALUES (?, ?, 'member', 'pending', ?) ON CONFLICT DO NOTHING
                    """, [org, userID, Timestamp.format(now)])
                return db.changes > 0
            }
        }
    }

    public func approveMembership(organizationSlug: String, userID: Int, role: MembershipRole, now: Date) async throws {
        try await write { db in
            try db.transaction {
                let org = try self.organizationRow(organizationSlug, db)
                try db.run("""
                    INSERT INTO organization_members (organization_id, user_id, role, status, requested_at, approved_at)
                    VALUES (?1, ?2, ?3, 'approved', ?4, ?4)
                    ON CONFLICT (organization_id, user_id) DO UPDATE SET role = excluded.role, status = 'approved', approved_at = excluded.approved_at
                    """, [org, userID, role.rawValue, Timestamp.format(now)])
            }
        }
    }

    public func claimPaper(paperID: String, organizationSlug: String, userID: Int, now: Date, takingOver: Bool) async throws -> ClaimWrite {
        try await write { db in
            try db.transaction {
                let org = try self.organizationRow(organizationSlug, db)
                let seq = try self.paperSeq(paperID, db)
                // Whether by a claim or by its source.
                let current = try db.queryOne("""
                    SELECT o.id, o.slug FROM papers p
                    JOIN organizations o ON o.id = coalesce((SELECT organization_id FROM paper_claims WHERE paper_seq = p.seq), p.organization_id)
                    WHERE p.seq = ?
                    """, [seq]) { ($0.int(0), $0.string(1)) }
                if let current, current.0 != org, !takingOver { return .belongsTo(current.1) }
                try db.run("""
                    INSERT INTO paper_claims (paper_seq, organization_id, user_id, claimed_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (paper_seq) DO UPDATE SET organization_id = excluded.organization_id, user_id = excluded.user_id, claimed_at = excluded.claimed_at
                    """, [seq, org, userID, Timestamp.format(now)])
                try db.run("UPDATE papers SET organization_id = ?, modified_at = ? WHERE seq = ?", [org, Timestamp.format(now), seq])
                return .claimed
            }
        }
    }

    // MARK: Export

    public func export(userID: Int, now: Date) async throws -> ReaderExport {
        guard let user = try await user(id: userID) else { throw Refusal.notFound("no such user") }
        let tokens = try await apiTokens(userID: userID)
        let collections = try await collections(userID: userID)
        var saved: [ReaderExport.SavedCollection] = []
        for collection in collections {
            let papers = try await collectionEntries(id: collection.id).map {
                ReaderExport.SavedPaper(paperID: $0.paper.id, title: $0.paper.title, note: $0.note, addedAt: $0.addedAt)
            }
            saved.append(.init(collection: collection, papers: papers))
        }
        return try await read { [saved] db in
            let upvotes = try db.query("""
                SELECT p.id, v.created_at FROM upvotes v JOIN papers p ON p.seq = v.paper_seq WHERE v.user_id = ? ORDER BY v.created_at
                """, [userID]) { ReaderExport.Upvote(paperID: $0.string(0), createdAt: Self.date($0.string(1)) ?? now) }
            let submissions = try db.query("""
                SELECT \(Self.submissionColumns) FROM submissions s JOIN papers p ON p.seq = s.paper_seq JOIN users u ON u.id = s.user_id
                WHERE s.user_id = ? ORDER BY s.created_at
                """, [userID], Self.submission)
            let comments = try db.query("SELECT \(Self.commentColumns) FROM \(Self.commentJoins) WHERE c.user_id = ? ORDER BY c.id", [userID], Self.comment)
            let memberships = try db.query("""
                SELECT o.name, m.role, m.status FROM organization_members m JOIN organizations o ON o.id = m.organization_id WHERE m.user_id = ?
                """, [userID]) {
                ReaderExport.Membership(organization: $0.string(0), role: MembershipRole(rawValue: $0.string(1)) ?? .member,
                                        status: MembershipStatus(rawValue: $0.string(2)) ?? .pending)
            }
            return ReaderExport(user: user, upvotes: upvotes, submissions: submissions, comments: comments, collections: saved,
                                memberships: memberships, apiTokens: tokens, exportedAt: now)
        }
    }
}
