import Foundation
import QuireCore
import Storage

/// `/papers/trending`: recent papers by the formula the page states; with
/// `sort=stars`, "Trending code": papers by the GitHub stars their
/// repository gained lately (`CodeTrending`), each with its count and gain.
struct TrendingPage {
    enum Tab: String { case upvotes, stars }

    var tab = Tab.upvotes
    var papers: ResultPage<Paper>
    /// What each paper's repository gained (Trending code only).
    var gains: [String: StarGrowth] = [:]
    var marks = ReaderMarks()
    /// Papers of this page the reader's mutes hid.
    var muted = 0
    var categories = ListCategories.everything

    static func load(tab: Tab = .upvotes, page: Int, categories: ListCategories = .everything, lists: DailyLists,
                     signals: any SignalStore & FeedSignalStore) async throws -> TrendingPage {
        var result = TrendingPage(tab: tab, papers: ResultPage(items: [], total: 0), categories: categories)
        switch tab {
        case .upvotes:
            result.papers = try await DailyListQuery(days: nil, submitter: nil, categories: categories.selection, sort: .trending,
                                                     page: page, limit: 50).run(lists)
        case .stars:
            (result.papers, result.gains) = try await DailyListQuery.starGrowth(lists.papers, categories: categories.selection,
                                                                                page: page, limit: 50, now: lists.now())
        }
        result.marks = try await ReaderMarks.load(for: result.papers.items, store: signals)
        return result
    }

    func render() -> String {
        let feed = "/feeds/trending" + FeedsController.query(categories.selection)
        let tabs = [(Tab.upvotes, "Papers"), (Tab.stars, "Trending code")].map { option, label in
            option == tab ? "<b>\(label)</b>"
                : "<a href=\"\(esc(categories.link("/papers/trending", option == .stars ? "sort=stars" : nil)))\">\(label)</a>"
        }.joined()
        let list: String
        switch tab {
        case .upvotes:
            list = PaperListView.render(papers.items, marks: marks, emptyMessage: "Nothing is trending yet: no papers were listed recently.")
        case .stars where papers.items.isEmpty:
            list = "<p class=\"notice\">No star counts yet: <code>quire ingest github</code> counts the stars of papers' repositories.</p>"
        case .stars:
            list = "<ol class=\"papers\">\n" + papers.items.map { paper in
                PaperListView.entry(paper, marks: marks, lead: gains[paper.id].map { Self.starLine($0, repo: paper.githubRepo) } ?? "")
            }.joined(separator: "\n") + "\n</ol>"
        }
        return Layout.page(title: tab == .stars ? "Trending code" : "Trending papers",
                           head: FeedsController.discoveryLinks(feed, title: "Quire trending papers"), body: """
            <h1>\(tab == .stars ? "Trending code" : "Trending papers")</h1>
            <p class="periods">\(tabs)</p>
            <p class="explain">\(esc(tab == .stars ? CodeTrending.explanation : Trending.explanation))</p>
            \(categories.note(path: "/papers/trending"))
            \(tab == .upvotes ? FeedsController.feedLinks(feed) : "")
            \(MutedNote.render(muted))
            \(list)
            """)
    }

    /// "★ 1,050 · +50 in 7 days · lab/slow".
    static func starLine(_ growth: StarGrowth, repo: String?) -> String {
        let number = { (n: Int) in n.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US"))) }
        let gained = growth.gained >= 0 ? "+\(number(growth.gained))" : "−\(number(-growth.gained))"
        let link = repo.flatMap { address in
            GitHubRepository(address: address).map { "<a href=\"\(esc(address))\" rel=\"nofollow\">\(esc($0.fullName))</a>" }
        }
        return "<p class=\"meta stars\">★ \(number(growth.stars)) · \(gained) in \(CodeTrending.windowDays) days\(link.map { " · " + $0 } ?? "")</p>"
    }
}
