import QuireCore
import Storage

/// `/authors` and `/organizations`: everyone Quire has papers from, by
/// name (authors, with a name filter) or by number of papers (organizations).
struct DirectoryPage {
    static let pageSize = 100
    /// Deeper than this, a reader should filter by name instead.
    static let maxDepth = 10_000

    struct Entry {
        var path: String
        var name: String
        var paperCount: Int
    }

    enum Kind {
        case authors, organizations
        var title: String { self == .authors ? "Authors" : "Organizations" }
        var path: String { self == .authors ? "/authors" : "/organizations" }
    }

    var kind: Kind
    var entries: [Entry]
    var total: Int
    var page: Int
    /// What the reader typed to filter authors by name.
    var query = ""

    func render() -> String {
        let noun = kind == .authors ? "author" : "organization"
        let filter = kind == .authors ? """
            <form class="inline" method="get" action="/authors">
              <label>Name <input type="search" name="q" value="\(esc(query))" placeholder="e.g. Hinton or Balazs"></label>
              <button type="submit">Find</button>
            </form>
            """ : (Viewer.current.user == nil ? "" : "<p><a href=\"/organizations/new\">Create an organization</a></p>")
        let summary = "\(total) \(noun)\(total == 1 ? "" : "s")" + (query.isEmpty ? "" : " whose name contains “\(esc(query))”")
        let list = entries.isEmpty
            ? "<p class=\"notice\">\(query.isEmpty ? "No \(noun)s yet." : "No author's name contains “\(esc(query))”.")</p>"
            : "<ul class=\"directory\">" + entries.map {
                "<li><a href=\"\($0.path)\">\(esc($0.name))</a> <span class=\"meta\">\($0.paperCount) paper\($0.paperCount == 1 ? "" : "s")</span></li>"
            }.joined() + "</ul>"
        func link(_ page: Int) -> String {
            kind.path + "?" + (query.isEmpty ? "" : "q=\(urlPart(query))&") + "p=\(page)"
        }
        var paging: [String] = []
        if page > 0 { paging.append("<a href=\"\(link(page - 1))\">← Previous</a>") }
        if total > (page + 1) * Self.pageSize, (page + 2) * Self.pageSize <= Self.maxDepth { paging.append("<a href=\"\(link(page + 1))\">Next →</a>") }
        return Layout.page(title: kind.title, query: "", body: """
            <h1>\(kind.title)</h1>
            \(filter)
            <p class="meta">\(summary)</p>
            \(list)
            \(paging.isEmpty ? "" : "<p class=\"paging\">\(paging.joined(separator: " · "))</p>")
            """)
    }
}
