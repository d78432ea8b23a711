import Foundation
import QuireCore
import ReaderActions
import Storage

/// The discussion under a paper: comments with their replies (one level),
/// the forms to write, reply, edit and delete, and moderators' hide buttons.
/// Comment text only ever reaches the page through `CommentMarkup`.
struct CommentsView {
    var paperID: String
    var comments: [Comment]

    func render() -> String {
        let viewer = Viewer.current.user
        let visible = comments.filter { CommentActions.isVisible($0, to: viewer) }
        let topLevel = visible.filter { $0.parentID == nil }
        let replies = Dictionary(grouping: visible.filter { $0.parentID != nil }, by: { $0.parentID! })
        let threads = topLevel.compactMap { comment -> String? in
            let answers = replies[comment.id] ?? []
            // A deleted comment with no replies left has nothing to show.
            if comment.deleted && answers.isEmpty { return nil }
            let replyList = answers.map { entry($0, canReply: false) }.joined()
            return entry(comment, canReply: true, replies: replyList)
        }
        let count = visible.filter { !$0.deleted }.count
        let form = viewer == nil
            ? "<p><a href=\"/login?next=\(urlPart(Viewer.current.path))\">Log in</a> to join the discussion.</p>"
            : """
            <form class="stack comment-form" method="post" action="/comments">
              \(Forms.csrfField())
              <input type="hidden" name="paper" value="\(esc(paperID))">
              <label>Add a comment <textarea name="body" maxlength="\(CommentActions.maxLength)" required></textarea></label>
              <button type="submit">Comment</button>
            </form>
            <p class="meta">Plain text; *emphasis*, **bold**, `code`, lists, &gt; quotes and links work.</p>
            """
        return """
        <section class="comments" id="comments">
          <h2>Discussion (\(count))</h2>
          \(threads.joined())
          \(form)
        </section>
        """
    }

    private func entry(_ comment: Comment, canReply: Bool, replies: String = "") -> String {
        let viewer = Viewer.current.user
        var controls: [String] = []
        if viewer != nil && canReply && !comment.deleted {
            controls.append("""
            <details class="reply"><summary>Reply</summary><form class="stack" method="post" action="/comments">\(Forms.csrfField())\
            <input type="hidden" name="paper" value="\(esc(paperID))"><input type="hidden" name="parent" value="\(comment.id)">\
            <textarea name="body" maxlength="\(CommentActions.maxLength)" required aria-label="Your reply"></textarea><button type="submit">Reply</button></form></details>
            """)
        }
        if viewer?.username == comment.author && !comment.deleted {
            controls.append("<a href=\"/comments/\(comment.id)/edit\">Edit</a>")
            controls.append(Forms.post("/comments/\(comment.id)/delete", button: "Delete", style: "link"))
        }
        if viewer?.role.canModerate == true && !comment.deleted {
            controls.append(Forms.post("/comments/\(comment.id)/hide", button: comment.hidden ? "Unhide" : "Hide",
                                       fields: ["hidden": comment.hidden ? "0" : "1"], style: "link"))
        }
        let body = comment.deleted ? "<p class=\"meta\">[deleted]</p>" : CommentMarkup.html(comment.body)
        return """
        <article class="comment\(comment.hidden ? " hidden-comment" : "")" id="comment-\(comment.id)">
          <p class="meta"><b>\(esc(comment.author))</b> · \(Layout.display(comment.createdAt))\(comment.editedAt == nil ? "" : " · edited")\(comment.hidden ? " · hidden by a moderator" : "")</p>
          <div class="body">\(body)</div>
          <div class="actions">\(controls.joined())</div>
          \(replies.isEmpty ? "" : "<div class=\"replies\">\(replies)</div>")
        </article>
        """
    }

    static func editPage(_ comment: Comment, message: String? = nil) -> String {
        Layout.page(title: "Edit your comment", body: """
        <h1>Edit your comment</h1>
        \(Forms.message(message))
        <form class="stack" method="post" action="/comments/\(comment.id)/edit">
          \(Forms.csrfField())
          <textarea name="body" maxlength="\(CommentActions.maxLength)" required>\(esc(comment.body))</textarea>
          <button type="submit">Save</button>
        </form>
        <p><a href="\(PaperListView.paperPath(comment.paperID))#comment-\(comment.id)">Cancel</a></p>
        """)
    }
}
