import Storage
import QuireCore

/// An author's or an organization's page: its name and its papers, newest first.
struct GroupPage {
    enum Kind: String { case author = "Author", organization = "Organization" }
    var kind: Kind
    var name: String
    var papers: ResultPage<Paper>
    var page: Int
    var path: String
    var marks = ReaderMarks()
    /// An organization's members and the forms to join, approve and claim.
    var membersSection = ""
    /// Whether the signed-in reader follows this author or organization (nil: nobody is signed in).
    var following: Bool?
    var slug = ""

    /// Follow: new papers go into the reader's digest.
    private var followButton: String {
        guard let following else { return "" }
        return Forms.post("/follow", button: following ? "Following ✓ (unfollow)" : "Follow",
                          fields: ["kind": kind == .author ? "author" : "organization", "slug": slug, "on": following ? "0" : "1", "back": path],
                          style: following ? "follow on" : "follow", title: "Papers from here go into your email digest")
    }

    func render() -> String {
        var paging = ""
        if papers.total > (page + 1) * 50 { paging = "<p><a href=\"\(path)?p=\(page + 1)\">More papers →</a></p>" }
        let feed = "/feeds" + path
        return Layout.page(title: name, head: FeedsController.discoveryLinks(feed, title: name), body: """
            <h1>\(esc(name))</h1>
            <p class="meta">\(kind.rawValue) · \(papers.total) paper\(papers.total == 1 ? "" : "s")</p>
            \(FeedsController.feedLinks(feed))
            \(followButton)
            \(membersSection)
            \(PaperListView.render(papers.items, marks: marks))
            \(paging)
            """)
    }
}
