import Foundation
import Storage

/// On an organization's page: who belongs to it, and the forms to ask to
/// join, to approve those who asked (for its admins) and to claim a paper.
struct OrganizationMembersView {
    var slug: String
    var members: [OrganizationMember]

    func render() -> String {
        let viewer = Viewer.current.user
        let mine = members.first { $0.username == viewer?.username }
        let isAdmin = (mine?.role == .admin && mine?.status == .approved) || viewer?.role == .admin
        let approved = members.filter { $0.status == .approved }
        let pending = members.filter { $0.status == .pending }
        var html = "<section class=\"members\"><h2>Members</h2>"
        html += approved.isEmpty ? "<p>No members yet.</p>"
            : "<ul>" + approved.map { "<li>\(esc($0.username))\($0.role == .admin ? " (admin)" : "")</li>" }.joined() + "</ul>"
        let base = "/organizations/\(urlPart(slug))"
        if isAdmin && !pending.isEmpty {
            html += "<h3>Asking to join</h3><ul>" + pending.map {
                "<li>\(esc($0.username)) \(Forms.post(base + "/approve", button: "Approve", fields: ["username": $0.username, "role": "member"]))</li>"
            }.joined() + "</ul>"
        }
        if viewer != nil && mine == nil {
            html += Forms.post(base + "/join", button: "Ask to join")
        } else if mine?.status == .pending {
            html += "<p class=\"meta\">You asked to join; an admin of this organization will approve you.</p>"
        }
        if mine?.status == .approved {
            html += """
            <form class="stack" method="post" action="\(base)/claim">\(Forms.csrfField())
            <label>Claim a paper for this organization (arXiv id or link) <input type="text" name="paper" required></label>
            <button type="submit">Claim</button></form>
            """
        }
        return html + "</section>"
    }
}
