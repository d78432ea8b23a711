import QuireCore
import Storage

/// `/papers/trending`: recent papers by the formula the page states.
struct TrendingPage {
    var papers: ResultPage<Paper>
    var marks = ReaderMarks()
    /// Papers of this page the reader's mutes hid.
    var muted = 0
    var categories = ListCategories.everything

    static func load(page: Int, categories: ListCategories = .everything, lists: DailyLists, signals: any SignalStore) async throws -> TrendingPage {
        let papers = try await DailyListQuery(days: nil, submitter: nil, categories: categories.selection, sort: .trending,
                                              page: page, limit: 50).run(lists)
        return TrendingPage(papers: papers, marks: try await ReaderMarks.load(for: papers.items, store: signals), categories: categories)
    }

    func render() -> String {
        let feed = "/feeds/trending" + FeedsController.query(categories.selection)
        return Layout.page(title: "Trending papers", head: FeedsController.discoveryLinks(feed, title: "Quire trending papers"), body: """
            <h1>Trending papers</h1>
            <p class="explain">\(esc(Trending.explanation))</p>
            \(categories.note(path: "/papers/trending"))
            \(FeedsController.feedLinks(feed))
            \(MutedNote.render(muted))
            \(PaperListView.render(papers.items, marks: marks, emptyMessage: "Nothing is trending yet: no papers were listed recently."))
            """)
    }
}
