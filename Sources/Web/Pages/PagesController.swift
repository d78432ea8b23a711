import Foundation
import HTTPTypes
import Hummingbird
import QuireCore
import ReaderActions
import Search
import Storage

/// The server-rendered pages that read: lists, papers, authors,
/// organizations, search. Each works without JavaScript.
struct PagesController {
    /// Papers, readers' marks, comments and collections, who follows what:
    /// read only, so no accounts and no writes.
    typealias Store = PaperStore & SignalStore & FeedSignalStore & DigestStore
    let store: any Store
    let search: SearchService
    let lists: DailyLists
    /// The signed-in reader's default categories, for the list pages.
    let categoryDefaults: CategoryDefaultActions
    /// Counts searches against the reader's address.
    let gate: Gate
    /// Keeps the list pages whole for anonymous readers (`PageCache`).
    let responseCache: PageCacheMiddleware
    /// What a signed-in reader who opted in has muted in every list.
    let mutes: MuteActions
    /// Notes the papers a signed-in reader opens, a weak signal for their feed:
    /// the one write of this controller.
    let openings: FeedSignalActions

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        // The list pages everyone reads.
        let cached = router.group().add(middleware: responseCache)
        cached.get("/", use: home)
        cached.get("/papers/date/:day", use: day)
        cached.get("/papers/week/:week", use: week)
        cached.get("/papers/month/:month", use: month)
        cached.get("/papers/trending", use: trending)
        cached.get("/categories/:category", use: category)
        router.get("/papers/**", use: paper)
        // arxiv.org's addresses with Quire's host: the habit Hugging Face supports.
        router.get("/abs/**") { _, context in try await arxivHabit(context, status: .movedPermanently) }
        router.get("/pdf/**") { _, context in try await arxivHabit(context, status: .found) }
        router.get("/authors", use: authors)
        router.get("/authors/:slug", use: author)
        router.get("/organizations", use: organizations)
        router.get("/organizations/:slug", use: organization)
        router.get("/search", use: search)
    }

    private func pageNumber(_ request: Request, size: Int = DailyPage.pageSize) throws -> Int {
        try QueryReader(request, error: PageError.badRequest).page(size: size, maxDepth: DailyListQuery.maxDepth)
    }

    /// The categories a list page shows: `category=` when the address has
    /// it (an unknown one is a 400 page saying the valid form), else the
    /// signed-in reader's defaults.
    private func listCategories(_ request: Request, _ context: AppRequestContext) async throws -> ListCategories {
        let given = try QueryReader(request, error: PageError.badRequest).categories()
        let defaults = given == nil ? try await categoryDefaults.defaults(for: context.viewer.user) : .everything
        return .choose(fromAddress: given, readerDefaults: defaults)
    }

    private func periodPage(_ period: Period, _ request: Request, _ context: AppRequestContext, isHome: Bool = false) async throws -> HTMLPage {
        let page = try pageNumber(request)
        let categories = try await listCategories(request, context)
        var daily = try await DailyPage.load(period, page: page, categories: categories, lists: lists, signals: store)
        (daily.papers.items, daily.muted) = try await unmuted(daily.papers.items, context)
        return HTMLPage(html: daily.render(isHome: isHome))
    }

    /// The papers the reader's list mutes leave (all of them for anonymous
    /// readers and readers who keep mutes to "For you"), and how many went.
    private func unmuted(_ papers: [Paper], _ context: AppRequestContext) async throws -> ([Paper], Int) {
        let rule = try await mutes.listRule(for: context.viewer.user)
        let kept = rule.filter(papers)
        return (kept, papers.count - kept.count)
    }

    func home(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let latest = try await store.latestListDay() ?? Day.today(now: lists.now())
        return try await periodPage(.day(latest), request, context, isHome: true)
    }

    func day(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let text = try context.parameters.require("day")
        guard let day = Day(text) else { throw PageError.badRequest("'\(text.prefix(40))' is not a date: write it YYYY-MM-DD.") }
        return try await periodPage(.day(day), request, context)
    }

    func week(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let text = try context.parameters.require("week")
        guard let week = Period.parseWeek(text) else { throw PageError.badRequest("'\(text.prefix(40))' is not a week: write it YYYY-Www, e.g. 2025-W09.") }
        return try await periodPage(week, request, context)
    }

    func month(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let text = try context.parameters.require("month")
        guard let month = Period.parseMonth(text) else { throw PageError.badRequest("'\(text.prefix(40))' is not a month: write it YYYY-MM.") }
        return try await periodPage(month, request, context)
    }

    func trending(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let page = try pageNumber(request)
        let categories = try await listCategories(request, context)
        let sort = QueryReader(request, error: PageError.badRequest).string("sort") ?? "upvotes"
        guard let tab = TrendingPage.Tab(rawValue: sort) else {
            throw PageError.badRequest("sort must be upvotes (the default) or stars (Trending code), not '\(sort.prefix(40))'")
        }
        var trending = try await TrendingPage.load(tab: tab, page: page, categories: categories, lists: lists, signals: store)
        (trending.papers.items, trending.muted) = try await unmuted(trending.papers.items, context)
        return HTMLPage(html: trending.render())
    }

    /// `/categories/{category}`: a category's (or archive's) papers, newest
    /// first, as arXiv's own category listing is: a badge on a paper from
    /// any year leads to what is new in its field, not to the day it was listed.
    func category(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let text = try context.parameters.require("category")
        let selection: CategorySelection
        do { selection = try CategorySelection(parsing: [text]) } catch { throw PageError.badRequest(error.message) }
        let page = try pageNumber(request)
        return HTMLPage(html: try await CategoryPage.load(selection, page: page, lists: lists, signals: store).render())
    }

    /// `/papers/{id}`, `/papers/{id}.md`, and its citation as a file
    /// (`.bib`, `.ris`, `.csl.json`); old-style ids have a slash in them.
    func paper(_ request: Request, context: AppRequestContext) async throws -> Response {
        var raw = context.parameters.getCatchAll().joined(separator: "/")
        let citation = CitationDownload.split(raw)
        if let citation { raw = citation.rest }
        let wantsMarkdown = citation == nil && raw.hasSuffix(".md")
        if wantsMarkdown { raw.removeLast(3) }
        let id = ArxivID.parse(raw)?.base ?? raw
        guard let paper = try await store.paper(id: id) else {
            throw PageError.notFound("Quire has no paper '\(raw.prefix(100))'.")
        }
        if let citation { return citation.format.response([paper], filename: paper.id) }
        if wantsMarkdown {
            return Response(status: .ok, headers: [.contentType: "text/markdown; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: PaperPage(paper: paper).markdown())))
        }
        // Only the HTML page shows similar papers: the Markdown does not need the vector scan.
        var page = PaperPage(paper: paper, similar: try await search.similar(to: paper, limit: 5))
        page.comments = try await store.comments(paperID: paper.id)
        page.marks = try await ReaderMarks.load(for: [paper] + page.similar, store: store)
        if let user = context.viewer.user {
            page.collections = try await store.collections(userID: user.id)
            // Not through an API token: a script fetching pages is not a reader opening them.
            if !context.viewer.viaAPIToken { try await openings.noteOpened(paperID: paper.id, by: user) }
        }
        return try HTMLPage(html: page.render()).response(from: request, context: context)
    }

    /// `/abs/{id}` and `/pdf/{id}` (with a version, with `.pdf`) lead to the
    /// paper's page. /abs is 301: the paper page is for good what arXiv's
    /// abstract page is for Quire. /pdf is 302: it stands in for a PDF that
    /// Quire does not serve (yet), and a browser keeps a 301 for ever.
    func arxivHabit(_ context: AppRequestContext, status: HTTPResponse.Status) async throws -> Response {
        var raw = context.parameters.getCatchAll().joined(separator: "/")
        if raw.hasSuffix(".pdf") { raw.removeLast(4) }
        let id = ArxivID.parse(raw)?.base ?? raw
        guard let paper = try await store.paper(id: id) else {
            throw PageError.notFound("Quire has no paper '\(raw.prefix(100))'.")
        }
        return Response(status: status, headers: [.location: PaperListView.paperPath(paper.id)])
    }

    /// Authors by name; `q` keeps those whose name contains it, compared as
    /// slugs (case and accents aside: "balazs" finds "Balázs").
    func authors(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let q = QueryReader(request, error: PageError.badRequest)
        let query = String((q.string("q") ?? "").trimmingCharacters(in: .whitespaces).prefix(100))
        let page = try q.page(size: DirectoryPage.pageSize, maxDepth: DirectoryPage.maxDepth)
        let fragment = query.isEmpty ? nil : Slug.stable(query)
        // Punctuation alone leaves nothing to look for: no author matches it.
        let authors = fragment?.isEmpty == true ? ResultPage(items: [], total: 0)
            : try await store.authors(slugContaining: fragment, offset: page * DirectoryPage.pageSize, limit: DirectoryPage.pageSize)
        let entries = authors.items.map { DirectoryPage.Entry(path: "/authors/\(urlPart($0.slug))", name: $0.name, paperCount: $0.paperCount) }
        return HTMLPage(html: DirectoryPage(kind: .authors, entries: entries, total: authors.total, page: page, query: query).render())
    }

    /// Organizations, those with most papers first.
    func organizations(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let page = try QueryReader(request, error: PageError.badRequest).page(size: DirectoryPage.pageSize, maxDepth: DirectoryPage.maxDepth)
        let organizations = try await store.organizations(offset: page * DirectoryPage.pageSize, limit: DirectoryPage.pageSize)
        let entries = organizations.items.map { DirectoryPage.Entry(path: "/organizations/\(urlPart($0.slug))", name: $0.name, paperCount: $0.paperCount) }
        return HTMLPage(html: DirectoryPage(kind: .organizations, entries: entries, total: organizations.total, page: page).render())
    }

    func author(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let slug = try context.parameters.require("slug")
        guard let author = try await store.author(slug: slug) else { throw PageError.notFound("Quire knows no author '\(slug.prefix(100))'.") }
        let page = try pageNumber(request)
        let papers = try await store.papers(authorSlug: slug, offset: page * 50, limit: 50)
        return HTMLPage(html: GroupPage(kind: .author, name: author.name, papers: papers, page: page, path: "/authors/\(urlPart(slug))",
                                        marks: try await ReaderMarks.load(for: papers.items, store: store),
                                        following: try await following(.author, slug, context), slug: slug).render())
    }

    func organization(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let slug = try context.parameters.require("slug")
        guard let org = try await store.organization(slug: slug) else { throw PageError.notFound("Quire knows no organization '\(slug.prefix(100))'.") }
        let page = try pageNumber(request)
        let papers = try await store.papers(organizationSlug: slug, offset: page * 50, limit: 50)
        let members = try await store.members(organizationSlug: slug)
        return HTMLPage(html: GroupPage(kind: .organization, name: org.name, papers: papers, page: page, path: "/organizations/\(urlPart(slug))",
                                        marks: try await ReaderMarks.load(for: papers.items, store: store),
                                        membersSection: OrganizationMembersView(slug: slug, members: members).render(),
                                        following: try await following(.organization, slug, context), slug: slug).render())
    }

    /// Whether the signed-in reader follows this author or organization; nil for nobody.
    private func following(_ kind: Follow.Kind, _ slug: String, _ context: AppRequestContext) async throws -> Bool? {
        guard let user = context.viewer.user else { return nil }
        return try await store.follows(userID: user.id).contains(Follow(kind: kind, slug: slug))
    }

    func search(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let q = QueryReader(request, error: PageError.badRequest)
        let text = (q.string("q") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var page = SearchPage(query: String(text.prefix(SearchService.maxQueryLength)))
        guard text.count <= SearchService.maxQueryLength else {
            page.message = "That query is \(text.count) characters long; keep it under \(SearchService.maxQueryLength)."
            return HTMLPage(html: page.render(), status: .badRequest)
        }
        var query: SearchQuery
        do { query = try SearchQuery.parse(text) } catch let error as SearchQueryError {
            page.message = error.message
            return HTMLPage(html: page.render(), status: .badRequest)
        }
        try await gate.reader(request, context)
        guard !query.isEmpty else {
            page.message = text.isEmpty ? "Type a few words, a title, or paste an arXiv link."
                                        : "There is nothing to search for in that query: add some words."
            return HTMLPage(html: page.render())
        }
        page.sort = SearchSort(rawValue: q.string("sort") ?? "") ?? .relevance
        if let categories = try q.categories() { query.filters.categories = categories; page.categories = categories }
        page.page = try q.page(size: SearchPage.pageSize, maxDepth: SearchService.maxDepth)
        page.results = try await search.search(query, sort: page.sort, page: page.page, limit: SearchPage.pageSize)
        if let hits = page.results?.hits {
            let rule = try await mutes.listRule(for: context.viewer.user)
            page.results?.hits = hits.filter { !rule.hides($0.paper) }
            page.muted = hits.count - (page.results?.hits.count ?? 0)
        }
        if page.results?.total == 0 { page.suggestions = try await search.suggestions(for: query) }
        page.marks = try await ReaderMarks.load(for: page.results?.hits.map(\.paper) ?? [], store: store)
        page.justSaved = q.string("saved") == "1"
        return HTMLPage(html: page.render())
    }
}
