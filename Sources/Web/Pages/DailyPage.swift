import Foundation
import QuireCore
import Storage

/// `/`, `/papers/date/…`, `/papers/week/…`, `/papers/month/…`: the papers of
/// a period, most upvoted first, with links to the periods around it.
struct DailyPage {
    static let pageSize = 50

    var period: Period
    var papers: ResultPage<Paper>
    var page: Int
    var previous: Period?
    var next: Period?
    var marks = ReaderMarks()

    /// Days step to the nearest day that has papers (weekends and gaps are
    /// skipped); weeks and months step by the calendar.
    /// `signals` marks what the signed-in reader upvoted and saved.
    static func load(_ period: Period, page: Int, lists: DailyLists, signals: any SignalStore) async throws -> DailyPage {
        let papers = try await DailyListQuery(days: DayRange(period), submitter: nil, sort: .upvotes, page: page, limit: pageSize).run(lists)
        var previous: Period? = period.previous
        var next: Period? = period.next
        if case .day(let day) = period {
            previous = try await lists.papers.listDay(before: day).map(Period.day)
            next = try await lists.papers.listDay(after: day).map(Period.day)
        }
        return DailyPage(period: period, papers: papers, page: page, previous: previous, next: next,
                         marks: try await ReaderMarks.load(for: papers.items, store: signals))
    }

    func render(isHome: Bool = false) -> String {
        let heading = isHome ? "Daily Papers · \(Layout.display(period))" : "Papers of \(Layout.display(period))"
        let first = period.firstDay
        let periods = """
        <span class="periods"><a href="/papers/date/\(first)">Day</a><a href="/papers/week/\(Period.containing(first, kind: .week))">Week</a><a href="/papers/month/\(Period.containing(first, kind: .month))">Month</a></span>
        """
        let prev = previous.map { "<a rel=\"prev\" href=\"\(Self.path($0))\">← \(esc(Layout.display($0)))</a>" } ?? "<span></span>"
        let nextLink = next.map { "<a rel=\"next\" href=\"\(Self.path($0))\">\(esc(Layout.display($0))) →</a>" } ?? "<span></span>"
        var paging = ""
        if papers.total > (page + 1) * Self.pageSize {
            paging = "<p><a href=\"\(Self.path(period))?p=\(page + 1)\">More papers of this \(period.kind.rawValue) →</a></p>"
        }
        let body = """
        <h1>\(esc(heading))</h1>
        <div class="pager">\(prev)\(periods)\(nextLink)</div>
        <p class="meta">\(papers.total) paper\(papers.total == 1 ? "" : "s")</p>
        \(FeedsController.feedLinks("/feeds/daily"))
        \(PaperListView.render(papers.items, marks: marks, emptyMessage: "No papers were listed in this \(period.kind.rawValue)."))
        \(paging)
        """
        return Layout.page(title: heading, head: FeedsController.discoveryLinks("/feeds/daily", title: "Quire daily papers"), body: body)
    }

    static func path(_ period: Period) -> String {
        switch period {
        case .day: "/papers/date/\(period)"
        case .week: "/papers/week/\(period)"
        case .month: "/papers/month/\(period)"
        }
    }
}
