import Foundation
import Storage

/// The discussion under papers: who may write, change, hide and see a
/// comment, how long it may be and how deep replies go. Pages and the API
/// both come here; the store only persists.
public struct CommentActions: Sendable {
    /// Comment bodies are capped so one comment cannot fill a page.
    public static let maxLength = 10_000

    let store: any SignalStore
    let now: @Sendable () -> Date

    public init(store: any SignalStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store; self.now = now
    }

    /// A comment body as stored: trimmed, not blank, at most `maxLength`
    /// characters as sent (what the API's document says).
    public static func body(_ text: String?) throws -> String {
        let text = text ?? ""
        guard WrittenText.length(text) <= maxLength else {
            throw Refusal.invalid("comments can be at most \(maxLength) characters; this one has \(WrittenText.length(text))")
        }
        let body = WrittenText.trimmed(text)
        guard !body.isEmpty else { throw Refusal.invalid("the comment is empty") }
        return body
    }

    /// Hidden comments are shown only to moderators and to their author.
    public static func isVisible(_ comment: Comment, to viewer: User?) -> Bool {
        !comment.hidden || viewer?.role.canModerate == true || viewer?.username == comment.author
    }

    /// The comments on a paper that `viewer` may see, oldest first.
    public func visible(on paperID: String, to viewer: User?) async throws -> [Comment] {
        try await store.comments(paperID: paperID).filter { Self.isVisible($0, to: viewer) }
    }

    /// A comment on a paper Quire holds, or a reply to one of its top-level
    /// comments: replies go one level deep.
    public func add(to paperID: String, replyingTo parentID: Int?, body: String?, by user: User) async throws -> Comment {
        let body = try Self.body(body)
        if let parentID {
            // A well-formed reply to a comment that is not there (on this paper) or
            // that is itself a reply: 404 and 409, not a malformed request.
            guard let parent = try await store.comment(id: parentID), parent.paperID == paperID else {
                throw Refusal.notFound("there is no comment \(parentID) on \(paperID)")
            }
            if let grandparent = parent.parentID {
                throw Refusal.conflict("replies go one level deep: reply to comment \(grandparent) instead")
            }
        }
        return try await store.addComment(paperID: paperID, userID: user.id, parentID: parentID, body: body, now: now())
    }

    /// The comment, if `user` wrote it and it still stands: what they may
    /// edit or delete. Usernames never change, so the author's name tells who
    /// wrote it.
    public func editable(_ id: Int, by user: User) async throws -> Comment {
        guard let comment = try await store.comment(id: id) else { throw Refusal.notFound("there is no comment \(id)") }
        guard comment.author == user.username else { throw Refusal.forbidden("only its author can change comment \(id)") }
        guard !comment.deleted else { throw Refusal.notFound("comment \(id) was deleted") }
        return comment
    }

    /// Only the author edits.
    public func edit(_ id: Int, body: String?, by user: User) async throws -> Comment {
        let body = try Self.body(body)
        _ = try await editable(id, by: user)
        return try await store.editComment(id: id, body: body, now: now())
    }

    /// Only the author deletes; returns the comment as it was.
    @discardableResult
    public func delete(_ id: Int, by user: User) async throws -> Comment {
        let comment = try await editable(id, by: user)
        try await store.deleteComment(id: id)
        return comment
    }

    /// Only moderators and site admins hide and show comments.
    public func setHidden(_ id: Int, hidden: Bool, by user: User) async throws -> Comment {
        guard user.role.canModerate else { throw Refusal.forbidden("only moderators can hide comments") }
        return try await store.setCommentHidden(id: id, hidden: hidden)
    }
}
