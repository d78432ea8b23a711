import Foundation
import Logging
import PostgresNIO
import QuireCore
import Storage

/// Readers' signals in PostgreSQL. Where concurrent requests could break a
/// guarantee, the transaction first locks the row the decision depends on
/// (`FOR NO KEY UPDATE`, which still lets other rows reference it), so the
/// check after it reads what the previous holder committed. Rows are locked
/// in one order, the reader's before the paper's, so two writers never wait
/// on each other in a circle.
extension PostgresStore: SignalStore {
    /// The paper's storage key, or `.notFound`; `lock` also takes its row for the transaction.
    static func paperSeq(_ paperID: String, lock: Bool = false, _ db: PostgresConnection, _ logger: Logger) async throws -> Int {
        let query: PostgresQuery = lock ? "SELECT seq FROM papers WHERE id = \(paperID) FOR NO KEY UPDATE" : "SELECT seq FROM papers WHERE id = \(paperID)"
        guard let seq = try await db.run(query, logger).value(Int.self) else {
            throw Refusal.notFound("Quire has no paper '\(paperID.prefix(100))'")
        }
        return seq
    }

    // MARK: Upvotes

    public func setUpvote(userID: Int, paperID: String, on: Bool, now: Date) async throws -> Int {
        try await write { db in
            let seq = try await Self.paperSeq(paperID, db, logger)
            // The upvote row's key makes concurrent clicks of one reader take
            // turns; only a row actually added or removed moves the count, and
            // the UPDATE adds to the committed count under the paper's row
            // lock, so it stays exact whatever the concurrency.
            let changed: Int? = if on {
                try await db.run("""
                    INSERT INTO upvotes (user_id, paper_seq, created_at) VALUES (\(userID), \(seq), \(now))
                    ON CONFLICT DO NOTHING RETURNING paper_seq
                    """, logger).value(Int.self)
            } else {
                try await db.run("DELETE FROM upvotes WHERE user_id = \(userID) AND paper_seq = \(seq) RETURNING paper_seq", logger).value(Int.self)
            }
            let count: Int? = if changed != nil {
                try await db.run("""
                    UPDATE papers SET reader_upvotes = reader_upvotes + \(on ? 1 : -1) WHERE seq = \(seq) RETURNING upvotes + reader_upvotes
                    """, logger).value(Int.self)
            } else {
                try await db.run("SELECT upvotes + reader_upvotes FROM papers WHERE seq = \(seq)", logger).value(Int.self)
            }
            return count ?? 0
        }
    }

    public func upvotedPaperIDs(userID: Int, among paperIDs: [String]) async throws -> Set<String> {
        guard !paperIDs.isEmpty else { return [] }
        return Set(try await execute("""
            SELECT p.id FROM upvotes v JOIN papers p ON p.seq = v.paper_seq WHERE v.user_id = \(userID) AND p.id = ANY(\(paperIDs)::text[])
            """).all(String.self))
    }

    // MARK: Submissions

    public func insertSubmission(paperID: String, userID: Int, comment: String?, day: Day, now: Date, ifFewerThan cap: Int) async throws -> SubmissionWrite {
        try await write { db in
            // The reader's row first: their submissions at once take turns, so the count below sees each one.
            guard let username = try await db.run("SELECT username FROM users WHERE id = \(userID) FOR NO KEY UPDATE", logger).value(String.self) else {
                throw Refusal.notFound("no such user")
            }
            // Then the paper's: of two readers submitting it at once, the second sees it listed.
            let seq = try await Self.paperSeq(paperID, lock: true, db, logger)
            if let dailyDate = try await db.run("SELECT daily_date FROM papers WHERE seq = \(seq)", logger).value(String?.self) ?? nil {
                return .alreadyListed(dailyDate)
            }
            let today = try await db.run("SELECT count(*) FROM submissions WHERE user_id = \(userID) AND day = \(day.description)", logger)
                .value(Int.self) ?? 0
            if today >= cap { return .capReached(today) }
            try await db.run("""
                INSERT INTO submissions (paper_seq, user_id, day, comment, created_at) VALUES (\(seq), \(userID), \(day.description), \(comment), \(now))
                """, logger)
            try await db.run("""
                UPDATE papers SET daily_date = \(day.description), list_day = \(day.description), submitted_by = \(username), modified_at = \(now)
                WHERE seq = \(seq)
                """, logger)
            return .inserted(Submission(paperID: paperID, submitter: username, day: day.description, comment: comment, createdAt: now))
        }
    }

    static let submissionSelect = """
        SELECT p.id, u.username, s.day, s.comment, s.created_at FROM submissions s JOIN papers p ON p.seq = s.paper_seq JOIN users u ON u.id = s.user_id
        """
    static func submission(_ r: (String, String, String, String?, Date)) -> Submission {
        Submission(paperID: r.0, submitter: r.1, day: r.2, comment: r.3, createdAt: r.4)
    }

    public func submissions(userID: Int, day: Day) async throws -> [Submission] {
        try await execute("\(unescaped: Self.submissionSelect) WHERE s.user_id = \(userID) AND s.day = \(day.description) ORDER BY s.created_at")
            .all((String, String, String, String?, Date).self).map(Self.submission)
    }

    // MARK: Comments

    static let commentSelect = """
        SELECT c.id, p.id, c.parent_id, u.username, c.body, c.created_at, c.edited_at, c.hidden, c.deleted
        FROM comments c JOIN papers p ON p.seq = c.paper_seq JOIN users u ON u.id = c.user_id
        """
    typealias CommentRow = (Int, String, Int?, String, String, Date, Date?, Bool, Bool)
    static func comment(_ r: CommentRow) -> Comment {
        Comment(id: r.0, paperID: r.1, parentID: r.2, author: r.3, body: r.4, createdAt: r.5, editedAt: r.6, hidden: r.7, deleted: r.8)
    }

    static func loadComment(_ id: Int, _ db: PostgresConnection, _ logger: Logger) async throws -> Comment {
        guard let row = try await db.run("\(unescaped: commentSelect) WHERE c.id = \(id)", logger).first(CommentRow.self) else {
            throw Refusal.notFound("there is no comment \(id)")
        }
        return comment(row)
    }

    public func comments(paperID: String) async throws -> [Comment] {
        try await execute("\(unescaped: Self.commentSelect) WHERE p.id = \(paperID) ORDER BY c.id").all(CommentRow.self).map(Self.comment)
    }

    public func comment(id: Int) async throws -> Comment? {
        try await execute("\(unescaped: Self.commentSelect) WHERE c.id = \(id)").first(CommentRow.self).map(Self.comment)
    }

    public func addComment(paperID: String, userID: Int, parentID: Int?, body: String, now: Date) async throws -> Comment {
        try await write { db in
            let seq = try await Self.paperSeq(paperID, db, logger)
            if let parentID {
                // Held until commit: a deletion of the parent waits for this reply
                // and then keeps the parent; one that went first leaves no row here.
                guard try await db.run("SELECT id FROM comments WHERE id = \(parentID) FOR KEY SHARE", logger).value(Int.self) != nil else {
                    throw Refusal.notFound("there is no comment \(parentID)")
                }
            }
            guard let id = try await db.run("""
                INSERT INTO comments (paper_seq, user_id, parent_id, body, created_at) VALUES (\(seq), \(userID), \(parentID), \(body), \(now)) RETURNING id
                """, logger).value(Int.self) else { throw Refusal.notFound("the new comment vanished") }
            return try await Self.loadComment(id, db, logger)
        }
    }

    public func editComment(id: Int, body: String, now: Date) async throws -> Comment {
        try await write { db in
            try await db.run("UPDATE comments SET body = \(body), edited_at = \(now) WHERE id = \(id)", logger)
            return try await Self.loadComment(id, db, logger)
        }
    }

    public func deleteComment(id: Int) async throws {
        try await write { db in
            // Locked first: a reply being written holds the row's key share and
            // finishes before this counts the replies; a later one waits and then finds this decided.
            guard try await db.run("SELECT id FROM comments WHERE id = \(id) FOR UPDATE", logger).value(Int.self) != nil else {
                throw Refusal.notFound("there is no comment \(id)")
            }
            let replies = try await db.run("SELECT count(*) FROM comments WHERE parent_id = \(id)", logger).value(Int.self) ?? 0
            if replies > 0 {
                // Kept, emptied, so the replies under it still make sense.
                try await db.run("UPDATE comments SET body = '', deleted = TRUE WHERE id = \(id)", logger)
            } else {
                try await db.run("DELETE FROM comments WHERE id = \(id)", logger)
            }
        }
    }

    public func setCommentHidden(id: Int, hidden: Bool) async throws -> Comment {
        try await write { db in
            try await db.run("UPDATE comments SET hidden = \(hidden) WHERE id = \(id)", logger)
            return try await Self.loadComment(id, db, logger)
        }
    }

    // MARK: Collections

    static let collectionSelect = """
        SELECT c.id, u.username, c.name, c.description, c.is_public, c.created_at,
               (SELECT count(*) FROM collection_papers cp WHERE cp.collection_id = c.id)
        FROM collections c JOIN users u ON u.id = c.user_id
        """
    typealias CollectionRow = (Int, String, String, String, Bool, Date, Int)
    static func collection(_ r: CollectionRow) -> PaperCollection {
        PaperCollection(id: r.0, owner: r.1, name: r.2, description: r.3, isPublic: r.4, paperCount: r.6, createdAt: r.5)
    }

    static func loadCollection(_ id: Int, _ db: PostgresConnection, _ logger: Logger) async throws -> PaperCollection {
        guard let row = try await db.run("\(unescaped: collectionSelect) WHERE c.id = \(id)", logger).first(CollectionRow.self) else {
            throw Refusal.notFound("there is no collection \(id)")
        }
        return collection(row)
    }

    /// The owner of collection `id`, or `.notFound` (it may have been deleted
    /// a moment ago). The key share it takes keeps the collection until commit.
    static func collectionOwner(_ id: Int, _ db: PostgresConnection, _ logger: Logger) async throws -> Int {
        guard let owner = try await db.run("SELECT user_id FROM collections WHERE id = \(id) FOR KEY SHARE", logger).value(Int.self) else {
            throw Refusal.notFound("there is no collection \(id)")
        }
        return owner
    }

    private static func nameTaken(_ name: String) -> Refusal { .conflict("you already have a collection named '\(name)'") }

    /// The check answers the common case; the UNIQUE (user_id, name)
    /// constraint stops the write that raced it, with the same answer.
    private func checkingName<Result: Sendable>(_ name: String, _ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        do {
            return try await write(body)
        } catch let error where uniqueViolation(error) != nil {
            throw Self.nameTaken(name)
        }
    }

    public func createCollection(userID: Int, name: String, description: String, isPublic: Bool, now: Date) async throws -> PaperCollection {
        try await checkingName(name) { db in
            if try await db.run("SELECT 1 FROM collections WHERE user_id = \(userID) AND name = \(name)", logger).value(Int.self) != nil {
                throw Self.nameTaken(name)
            }
            guard let id = try await db.run("""
                INSERT INTO collections (user_id, name, description, is_public, created_at)
                VALUES (\(userID), \(name), \(description), \(isPublic), \(now)) RETURNING id
                """, logger).value(Int.self) else { throw Refusal.notFound("the new collection vanished") }
            return try await Self.loadCollection(id, db, logger)
        }
    }

    public func collections(userID: Int) async throws -> [PaperCollection] {
        try await execute("\(unescaped: Self.collectionSelect) WHERE c.user_id = \(userID) ORDER BY c.name").all(CollectionRow.self).map(Self.collection)
    }

    public func collection(id: Int) async throws -> PaperCollection? {
        try await execute("\(unescaped: Self.collectionSelect) WHERE c.id = \(id)").first(CollectionRow.self).map(Self.collection)
    }

    public func updateCollection(id: Int, name: String, description: String, isPublic: Bool) async throws -> PaperCollection {
        try await checkingName(name) { db in
            let owner = try await Self.collectionOwner(id, db, logger)
            if try await db.run("SELECT 1 FROM collections WHERE user_id = \(owner) AND name = \(name) AND id <> \(id)", logger).value(Int.self) != nil {
                throw Self.nameTaken(name)
            }
            try await db.run("UPDATE collections SET name = \(name), description = \(description), is_public = \(isPublic) WHERE id = \(id)", logger)
            return try await Self.loadCollection(id, db, logger)
        }
    }

    public func deleteCollection(id: Int) async throws {
        try await write { db in
            guard try await db.run("DELETE FROM collections WHERE id = \(id) RETURNING id", logger).value(Int.self) != nil else {
                throw Refusal.notFound("there is no collection \(id)")
            }
        }
    }

    public func saveToCollection(id: Int, paperID: String, note: String, now: Date) async throws {
        try await write { db in
            _ = try await Self.collectionOwner(id, db, logger)
            let seq = try await Self.paperSeq(paperID, db, logger)
            try await db.run("""
                INSERT INTO collection_papers (collection_id, paper_seq, note, added_at) VALUES (\(id), \(seq), \(note), \(now))
                ON CONFLICT (collection_id, paper_seq) DO UPDATE SET note = excluded.note
                """, logger)
        }
    }

    public func removeFromCollection(id: Int, paperID: String) async throws {
        try await write { db in
            _ = try await Self.collectionOwner(id, db, logger)
            let seq = try await Self.paperSeq(paperID, db, logger)
            try await db.run("DELETE FROM collection_papers WHERE collection_id = \(id) AND paper_seq = \(seq)", logger)
        }
    }

    public func collectionEntries(id: Int) async throws -> [CollectionEntry] {
        try await withConnection { db in
            let notes = try await db.run("""
                SELECT paper_seq, note, added_at FROM collection_papers WHERE collection_id = \(id) ORDER BY added_at, paper_seq
                """, logger).all((Int, String, Date).self)
            guard !notes.isEmpty else { return [] }
            let papers = Dictionary(try await Self.loadPapers(db, logger, where: "p.seq = ANY(\(notes.map(\.0))::bigint[])").map { ($0.seq, $0.paper) },
                                    uniquingKeysWith: { a, _ in a })
            return notes.compactMap { seq, note, added in papers[seq].map { CollectionEntry(paper: $0, note: note, addedAt: added) } }
        }
    }

    public func savedPaperIDs(userID: Int, among paperIDs: [String]) async throws -> Set<String> {
        guard !paperIDs.isEmpty else { return [] }
        return Set(try await execute("""
            SELECT DISTINCT p.id FROM collection_papers cp JOIN collections c ON c.id = cp.collection_id JOIN papers p ON p.seq = cp.paper_seq
            WHERE c.user_id = \(userID) AND p.id = ANY(\(paperIDs)::text[])
            """).all(String.self))
    }

    // MARK: Organizations

    static func organizationID(_ slug: String, _ db: PostgresConnection, _ logger: Logger) async throws -> Int {
        guard let id = try await db.run("SELECT id FROM organizations WHERE slug = \(slug)", logger).value(Int.self) else {
            throw Refusal.notFound("Quire knows no organization '\(slug.prefix(100))'")
        }
        return id
    }

    public func createOrganization(name: String, adminUserID: Int) async throws -> Organization {
        let slug = Slug.stable(name)
        let taken = Refusal.conflict("an organization named '\(name)' already exists: ask its admins to let you join")
        do {
            return try await write { db in
                if try await db.run("SELECT 1 FROM organizations WHERE slug = \(slug)", logger).value(Int.self) != nil { throw taken }
                guard let id = try await db.run("INSERT INTO organizations (slug, name) VALUES (\(slug), \(name)) RETURNING id", logger).value(Int.self) else {
                    throw Refusal.notFound("the new organization vanished")
                }
                try await db.run("""
                    INSERT INTO organization_members (organization_id, user_id, role, status, requested_at, approved_at)
                    VALUES (\(id), \(adminUserID), 'admin', 'approved', now(), now())
                    """, logger)
                return Organization(slug: slug, name: name, paperCount: 0)
            }
        } catch let error where uniqueViolation(error) != nil {
            throw taken // made by someone else between the check and the insert
        }
    }

    static let memberSelect = """
        SELECT u.username, m.role, m.status, m.requested_at FROM organization_members m
        JOIN users u ON u.id = m.user_id JOIN organizations o ON o.id = m.organization_id
        """
    static func member(_ r: (String, String, String, Date)) -> OrganizationMember {
        OrganizationMember(username: r.0, role: MembershipRole(rawValue: r.1) ?? .member, status: MembershipStatus(rawValue: r.2) ?? .pending,
                           requestedAt: r.3)
    }

    public func members(organizationSlug: String) async throws -> [OrganizationMember] {
        try await execute("\(unescaped: Self.memberSelect) WHERE o.slug = \(organizationSlug) ORDER BY m.role, u.username")
            .all((String, String, String, Date).self).map(Self.member)
    }

    public func membership(organizationSlug: String, userID: Int) async throws -> OrganizationMember? {
        try await execute("\(unescaped: Self.memberSelect) WHERE o.slug = \(organizationSlug) AND m.user_id = \(userID)")
            .first((String, String, String, Date).self).map(Self.member)
    }

    public func organizationSlugs(userID: Int, approvedAs role: MembershipRole) async throws -> [String] {
        try await execute("""
            SELECT o.slug FROM organization_members m JOIN organizations o ON o.id = m.organization_id
            WHERE m.user_id = \(userID) AND m.role = \(role.rawValue) AND m.status = 'approved' ORDER BY o.slug
            """).all(String.self)
    }

    public func requestMembership(organizationSlug: String, userID: Int, now: Date) async throws -> Bool {
        try await write { db in
            let organization = try await Self.organizationID(organizationSlug, db, logger)
            return try await db.run("""
                INSERT INTO organization_members (organization_id, user_id, role, status, requested_at)
                VALUES (\(organization), \(userID), 'member', 'pending', \(now)) ON CONFLICT DO NOTHING RETURNING user_id
                """, logger).value(Int.self) != nil
        }
    }

    public func approveMembership(organizationSlug: String, userID: Int, role: MembershipRole, now: Date) async throws {
        try await write { db in
            let organization = try await Self.organizationID(organizationSlug, db, logger)
            try await db.run("""
                INSERT INTO organization_members (organization_id, user_id, role, status, requested_at, approved_at)
                VALUES (\(organization), \(userID), \(role.rawValue), 'approved', \(now), \(now))
                ON CONFLICT (organization_id, user_id) DO UPDATE SET role = excluded.role, status = 'approved', approved_at = excluded.approved_at
                """, logger)
        }
    }

    public func claimPaper(paperID: String, organizationSlug: String, userID: Int, now: Date, takingOver: Bool) async throws -> ClaimWrite {
        try await write { db in
            let organization = try await Self.organizationID(organizationSlug, db, logger)
            // The paper's row lock makes claims of one paper take turns: the second sees the first's.
            let seq = try await Self.paperSeq(paperID, lock: true, db, logger)
            // Whether by a claim or by its source.
            if let current = try await db.run("""
                SELECT o.id, o.slug FROM papers p
                JOIN organizations o ON o.id = coalesce((SELECT organization_id FROM paper_claims WHERE paper_seq = p.seq), p.organization_id)
                WHERE p.seq = \(seq)
                """, logger).first((Int, String).self), current.0 != organization, !takingOver {
                return .belongsTo(current.1)
            }
            try await db.run("""
                INSERT INTO paper_claims (paper_seq, organization_id, user_id, claimed_at) VALUES (\(seq), \(organization), \(userID), \(now))
                ON CONFLICT (paper_seq) DO UPDATE SET organization_id = excluded.organization_id, user_id = excluded.user_id, claimed_at = excluded.claimed_at
                """, logger)
            try await db.run("UPDATE papers SET organization_id = \(organization), modified_at = \(now) WHERE seq = \(seq)", logger)
            return .claimed
        }
    }

    // MARK: Export

    public func export(userID: Int, now: Date) async throws -> ReaderExport {
        guard let user = try await user(id: userID) else { throw Refusal.notFound("no such user") }
        let tokens = try await apiTokens(userID: userID)
        var saved: [ReaderExport.SavedCollection] = []
        for collection in try await collections(userID: userID) {
            let papers = try await collectionEntries(id: collection.id).map {
                ReaderExport.SavedPaper(paperID: $0.paper.id, title: $0.paper.title, note: $0.note, addedAt: $0.addedAt)
            }
            saved.append(.init(collection: collection, papers: papers))
        }
        return try await withConnection { [saved] db in
            let upvotes = try await db.run("""
                SELECT p.id, v.created_at FROM upvotes v JOIN papers p ON p.seq = v.paper_seq WHERE v.user_id = \(userID) ORDER BY v.created_at
                """, logger).all((String, Date).self).map { ReaderExport.Upvote(paperID: $0.0, createdAt: $0.1) }
            let submissions = try await db.run("\(unescaped: Self.submissionSelect) WHERE s.user_id = \(userID) ORDER BY s.created_at", logger)
                .all((String, String, String, String?, Date).self).map(Self.submission)
            let comments = try await db.run("\(unescaped: Self.commentSelect) WHERE c.user_id = \(userID) ORDER BY c.id", logger)
                .all(CommentRow.self).map(Self.comment)
            let memberships = try await db.run("""
                SELECT o.name, m.role, m.status FROM organization_members m JOIN organizations o ON o.id = m.organization_id WHERE m.user_id = \(userID)
                """, logger).all((String, String, String).self).map {
                ReaderExport.Membership(organization: $0.0, role: MembershipRole(rawValue: $0.1) ?? .member,
                                        status: MembershipStatus(rawValue: $0.2) ?? .pending)
            }
            return ReaderExport(user: user, upvotes: upvotes, submissions: submissions, comments: comments, collections: saved,
                                memberships: memberships, apiTokens: tokens, exportedAt: now)
        }
    }
}
