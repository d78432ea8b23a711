import Foundation
import Hummingbird
import QuireCore
import Search
import Storage

/// RSS, Atom and JSON Feed for every list a reader may follow:
/// `/feeds/daily/{rss|atom|json}`, `/feeds/trending/…`, `/feeds/search/…?q=`,
/// `/feeds/authors/{slug}/…`, `/feeds/organizations/{slug}/…`, `/feeds/collections/{id}/…` (public ones).
/// Answers conditional GETs (ETag, Last-Modified) with 304.
struct FeedsController {
    /// Papers, and collections (public ones have feeds): read only.
    typealias Store = PaperStore & SignalStore
    let store: any Store
    let search: SearchService
    let lists: DailyLists
    /// Counts feed reads against the reader's address.
    let gate: Gate
    /// Feeds link to the site absolutely.
    let site: PublicSite
    static let size = 50

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        // `category=` (repeatable) narrows the daily and trending feeds.
        router.get("/feeds/daily/:format") { request, context in
            let categories = try Self.categories(request)
            return try await feed(request, context, title: "Quire · Daily Papers" + Self.titleSuffix(categories),
                                  page: "/" + Self.query(categories)) {
                // The last week of the list, newest day first.
                let latest = try await store.latestListDay() ?? Day.today(now: lists.now())
                return try await store.papers(from: latest.adding(days: -6), to: latest.adding(days: 1), submitter: nil,
                                              categories: categories, sort: .publishedAt, offset: 0, limit: Self.size).items
            }
        }
        router.get("/feeds/trending/:format") { request, context in
            let categories = try Self.categories(request)
            return try await feed(request, context, title: "Quire · Trending papers" + Self.titleSuffix(categories),
                                  page: "/papers/trending" + Self.query(categories)) {
                try await DailyListQuery(days: nil, submitter: nil, categories: categories, sort: .trending, page: 0, limit: Self.size)
                    .run(lists).items
            }
        }
        router.get("/feeds/search/:format") { request, context in
            let text = QueryReader(request, error: APIError.badRequest).string("q") ?? ""
            let query: SearchQuery
            do { query = try SearchQuery.parse(String(text.prefix(SearchService.maxQueryLength))) } catch let error as SearchQueryError {
                throw APIError.badRequest(error.message)
            }
            guard !query.isEmpty else { throw APIError.badRequest("q is required: the search this feed follows") }
            var narrowed = query
            narrowed.filters.categories = try Self.categories(request)
            return try await feed(request, context, title: "Quire · Search: \(text)", page: "/search?q=\(urlPart(text))") {
                // Newest matches first: a feed reader wants what is new.
                try await search.search(narrowed, sort: .date, limit: Self.size).hits.map(\.paper)
            }
        }
        router.get("/feeds/authors/:slug/:format") { request, context in
            let slug = try context.parameters.require("slug")
            guard let author = try await store.author(slug: slug) else { throw APIError.notFound("no author '\(slug.prefix(100))'") }
            return try await feed(request, context, title: "Quire · \(author.name)", page: "/authors/\(urlPart(slug))") {
                try await store.papers(authorSlug: slug, offset: 0, limit: Self.size).items
            }
        }
        router.get("/feeds/organizations/:slug/:format") { request, context in
            let slug = try context.parameters.require("slug")
            guard let org = try await store.organization(slug: slug) else { throw APIError.notFound("no organization '\(slug.prefix(100))'") }
            return try await feed(request, context, title: "Quire · \(org.name)", page: "/organizations/\(urlPart(slug))") {
                try await store.papers(organizationSlug: slug, offset: 0, limit: Self.size).items
            }
        }
        router.get("/feeds/collections/:id/:format") { request, context in
            // Only public collections have feeds: a feed reader signs in as nobody.
            let text = try context.parameters.require("id")
            guard let id = Int(text), let collection = try await store.collection(id: id), collection.isPublic else {
                throw APIError.notFound("no public collection '\(text.prefix(40))'")
            }
            return try await feed(request, context, title: "Quire · \(collection.name) (a collection by \(collection.owner))", page: "/collections/\(id)") {
                // Newest additions first.
                try await store.collectionEntries(id: id).sorted { $0.addedAt > $1.addedAt }.prefix(Self.size).map(\.paper)
            }
        }
    }

    /// `category=` as a feed reads it (a feed has no reader, so no defaults).
    static func categories(_ request: Request) throws -> CategorySelection {
        try QueryReader(request, error: APIError.badRequest).categories() ?? .everything
    }

    /// " · cs.CL, cs.LG" for a narrowed feed's title.
    static func titleSuffix(_ categories: CategorySelection) -> String {
        categories.isEverything ? "" : " · " + categories.listed
    }

    /// "?category=cs.CL&category=cs.LG", or "" for every category.
    static func query(_ categories: CategorySelection) -> String {
        categories.isEverything ? "" : "?" + categories.categories.map { "category=" + urlPart($0) }.joined(separator: "&")
    }

    private func feed(_ request: Request, _ context: AppRequestContext, title: String, page: String,
                      papers load: () async throws -> [Paper]) async throws -> Response {
        try await gate.reader(request, context)
        return try await Self.response(request, context, title: title, page: page, site: site, papers: load)
    }

    /// The feed in the format the path's `:format` names, answering
    /// conditional GETs with 304. `cacheControl` is "private, …" for a feed
    /// only its reader may see (their private "For you" feed).
    static func response(_ request: Request, _ context: AppRequestContext, title: String, page: String, site: PublicSite,
                         cacheControl: String = "public, max-age=300", papers load: () async throws -> [Paper]) async throws -> Response {
        let formatText = try context.parameters.require("format")
        guard let format = FeedFormat(rawValue: formatText) else {
            throw APIError.notFound("no feed format '\(formatText.prefix(20))': use rss, atom or json")
        }
        let papers = try await load()
        let description = FeedDescription(title: title, selfURL: site.absoluteURL(request.uri.description), pageURL: site.absoluteURL(page),
                                          baseURL: site.url, updated: FeedRenderer.newestDate(papers), description: title)
        let body = FeedRenderer.render(format, feed: description, papers: papers)
        let validators = FeedValidators(body: body, papers: papers)
        var headers: HTTPFields = [.contentType: format.contentType, .eTag: validators.etag, .cacheControl: cacheControl]
        if let lastModified = validators.lastModifiedHeader { headers[.lastModified] = lastModified }
        if validators.isNotModified(ifNoneMatch: request.headers[.ifNoneMatch], ifModifiedSince: request.headers[.ifModifiedSince]) {
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// `<link rel="alternate">` tags for a page's feeds (autodiscovery).
    /// `feed` is the feed path without format, e.g. "/feeds/search?q=x".
    static func discoveryLinks(_ feed: String, title: String) -> String {
        FeedFormat.allCases.map { format in
            let type = format.contentType.split(separator: ";")[0]
            return "<link rel=\"alternate\" type=\"\(type)\" title=\"\(esc(title)) (\(format.rawValue))\" href=\"\(esc(url(feed, format)))\">"
        }.joined(separator: "\n")
    }

    /// The visible feed links a page shows.
    static func feedLinks(_ feed: String) -> String {
        "<p class=\"meta feeds\">Follow: " + FeedFormat.allCases.map { "<a href=\"\(esc(url(feed, $0)))\">\(label($0))</a>" }.joined(separator: " · ") + "</p>"
    }

    static func label(_ format: FeedFormat) -> String {
        switch format { case .rss: "RSS"; case .atom: "Atom"; case .json: "JSON Feed" }
    }

    /// "/feeds/search?q=x" + rss → "/feeds/search/rss?q=x"
    static func url(_ feed: String, _ format: FeedFormat) -> String {
        guard let mark = feed.firstIndex(of: "?") else { return feed + "/" + format.rawValue }
        return feed[..<mark] + "/" + format.rawValue + feed[mark...]
    }
}
