import QuireCore
import Storage

/// `/papers/trending`: recent papers by the formula the page states.
struct TrendingPage {
    var papers: ResultPage<Paper>
    var marks = ReaderMarks()

    static func load(page: Int, lists: DailyLists, signals: any SignalStore) async throws -> TrendingPage {
        let papers = try await DailyListQuery(days: nil, submitter: nil, sort: .trending, page: page, limit: 50).run(lists)
        return TrendingPage(papers: papers, marks: try await ReaderMarks.load(for: papers.items, store: signals))
    }

    func render() -> String {
        Layout.page(title: "Trending papers", head: FeedsController.discoveryLinks("/feeds/trending", title: "Quire trending papers"), body: """
            <h1>Trending papers</h1>
            <p class="explain">\(esc(Trending.explanation))</p>
            \(FeedsController.feedLinks("/feeds/trending"))
            \(PaperListView.render(papers.items, marks: marks, emptyMessage: "Nothing is trending yet: no papers were listed recently."))
            """)
    }
}
