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
    /// Papers of this page the reader's mutes hid.
    var muted = 0
    /// The categories shown (`category=` or the reader's defaults); every
    /// link to another period or page keeps them.
    var categories = ListCategories.everything

    /// Days step to the nearest day that has papers (weekends and gaps are
    /// skipped); weeks and months step by the calendar.
    /// `signals` marks what the signed-in reader upvoted and saved.
    static func load(_ period: Period, page: Int, categories: ListCategories = .everything, lists: DailyLists,
                     signals: any SignalStore & FeedSignalStore) async throws -> DailyPage {
        let papers = try await DailyListQuery(days: DayRange(period), submitter: nil, categories: categories.selection, sort: .upvotes,
                                              page: page, limit: pageSize).run(lists)
        let today = Day.today(now: lists.now())
        try checkExists(period, page: page, papers: papers, today: today)
        var previous: Period? = period.previous
        // No link on to a week or month that has not begun: it has no papers yet.
        var next: Period? = period.next.flatMap { $0.firstDay > today ? nil : $0 }
        if case .day(let day) = period {
            previous = try await lists.papers.listDay(before: day, categories: categories.selection).map(Period.day)
            next = try await lists.papers.listDay(after: day, categories: categories.selection).map(Period.day)
        }
        return DailyPage(period: period, papers: papers, page: page, previous: previous, next: next,
                         marks: try await ReaderMarks.load(for: papers.items, store: signals), categories: categories)
    }

    /// A period that has not begun and holds nothing, or a page past the
    /// last paper, is not found: an empty 200 would read as "no papers that
    /// day" (a future day is not a day without papers; page 5 of a 9-paper day
    /// is not "no papers were listed").
    static func checkExists(_ period: Period, page: Int, papers: ResultPage<Paper>, today: Day) throws {
        let kind = period.kind.rawValue
        if papers.total == 0, period.firstDay > today {
            throw PageError.notFound("\(Layout.display(period)) is still to come: Quire has no papers of it yet.")
        }
        if page > 0, papers.items.isEmpty {
            let pages = max(1, (papers.total + pageSize - 1) / pageSize)
            throw PageError.notFound("This \(kind) has \(papers.total) paper\(papers.total == 1 ? "" : "s") on \(pages) page\(pages == 1 ? "" : "s"): there is no page \(page + 1).")
        }
    }

    func render(isHome: Bool = false) -> String {
        let heading = isHome ? "Daily Papers · \(Layout.display(period))" : "Papers of \(Layout.display(period))"
        let first = period.firstDay
        let link = { (path: String) in esc(categories.link(path)) }
        let periods = """
        <span class="periods"><a href="\(link("/papers/date/\(first)"))">Day</a><a href="\(link("/papers/week/\(Period.containing(first, kind: .week))"))">Week</a><a href="\(link("/papers/month/\(Period.containing(first, kind: .month))"))">Month</a></span>
        """
        let prev = previous.map { "<a rel=\"prev\" href=\"\(link(Self.path($0)))\">← \(esc(Layout.display($0)))</a>" } ?? "<span></span>"
        let nextLink = next.map { "<a rel=\"next\" href=\"\(link(Self.path($0)))\">\(esc(Layout.display($0))) →</a>" } ?? "<span></span>"
        var paging = ""
        if papers.total > (page + 1) * Self.pageSize {
            paging = "<p><a href=\"\(esc(categories.link(Self.path(period), "p=\(page + 1)")))\">More papers of this \(period.kind.rawValue) →</a></p>"
        }
        // The feed follows the same categories (a feed has no reader, so defaults are written out).
        let feed = "/feeds/daily" + FeedsController.query(categories.selection)
        let body = """
        <h1>\(esc(heading))</h1>
        <div class="pager">\(prev)\(periods)\(nextLink)</div>
        \(categories.note(path: isHome ? "/" : Self.path(period)))
        <p class="meta">\(papers.total) paper\(papers.total == 1 ? "" : "s")</p>
        \(FeedsController.feedLinks(feed))
        \(MutedNote.render(muted))
        \(PaperListView.render(papers.items, marks: marks, emptyMessage: "No papers were listed in this \(period.kind.rawValue)."))
        \(paging)
        """
        return Layout.page(title: heading, head: FeedsController.discoveryLinks(feed, title: "Quire daily papers"), body: body)
    }

    static func path(_ period: Period) -> String {
        switch period {
        case .day: "/papers/date/\(period)"
        case .week: "/papers/week/\(period)"
        case .month: "/papers/month/\(period)"
        }
    }
}
