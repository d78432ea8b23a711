import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import QuireCore
import Storage
import Testing
@testable import Web

/// Categories over HTTP, against the real router and a real SQLite file with
/// the recorded arXiv papers of April 2007: `category=` on the lists, API,
/// feeds and search, `/categories/{cat}`, badges, readers' defaults, the
/// 400 for an unknown one, and caches that keep filtered lists apart.
@Suite struct CategoryTests {
    static let day = "2007-04-02"

    /// The ids of the papers a list page or API answer shows.
    static func pageIDs(_ html: String) -> [String] {
        html.components(separatedBy: "<li data-paper-id=\"").dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) }
    }

    static func apiIDs(_ response: TestResponse) throws -> [String] {
        let entries = try #require(try WebTests.json(response) as? [[String: Any]])
        return entries.compactMap { ($0["paper"] as? [String: Any])?["id"] as? String }
    }

    /// What the store says each paper's categories are.
    static func categories(_ store: SQLiteStore, _ ids: [String]) async throws -> [[String]] {
        try await store.papers(ids: ids).map(\.categories)
    }

    @Test func theTaxonomyKnowsCategoriesAndArchivesWithoutCase() throws {
        #expect(ArxivCategories.canonical("cs.cl") == "cs.CL")
        #expect(ArxivCategories.canonical("COND-MAT.STR-EL") == "cond-mat.str-el")
        #expect(ArxivCategories.canonical("hep-th") == "hep-th" && ArxivCategories.canonical("cs") == "cs")
        #expect(ArxivCategories.canonical("cs.XX") == nil && ArxivCategories.canonical("cs.") == nil && ArxivCategories.canonical("") == nil)
        let selection = try CategorySelection(parsing: ["cs.LG", "CS.cl", "cs.LG"])
        #expect(selection.categories == ["cs.CL", "cs.LG"])
        #expect(selection.accepts(["stat.ML", "cs.CL"]) && !selection.accepts(["cs.CV"]))
        #expect(try CategorySelection(parsing: ["cs"]).accepts(["cs.CV"]))
        #expect(throws: CategoryError.self) { try CategorySelection(parsing: ["cs.CL", "bogus"]) }
    }

    @Test func theDailyAPINarrowsToCategories() async throws {
        let store = try await WebTests.filledStore()
        try await CitationRouteTests().withApp(store) { client in
            let all = try await client.execute(uri: "/api/daily_papers?date=\(Self.day)&limit=100", method: .get) { try Self.apiIDs($0) }
            let hepTh = try await client.execute(uri: "/api/daily_papers?date=\(Self.day)&limit=100&category=hep-th", method: .get) { response in
                #expect(response.status == .ok)
                return try Self.apiIDs(response)
            }
            #expect(!hepTh.isEmpty && hepTh.count < all.count)
            #expect(try await Self.categories(store, hepTh).allSatisfy { $0.contains("hep-th") })
            // Every paper of the day (the API serves 100 at most) that has hep-th.
            let day = try #require(Day(Self.day))
            let everyPaper = try await store.papers(from: day, to: day.adding(days: 1), submitter: nil, sort: .upvotes, offset: 0, limit: 1_000)
            #expect(hepTh.count == everyPaper.items.filter { $0.categories.contains("hep-th") }.count)
            // Repeated: papers in any of them; an archive: every category in it.
            let either = try await client.execute(uri: "/api/daily_papers?date=\(Self.day)&limit=100&category=hep-th&category=math", method: .get) {
                try Self.apiIDs($0)
            }
            #expect(Set(hepTh).isSubset(of: Set(either)) && either.count > hepTh.count)
            #expect(try await Self.categories(store, either).allSatisfy { cats in cats.contains("hep-th") || cats.contains { $0.hasPrefix("math.") } })
            // The next page's link keeps every category.
            try await client.execute(uri: "/api/daily_papers?date=\(Self.day)&limit=2&category=hep-th&category=math", method: .get) { response in
                let link = try #require(response.headers[HTTPField.Name("Link")!])
                #expect(link.contains("category=hep-th") && link.contains("category=math") && link.contains("p=1"))
            }
            for bad in ["cs.XX", "hep", "cs.CL%20", "math.CA&category=nope"] {
                try await client.execute(uri: "/api/daily_papers?date=\(Self.day)&category=\(bad)", method: .get) { response in
                    #expect(response.status == .badRequest, "\(bad)")
                    let error = try WebTests.object(response)["error"] as? String
                    #expect(error?.contains("such as cs.CL") == true, "\(bad): \(error ?? "")")
                }
            }
        }
    }

    /// The page cache keys JSON by every parameter, and the list cache by
    /// every field of the query: a filtered list never comes from the
    /// unfiltered entry, nor from one with fewer categories.
    @Test func aFilteredListIsNeverServedFromAnotherEntry() async throws {
        try await CitationRouteTests().withApp { client in
            let base = "/api/daily_papers?date=\(Self.day)&limit=100"
            var counts: [Int] = []
            for uri in [base, base + "&category=hep-th", base + "&category=hep-th&category=math", base + "&category=math&category=hep-th",
                        "/papers/date/\(Self.day)", "/papers/date/\(Self.day)?category=hep-th", "/papers/date/\(Self.day)?category=hep-th&category=math"] {
                // Twice each: the second answer comes from the caches.
                for _ in 0..<2 {
                    let count = try await client.execute(uri: uri, method: .get) { response in
                        uri.hasPrefix("/api") ? try Self.apiIDs(response).count : Self.pageIDs(WebTests.text(response)).count
                    }
                    counts.append(count)
                }
            }
            // Each answer twice alike; then, per address: all, hep-th, hep-th or math (both orders).
            #expect((0..<7).allSatisfy { counts[2 * $0] == counts[2 * $0 + 1] })
            let (api, pages) = ((0..<4).map { counts[2 * $0] }, (4..<7).map { counts[2 * $0] })
            #expect(api[0] > api[2] && api[2] > api[1] && api[2] == api[3])
            // A page shows 50 at most.
            #expect(pages[0] == 50 && pages[1] == api[1] && pages[2] == min(50, api[2]))
        }
    }

    @Test func listPagesNarrowAndSayHowToShowAll() async throws {
        let store = try await WebTests.filledStore()
        try await CitationRouteTests().withApp(store) { client in
            for uri in ["/papers/date/\(Self.day)?category=hep-th", "/papers/week/2007-W14?category=hep-th", "/papers/month/2007-04?category=hep-th"] {
                let ids = try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri)")
                    let html = WebTests.text(response)
                    #expect(html.contains("Showing <a class=\"badge\" href=\"/categories/hep-th\">hep-th</a> — <a href=\""), "\(uri)")
                    #expect(html.contains("?category=all\">show all</a>"), "\(uri)")
                    #expect(html.contains("href=\"/feeds/daily/rss?category=hep-th\""), "\(uri)")
                    // The other periods keep the category.
                    #expect(html.contains("?category=hep-th\">Day</a>") && html.contains("?category=hep-th\">Week</a>"), "\(uri)")
                    return Self.pageIDs(html)
                }
                #expect(!ids.isEmpty)
                let cats = try await Self.categories(store, ids)
                #expect(cats.allSatisfy { $0.contains("hep-th") }, "\(uri)")
            }
            try await client.execute(uri: "/papers/trending?category=cs", method: .get) { response in
                #expect(response.status == .ok)
                #expect(WebTests.text(response).contains("Showing <a class=\"badge\" href=\"/categories/cs\">cs</a>"))
            }
            for uri in ["/papers/date/\(Self.day)?category=hep", "/?category=cs.XX", "/papers/trending?category=%3Cb%3E", "/categories/cs.XX"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .badRequest, "\(uri)")
                    #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                    let html = WebTests.text(response)
                    #expect(html.contains("such as cs.CL") && !html.contains("<b>"), "\(uri)")
                }
            }
        }
    }

    /// A filtered day's "previous" and "next" go to the nearest days with a
    /// paper in those categories, not to a day the filter shows empty.
    @Test func dayNavigationSkipsDaysTheFilterLeavesEmpty() async throws {
        let store = try await WebTests.filledStore()
        try await CitationRouteTests().withApp(store) { client in
            for category in ["hep-th", "math.CO", "q-bio"] {
                let selection = try CategorySelection(parsing: [category])
                var day = try #require(try await store.latestListDay())
                var visited = 0
                func previousDay() async throws -> Day? {
                    try await client.execute(uri: "/papers/date/\(day)?category=\(category)", method: .get) { response -> Day? in
                        let html = WebTests.text(response)
                        guard let link = html.components(separatedBy: "rel=\"prev\" href=\"/papers/date/").dropFirst().first else { return nil }
                        #expect(link.contains("?category=\(category)\""), "\(category) \(day)")
                        return Day(String(link.prefix(10)))
                    }
                }
                while let previous = try await previousDay() {
                    // Nothing in the category on the days skipped, something on the day reached.
                    let skipped = try await store.papers(from: previous.adding(days: 1), to: day, submitter: nil, categories: selection,
                                                         sort: .upvotes, offset: 0, limit: 1)
                    let reached = try await store.papers(from: previous, to: previous.adding(days: 1), submitter: nil, categories: selection,
                                                         sort: .upvotes, offset: 0, limit: 1)
                    #expect(skipped.total == 0 && reached.total > 0, "\(category) \(previous)..\(day)")
                    day = previous
                    visited += 1
                }
                #expect(visited > 0, "\(category)")
            }
        }
    }

    @Test func badgesLeadToTheCategoryPage() async throws {
        let store = try await WebTests.filledStore()
        try await CitationRouteTests().withApp(store) { client in
            try await client.execute(uri: "/papers/0704.0005", method: .get) { response in
                let html = WebTests.text(response)
                #expect(html.contains("<a class=\"badge\" href=\"/categories/math.CA\">math.CA</a><a class=\"badge\" href=\"/categories/math.FA\">math.FA</a>"))
            }
            try await client.execute(uri: "/papers/date/\(Self.day)", method: .get) { response in
                #expect(WebTests.text(response).contains("<span class=\"categories\"><a class=\"badge\" href=\"/categories/"))
            }
            let ids = try await client.execute(uri: "/categories/MATH", method: .get) { response in
                #expect(response.status == .ok)
                let html = WebTests.text(response)
                #expect(html.contains("<h1>math</h1>") && html.contains("in every math.* category"))
                return Self.pageIDs(html)
            }
            #expect(!ids.isEmpty)
            let cats = try await Self.categories(store, ids)
            #expect(cats.allSatisfy { $0.contains { $0.hasPrefix("math.") } })
        }
    }

    @Test func feedsAndSearchTakeCategories() async throws {
        let store = try await WebTests.filledStore()
        try await CitationRouteTests().withApp(store) { client in
            try await client.execute(uri: "/feeds/trending/json?category=cs", method: .get) { response in
                #expect(response.status == .ok)
                let feed = try WebTests.object(response)
                #expect((feed["title"] as? String)?.hasSuffix(" · cs") == true)
            }
            try await client.execute(uri: "/feeds/daily/rss?category=nope", method: .get) { #expect($0.status == .badRequest) }
            let all = try await client.execute(uri: "/api/papers/search?q=quantum&limit=100", method: .get) { try Self.apiIDs($0) }
            let narrowed = try await client.execute(uri: "/api/papers/search?q=quantum&limit=100&category=hep-th&category=quant-ph", method: .get) { response in
                #expect(response.status == .ok)
                return try Self.apiIDs(response)
            }
            #expect(!narrowed.isEmpty && narrowed.count < all.count)
            #expect(try await Self.categories(store, narrowed).allSatisfy { $0.contains("hep-th") || $0.contains("quant-ph") })
            try await client.execute(uri: "/search?q=quantum&category=quant-ph", method: .get) { response in
                let html = WebTests.text(response)
                #expect(html.contains("Showing <a class=\"badge\" href=\"/categories/quant-ph\">quant-ph</a>"))
                #expect(html.contains("href=\"/feeds/search/rss?q=quantum&amp;category=quant-ph\"") || html.contains("href=\"/feeds/search/rss?q=quantum&category=quant-ph\""))
            }
            try await client.execute(uri: "/search?q=quantum&category=quantum", method: .get) { #expect($0.status == .badRequest) }
        }
    }

    @Test func aReadersDefaultCategoriesApplyUntilSetAside() async throws {
        let store = try await WebTests.filledStore()
        let reader = try await PageCacheTests.signIn(store, "cats")
        try await CitationRouteTests().withApp(store) { client in
            func post(_ categories: String) async throws -> (HTTPResponse.Status, String) {
                var headers = reader.headers
                headers[.contentType] = "application/x-www-form-urlencoded"
                let form = "categories=\(urlPart(categories))&csrf=\(reader.csrf)"
                return try await client.execute(uri: "/account/categories", method: .post, headers: headers, body: ByteBuffer(string: form)) {
                    ($0.status, WebTests.text($0))
                }
            }
            let (refused, refusal) = try await post("hep-th nonsense")
            #expect(refused == .badRequest && refusal.contains("such as cs.CL") && refusal.contains("value=\"hep-th nonsense\""))
            #expect(try await store.defaultCategories(userID: reader.user.id) == [])
            let (status, page) = try await post("hep-th, HEP-PH")
            #expect(status == .ok && page.contains("Your lists now show hep-ph, hep-th"))
            #expect(try await store.defaultCategories(userID: reader.user.id) == ["hep-ph", "hep-th"])

            let day = "/papers/date/\(Self.day)"
            let anonymous = Self.pageIDs(try await PageCacheTests.get(client, day))
            let mine = try await PageCacheTests.get(client, day, as: reader)
            #expect(mine.contains("Showing <a class=\"badge\" href=\"/categories/hep-ph\">hep-ph</a><a class=\"badge\" href=\"/categories/hep-th\">hep-th</a> (your"))
            #expect(mine.contains("<a href=\"\(day)?category=all\">show all</a>"))
            let mineIDs = Self.pageIDs(mine)
            #expect(!mineIDs.isEmpty && mineIDs.count < anonymous.count)
            #expect(try await Self.categories(store, mineIDs).allSatisfy { $0.contains("hep-th") || $0.contains("hep-ph") })
            // "show all" sets them aside, and the links on that page keep doing so.
            let everything = try await PageCacheTests.get(client, day + "?category=all", as: reader)
            #expect(Self.pageIDs(everything) == anonymous && !everything.contains("Showing"))
            #expect(everything.contains("/papers/week/2007-W14?category=all"))
            // Another category given in the address wins over the defaults.
            let math = try await PageCacheTests.get(client, day + "?category=math", as: reader)
            #expect(math.contains("Showing <a class=\"badge\" href=\"/categories/math\">math</a> — "))
            // The home page too; the account page shows them to edit.
            #expect(try await PageCacheTests.get(client, "/", as: reader).contains("(your <a href=\"/account#categories\">default categories</a>)"))
            #expect(try await PageCacheTests.get(client, "/account", as: reader).contains("value=\"hep-ph hep-th\""))
            // Nothing typed clears them.
            _ = try await post("")
            #expect(try await store.defaultCategories(userID: reader.user.id) == [])
            #expect(!(try await PageCacheTests.get(client, day, as: reader)).contains("Showing"))
        }
    }
}
