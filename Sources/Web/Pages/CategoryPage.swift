import QuireCore
import Storage

/// `/categories/{category}`: a category's or archive's papers, newest on
/// the list first, with its feeds and links to the day, week and month
/// narrowed to it.
struct CategoryPage {
    static let pageSize = 50

    var selection: CategorySelection
    var papers: ResultPage<Paper>
    var page: Int
    var marks = ReaderMarks()

    static func load(_ selection: CategorySelection, page: Int, lists: DailyLists, signals: any SignalStore & FeedSignalStore) async throws -> CategoryPage {
        let papers = try await DailyListQuery(days: nil, submitter: nil, categories: selection, sort: .publishedAt,
                                              page: page, limit: pageSize).run(lists)
        if page > 0, papers.items.isEmpty {
            throw PageError.notFound("\(selection.listed) has \(papers.total) paper\(papers.total == 1 ? "" : "s"): there is no page \(page + 1).")
        }
        return CategoryPage(selection: selection, papers: papers, page: page, marks: try await ReaderMarks.load(for: papers.items, store: signals))
    }

    func render() -> String {
        let name = selection.listed
        let query = ListCategories.query(selection)
        let isArchive = !name.contains(".")
        let path = "/categories/" + urlPart(name)
        let feed = "/feeds/daily?" + query
        var paging: [String] = []
        if page > 0 { paging.append("<a rel=\"prev\" href=\"\(path)\(page > 1 ? "?p=\(page - 1)" : "")\">← Newer</a>") }
        if papers.total > (page + 1) * Self.pageSize { paging.append("<a rel=\"next\" href=\"\(path)?p=\(page + 1)\">Older →</a>") }
        let body = """
        <h1>\(esc(name))</h1>
        <p class="meta">\(papers.total) paper\(papers.total == 1 ? "" : "s")\(isArchive ? " in every \(esc(name)).* category" : ""), newest first ·
        this category on <a href="/?\(query)">the latest day</a>, <a href="/papers/trending?\(query)">trending</a></p>
        \(FeedsController.feedLinks(feed))
        \(PaperListView.render(papers.items, marks: marks, emptyMessage: "Quire holds no papers in \(name) yet."))
        \(paging.isEmpty ? "" : "<div class=\"pager\">\(paging.joined())</div>")
        """
        return Layout.page(title: "\(name) papers", head: FeedsController.discoveryLinks(feed, title: "Quire · \(name)"), body: body)
    }
}
