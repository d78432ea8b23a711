import Search

/// The read operations: Hugging Face's three, and Quire's own lookups.
extension APIContract {
    static let pageParameter = APIParameter.query("p", .integer(pages, default: 0),
                                                  "0-based page; lists are served down to their \(DailyListQuery.maxDepth)th paper, pages past it are empty")

    /// Repeatable: OpenAPI describes the first; the handler checks every one alike.
    static let categoryParameter = APIParameter.query("category", .category,
        "Only papers in this arXiv category (cs.CL) or whole archive (cs: every cs.*); repeat it for papers in any of several (category=cs.CL&category=cs.LG)")

    static let dailyPapers = APIOperation(
        id: "listDailyPapers", method: .get, path: "/api/daily_papers",
        summary: "Papers on the daily list (Hugging Face compatible). date, week and month each narrow the list; given together, the list is what lies in all of them.",
        parameters: [
            .query("date", .date, "A day, YYYY-MM-DD"),
            .query("week", .text(pattern: "^(19|20)[0-9]{2}-W(0[1-9]|[1-4][0-9]|5[0-3])$",
                                 meaning: "an ISO week of 1900 to 2099 written YYYY-Www (e.g. 2025-W09)"),
                   "An ISO week, YYYY-Www; 404 for week 53 of a year that has only 52"),
            .query("month", .text(pattern: "^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$", meaning: "written YYYY-MM, a month of 1900 to 2099"),
                   "A month, YYYY-MM"),
            .query("submitter", .text(), "Only papers this reader put on the daily list"),
            categoryParameter,
            .query("sort", .choice(["publishedAt", "trending", "stars"], default: "publishedAt"),
                   "trending: upvotes against age; stars: Trending code, papers with a repository by the GitHub stars it gained in the last 7 days"),
            pageParameter,
            .query("limit", .integer(dailyLimits, default: 50)),
        ],
        success: .ok("Entries; a Link header with rel=\"next\" when there are more", .list(.ref("DailyEntry")),
                     headers: ["Link": ["schema": ["type": "string"]], "X-Total-Count": ["schema": ["type": "integer"]]]),
        errors: [.notFound])

    static let searchPapers = APIOperation(
        id: "searchPapers", method: .get, path: "/api/papers/search",
        summary: "Search papers (Hugging Face compatible). q takes the search operators (author:, cat:, org:, after:, before:, \"phrase\", -word); a q with only blanks finds nothing; a misused operator is a 400.",
        parameters: [
            .query("q", .text(minLength: 1, maxLength: SearchService.maxQueryLength), required: true),
            .query("limit", .integer(searchLimits, default: 50)),
            .query("author", .text(), "Only papers with an author whose name contains this"),
            .query("cat", .text(), "Only papers in this arXiv category (cs.CL) or archive (cs)"),
            categoryParameter,
            .query("org", .text(), "Only papers of this organization"),
            .query("after", .date, "Only papers published on or after this day"),
            .query("before", .date, "Only papers published before this day"),
            .query("sort", .choice(["relevance", "date", "upvotes"], default: "relevance")),
            .query("p", .integer(searchPages, default: 0),
                   "0-based page; results are served down to the \(SearchService.maxDepth)th, pages past it are empty"),
        ],
        success: .ok("Matching entries, best first", .list(.ref("DailyEntry")),
                     headers: ["X-Total-Count": ["schema": ["type": "integer"]]]),
        // Searches are limited per address, like the search page and feeds.
        errors: [.tooManyRequests])

    static let listPapers = APIOperation(
        id: "listPapers", method: .get, path: "/api/papers",
        summary: "Every paper (as Hugging Face's listing), in the order Quire first stored them: papers stored later come at the end, so a walk resumed from its last cursor misses none. A Link header with rel=\"next\" carries the cursor of the next page until the last one.",
        parameters: [
            .query("cursor", .text(minLength: 1, maxLength: 12, pattern: PaperCursor.pattern, meaning: "a cursor from a Link header"),
                   "Opaque: where the previous page ended, from its Link header; without it, the first page"),
            .query("limit", .integer(listLimits, default: 50)),
        ],
        success: .ok("Papers", .list(.ref("Paper")), headers: ["Link": ["schema": ["type": "string"]]]))

    static let paper = APIOperation(
        id: "getPaper", method: .get, path: "/api/papers/{id}",
        summary: "One paper (Hugging Face compatible)",
        parameters: [.path("id", .text(), "arXiv id (with or without version; old-style ids contain a slash) or Quire id", spansSegments: true)],
        success: .ok("The paper", .ref("Paper")), errors: [.notFound])

    static let author = APIOperation(
        id: "getAuthor", method: .get, path: "/api/authors/{slug}", summary: "An author and their papers",
        parameters: [.path("slug"), pageParameter, .query("limit", .integer(groupLimits, default: 50))],
        success: .ok("The author", .ref("Group")), errors: [.notFound])

    static let organization = APIOperation(
        id: "getOrganization", method: .get, path: "/api/organizations/{slug}", summary: "An organization and its papers",
        parameters: [.path("slug"), pageParameter, .query("limit", .integer(groupLimits, default: 50))],
        success: .ok("The organization", .ref("Group")), errors: [.notFound])

    static let stats = APIOperation(
        id: "getStats", method: .get, path: "/api/stats", summary: "Counts of what the database holds",
        success: .ok("Counts", .ref("Stats")))

    static let document = APIOperation(
        id: "getOpenAPIDocument", method: .get, path: "/openapi.json", summary: "This document",
        success: .ok("OpenAPI 3.1", ["type": "object"]))
}
