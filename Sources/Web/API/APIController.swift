import Foundation
import HTTPTypes
import Hummingbird
import QuireCore
import Search
import Storage

/// The JSON API. The three read endpoints Hugging Face publishes answer in
/// its format and semantics; the rest are Quire's own.
struct APIController {
    /// Papers, authors, organizations and counts: read only.
    let store: any PaperStore
    let search: SearchService
    let lists: DailyLists
    /// Counts searches against the caller's address.
    let gate: Gate
    /// Keeps answers that are the same for every caller whole (`PageCache`).
    let responseCache: PageCacheMiddleware
    /// For the absolute `Link` of `/api/papers`.
    let site: PublicSite

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.group().add(middleware: responseCache)
            .on(APIContract.dailyPapers, use: dailyPapers)
        router.on(APIContract.searchPapers, use: search)
        router.on(APIContract.listPapers, use: listPapers)
        router.on(APIContract.paper, use: paper)
        router.on(APIContract.author, use: author)
        router.on(APIContract.organization, use: organization)
        router.on(APIContract.stats, use: stats)
        router.on(APIContract.document) { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
    }

    /// `GET /api/daily_papers?date=|week=|month=&submitter=&sort=&p=&limit=`
    func dailyPapers(_ request: Request, context: AppRequestContext) async throws -> Response {
        let q = QueryReader(request, error: APIError.badRequest)
        let (page, limit) = try Self.paging(q, limits: APIContract.dailyLimits)
        guard Self.withinDepth(page: page, limit: limit, maxDepth: DailyListQuery.maxDepth) else { return try jsonResponse([HFDailyEntry]()) }
        let query = DailyListQuery(days: try Self.days(q), submitter: q.string("submitter"), categories: try q.categories() ?? .everything,
                                   sort: try Self.sort(q), page: page, limit: limit)
        let result = try await query.run(lists)
        var headers = HTTPFields()
        if (query.page + 1) * query.limit < result.total, Self.withinDepth(page: query.page + 1, limit: query.limit, maxDepth: DailyListQuery.maxDepth) {
            var next = URLComponents()
            next.path = "/api/daily_papers"
            // Every parameter as sent, repeats too (`category=` is repeatable).
            next.queryItems = q.fields.pairs.filter { $0.name != "p" }.map { URLQueryItem(name: $0.name, value: $0.value) }
                + [URLQueryItem(name: "p", value: String(query.page + 1))]
            headers[HTTPField.Name("Link")!] = "<\(next.string ?? "")>; rel=\"next\""
        }
        headers[HTTPField.Name("X-Total-Count")!] = String(result.total)
        return try jsonResponse(result.items.map { HFDailyEntry($0) }, headers: headers)
    }

    /// The days `date`, `week` and `month` select. Each narrows the list, so
    /// given together they select the days in all of them (perhaps none).
    static func days(_ q: QueryReader) throws -> DayRange? {
        var periods: [Period] = []
        if let text = q.string("date") {
            guard let day = Day(text) else { throw APIError.badRequest("date must be a real day written YYYY-MM-DD, not '\(text.prefix(40))'") }
            periods.append(.day(day))
        }
        if let text = q.string("week") {
            guard let week = Period.parseWeek(text) else {
                // The document's pattern admits W53, which only some years have.
                throw APIError.notFound("there is no ISO week '\(text.prefix(40))'")
            }
            periods.append(week)
        }
        if let text = q.string("month") {
            guard let month = Period.parseMonth(text) else { throw APIError.badRequest("month must be written YYYY-MM, not '\(text.prefix(40))'") }
            periods.append(month)
        }
        var days: DayRange?
        for period in periods {
            days = days?.intersection(DayRange(period)) ?? DayRange(period)
        }
        return days
    }

    /// `p` and `limit` within the document's ranges.
    static func paging(_ q: QueryReader, limits: ClosedRange<Int>, pages: ClosedRange<Int> = APIContract.pages) throws -> (page: Int, limit: Int) {
        let limit = try q.int("limit", default: 50, range: limits)
        return (try q.int("p", default: 0, range: pages), limit)
    }

    /// Lists are served down to their `maxDepth`-th entry (every page costs
    /// what skipping the pages before it costs). A page past that is empty
    /// rather than an error: how deep `p` may go depends on `limit`, which
    /// the document cannot say of two parameters, so it is not a rule the
    /// server may reject by.
    static func withinDepth(page: Int, limit: Int, maxDepth: Int) -> Bool {
        page <= maxDepth / max(1, limit) - 1
    }

    static func sort(_ q: QueryReader) throws -> DailyListQuery.Sort {
        guard let text = q.string("sort") else { return .publishedAt }
        guard let sort = DailyListQuery.Sort(rawValue: text), sort != .upvotes else {
            throw APIError.badRequest("sort must be publishedAt, trending or stars, not '\(text.prefix(40))'")
        }
        return sort
    }

    /// `GET /api/papers?cursor=&limit=`: every paper, a page at a time, with
    /// the next page's absolute address in `Link` (as Hugging Face's listing).
    func listPapers(_ request: Request, context: AppRequestContext) async throws -> Response {
        let q = QueryReader(request, error: APIError.badRequest)
        let limit = try q.int("limit", default: 50, range: APIContract.listLimits)
        var after = PaperCursor(seq: 0)
        if let text = q.string("cursor") {
            guard let cursor = PaperCursor(text) else {
                throw APIError.badRequest("cursor must be one from a Link header (none for the first page), not '\(text.prefix(40))'")
            }
            after = cursor
        }
        // One more than asked for tells whether there is a next page.
        let found = try await store.papers(storedAfter: after.seq, limit: limit + 1)
        let page = found.prefix(limit)
        var headers = HTTPFields()
        if found.count > limit, let last = page.last {
            let next = site.absoluteURL("/api/papers?limit=\(limit)&cursor=\(PaperCursor(seq: last.seq).text)")
            headers[HTTPField.Name("Link")!] = "<\(next)>; rel=\"next\""
        }
        return try jsonResponse(page.map { HFPaper($0.paper) }, headers: headers)
    }

    /// `GET /api/papers/{id}`; old-style ids contain a slash ("hep-th/9901001").
    func paper(_ request: Request, context: AppRequestContext) async throws -> Response {
        let raw = context.parameters.getCatchAll().joined(separator: "/")
        let id = ArxivID.parse(raw)?.base ?? raw
        guard let paper = try await store.paper(id: id) else {
            throw APIError.notFound("no paper with id '\(raw.prefix(100))'")
        }
        return try jsonResponse(HFPaper(paper))
    }

    /// `GET /api/papers/search?q=&limit=` plus Quire's `author`, `cat`, `org`,
    /// `after`, `before`, `sort` and `p`, which work like the query operators.
    func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        let q = QueryReader(request, error: APIError.badRequest)
        let text = (q.string("q") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count <= SearchService.maxQueryLength else {
            throw APIError.badRequest("q is \(text.count) characters long; the limit is \(SearchService.maxQueryLength)")
        }
        var query: SearchQuery
        do { query = try SearchQuery.parse(text) } catch let error as SearchQueryError { throw APIError.badRequest(error.message) }
        try Self.applyFilterParameters(q, to: &query.filters)
        let (page, limit) = try Self.paging(q, limits: APIContract.searchLimits, pages: APIContract.searchPages)
        try await gate.reader(request, context)
        let sortText = q.string("sort") ?? "relevance"
        guard let sort = SearchSort(rawValue: sortText) else {
            throw APIError.badRequest("sort must be relevance, date or upvotes, not '\(sortText.prefix(40))'")
        }
        // A q of blanks (required, but with nothing to look for) finds nothing.
        guard !query.isEmpty else { return try jsonResponse([HFDailyEntry](), headers: [HTTPField.Name("X-Total-Count")!: "0"]) }
        guard Self.withinDepth(page: page, limit: limit, maxDepth: SearchService.maxDepth) else { return try jsonResponse([HFDailyEntry]()) }
        let results = try await search.search(query, sort: sort, page: page, limit: limit)
        var headers = HTTPFields()
        headers[HTTPField.Name("X-Total-Count")!] = String(results.total)
        return try jsonResponse(results.hits.map { hit in
            var entry = HFDailyEntry(hit.paper)
            entry.highlightedTitle = hit.highlightedTitle.map { .init(text: $0.text, highlighted: $0.highlighted) }
            entry.highlightedSummary = hit.highlightedSummary.map { .init(text: $0.text, highlighted: $0.highlighted) }
            return entry
        }, headers: headers)
    }

    /// The search filters as API parameters; they override the same operators in `q`.
    static func applyFilterParameters(_ q: QueryReader, to filters: inout SearchFilters) throws {
        if let author = q.string("author") { filters.author = author }
        if let category = q.string("cat") { filters.category = category }
        if let categories = try q.categories() { filters.categories = categories }
        if let organization = q.string("org") { filters.organization = organization }
        for name in ["after", "before"] {
            guard let text = q.string(name) else { continue }
            guard let day = Day(text) else { throw APIError.badRequest("\(name) must be a date written YYYY-MM-DD, not '\(text.prefix(40))'") }
            if name == "after" { filters.after = day } else { filters.before = day }
        }
    }

    func author(_ request: Request, context: AppRequestContext) async throws -> Response {
        let slug = try context.parameters.require("slug")
        guard let author = try await store.author(slug: slug) else { throw APIError.notFound("no author '\(slug.prefix(100))'") }
        let q = QueryReader(request, error: APIError.badRequest)
        let (number, limit) = try Self.paging(q, limits: APIContract.groupLimits)
        guard Self.withinDepth(page: number, limit: limit, maxDepth: DailyListQuery.maxDepth) else {
            return try jsonResponse(GroupJSON(slug: author.slug, name: author.name, numPapers: author.paperCount, papers: []))
        }
        let page = try await store.papers(authorSlug: slug, offset: number * limit, limit: limit)
        return try jsonResponse(GroupJSON(slug: author.slug, name: author.name, numPapers: author.paperCount, papers: page.items.map(HFPaper.init)))
    }

    func organization(_ request: Request, context: AppRequestContext) async throws -> Response {
        let slug = try context.parameters.require("slug")
        guard let org = try await store.organization(slug: slug) else { throw APIError.notFound("no organization '\(slug.prefix(100))'") }
        let q = QueryReader(request, error: APIError.badRequest)
        let (number, limit) = try Self.paging(q, limits: APIContract.groupLimits)
        guard Self.withinDepth(page: number, limit: limit, maxDepth: DailyListQuery.maxDepth) else {
            return try jsonResponse(GroupJSON(slug: org.slug, name: org.name, numPapers: org.paperCount, papers: []))
        }
        let page = try await store.papers(organizationSlug: slug, offset: number * limit, limit: limit)
        return try jsonResponse(GroupJSON(slug: org.slug, name: org.name, numPapers: org.paperCount, papers: page.items.map(HFPaper.init)))
    }

    func stats(_ request: Request, context: AppRequestContext) async throws -> Response {
        try jsonResponse(try await store.stats())
    }
}

/// An author or organization with (a page of) its papers.
struct GroupJSON: Encodable {
    var slug: String
    var name: String
    var numPapers: Int
    var papers: [HFPaper]
}
