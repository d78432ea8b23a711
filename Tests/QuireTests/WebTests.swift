import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ingest
import QuireCore
import Storage
import Testing
@testable import Web

/// HTTP tests of every page and API endpoint, against the real router and a
/// real SQLite file filled from the recorded Hugging Face and arXiv data.
@Suite struct WebTests {
    /// Pinned so trending and "latest" are the same on every run.
    static let now = Timestamp.parse("2024-10-26T12:00:00Z")!

    static func filledStore() async throws -> SQLiteStore {
        let store = try TestSupport.temporaryStore()
        let importer = Importer(store: store)
        _ = try await importer.importFile(TestSupport.sharedFile("fixtures/hf-papers/daily_papers-2024-10-25-first8.json"))
        _ = try await importer.importFile(TestSupport.sharedFile("fixtures/arxiv-snapshot/first200.jsonl"))
        _ = try await store.upsert([
            Paper(id: "hep-th/9901001", version: 2, submittedAt: Timestamp.parse("1999-01-01T10:00:00Z"),
                  title: "An old-style <b>identifier</b> & friends", abstract: "<script>alert('x')</script> strings.",
                  authors: ["Ana Núñez"], categories: ["hep-th"], organization: "Example Lab"),
        ])
        return store
    }

    func withApp(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let store = try await Self.filledStore()
        let app = buildApplication(AppConfig(), dependencies: AppDependencies(store: store, now: { Self.now }))
        try await app.test(.router, body)
    }

    static func json(_ response: TestResponse) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(buffer: response.body))
    }

    static func object(_ response: TestResponse) throws -> [String: Any] {
        try #require(try json(response) as? [String: Any])
    }

    static func text(_ response: TestResponse) -> String { String(buffer: response.body) }

    // MARK: Indexes of authors and organizations

    @Test func authorsAndOrganizationsHaveIndexPages() async throws {
        try await withApp { client in
            // As a reader types it: lower case, no accent, a + for the space.
            try await client.execute(uri: "/authors?q=ana+nunez", method: .get) { response in
                #expect(response.status == .ok)
                let page = Self.text(response)
                #expect(page.contains("href=\"/authors/ana-nunez\">Ana Núñez</a>"), "\(page.suffix(2000))")
                #expect(page.contains("1 author whose name contains “ana nunez”"))
            }
            try await client.execute(uri: "/authors", method: .get) { response in
                #expect(response.status == .ok)
                #expect(Self.text(response).components(separatedBy: "<li><a href=\"/authors/").count - 1 == DirectoryPage.pageSize)
                #expect(Self.text(response).contains("Next →"))
            }
            for nothing in ["/authors?q=%21%21%21", "/authors?q=zzzzzzzz"] {
                try await client.execute(uri: nothing, method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(Self.text(response).contains("No author's name contains"), "\(nothing)")
                }
            }
            try await client.execute(uri: "/authors?p=x", method: .get) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/organizations", method: .get) { response in
                #expect(response.status == .ok)
                #expect(Self.text(response).contains("href=\"/organizations/example-lab\">Example Lab</a> <span class=\"meta\">1 paper</span>"))
            }
        }
    }

    // MARK: API

    @Test func dailyPapersOfADay() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/daily_papers?date=2024-10-25", method: .get) { response in
                #expect(response.status == .ok)
                let entries = try #require(try Self.json(response) as? [[String: Any]])
                #expect(entries.count == 8)
                let first = try #require(entries.first)
                let paper = try #require(first["paper"] as? [String: Any])
                #expect(paper["id"] as? String == "2410.17243")
                #expect(paper["upvotes"] as? Int == 64)
                #expect((paper["authors"] as? [[String: Any]])?.first?["name"] as? String == "Zesen Cheng")
                #expect(first["title"] as? String == "Breaking the Memory Barrier: Near Infinite Batch Size Scaling for Contrastive Loss")
                #expect((first["submittedBy"] as? [String: Any])?["name"] as? String == "ClownRat")
                #expect((first["publishedAt"] as? String)?.hasPrefix("2024-10-25") == true)
                #expect(response.headers[HTTPField.Name("Link")!] == nil)
            }
        }
    }

    @Test func dailyPapersPagingAndLinkHeader() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/daily_papers?date=2024-10-25&limit=3", method: .get) { response in
                let entries = try #require(try Self.json(response) as? [[String: Any]])
                #expect(entries.count == 3)
                let link = try #require(response.headers[HTTPField.Name("Link")!])
                #expect(link.contains("p=1") && link.contains("limit=3") && link.contains("rel=\"next\""))
            }
            try await client.execute(uri: "/api/daily_papers?date=2024-10-25&limit=3&p=2", method: .get) { response in
                let entries = try #require(try Self.json(response) as? [[String: Any]])
                #expect(entries.count == 2)
                #expect(response.headers[HTTPField.Name("Link")!] == nil)
            }
        }
    }

    @Test func dailyPapersWeekMonthSubmitterAndTrending() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/daily_papers?week=2024-W43", method: .get) { response in
                let entries = try #require(try Self.json(response) as? [Any])
                #expect(entries.count == 8)
            }
            try await client.execute(uri: "/api/daily_papers?month=2007-04&limit=100", method: .get) { response in
                let entries = try #require(try Self.json(response) as? [[String: Any]])
                #expect(entries.count == 100)
                #expect(response.headers[HTTPField.Name("X-Total-Count")!] == "157", "first versions of the snapshot records in April 2007")
            }
            try await client.execute(uri: "/api/daily_papers?date=2024-10-25&submitter=ClownRat", method: .get) { response in
                let entries = try #require(try Self.json(response) as? [[String: Any]])
                #expect(!entries.isEmpty)
                #expect(entries.allSatisfy { ($0["submittedBy"] as? [String: Any])?["name"] as? String == "ClownRat" })
            }
            try await client.execute(uri: "/api/daily_papers?sort=trending&limit=3", method: .get) { response in
                let entries = try #require(try Self.json(response) as? [[String: Any]])
                let votes = entries.compactMap { ($0["paper"] as? [String: Any])?["upvotes"] as? Int }
                // All listed the same day, so trending is by upvotes.
                #expect(votes == votes.sorted(by: >))
                #expect(votes.first == 64)
            }
        }
    }

    @Test(arguments: [
        ("date=2024-02-30", "date must be a real day"),
        ("date=yesterday", "date must be a real day"),
        ("week=2024-W60", "week must be an ISO week"),
        ("month=2024-13", "month must be written YYYY-MM"),
        ("limit=0", "limit must be a whole number from 1 to 100"),
        ("limit=101", "limit must be a whole number from 1 to 100"),
        ("p=-1", "p must be a whole number"),
        ("sort=random", "sort must be publishedAt, trending or stars"),
    ])
    func dailyPapersRejectsBadInput(query: String, message: String) async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/daily_papers?\(query)", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let error = try #require(try Self.json(response) as? [String: Any])
                #expect((error["error"] as? String)?.contains(message) == true, "\(query): \(error)")
            }
        }
    }

    @Test func onePaper() async throws {
        try await withApp { client in
            for uri in ["/api/papers/0704.0001", "/api/papers/0704.0001v2", "/api/papers/arXiv:0704.0001"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri)")
                    let paper = try #require(try Self.json(response) as? [String: Any])
                    #expect(paper["id"] as? String == "0704.0001")
                    #expect(paper["title"] as? String == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies")
                    #expect((paper["authors"] as? [[String: Any]])?.first?["name"] as? String == "C. Balázs")
                    #expect(paper["publishedAt"] as? String == "2007-04-02T19:18:42.000Z")
                    #expect(paper["categories"] as? [String] == ["hep-ph"])
                }
            }
            try await client.execute(uri: "/api/papers/hep-th/9901001", method: .get) { response in
                #expect(response.status == .ok)
                let body = try Self.object(response)
                #expect(body["id"] as? String == "hep-th/9901001")
            }
            try await client.execute(uri: "/api/papers/9999.99999", method: .get) { response in
                #expect(response.status == .notFound)
                let body = try Self.object(response)
                #expect(body["error"] as? String == "no paper with id '9999.99999'")
            }
            try await client.execute(uri: "/api/no-such-thing", method: .get) { response in
                #expect(response.status == .notFound)
                let body = try Self.object(response)
                #expect(body["error"] != nil)
            }
        }
    }

    @Test func searchAPI() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/papers/search?q=contrastive%20loss%20memory&limit=5", method: .get) { response in
                #expect(response.status == .ok)
                let entries = try #require(try Self.json(response) as? [[String: Any]])
                #expect((entries.first?["paper"] as? [String: Any])?["id"] as? String == "2410.17243")
                #expect(entries.count <= 5)
            }
            // An arXiv link finds its paper first.
            try await client.execute(uri: "/api/papers/search?q=https://arxiv.org/abs/0704.0002v1", method: .get) { response in
                let entries = try #require(try Self.json(response) as? [[String: Any]])
                #expect((entries.first?["paper"] as? [String: Any])?["id"] as? String == "0704.0002")
            }
            for (query, status) in [("", 400), ("q=", 400), ("q=x&limit=121", 400), ("q=" + String(repeating: "a", count: 251), 400)] {
                try await client.execute(uri: "/api/papers/search?\(query)", method: .get) { response in
                    #expect(response.status.code == status, "\(query.prefix(30))")
                    let body = try Self.object(response)
                #expect(body["error"] is String)
                }
            }
        }
    }

    @Test func authorsOrganizationsAndStats() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/authors/c-balazs", method: .get) { response in
                #expect(response.status == .ok)
                let group = try #require(try Self.json(response) as? [String: Any])
                #expect(group["name"] as? String == "C. Balázs")
                #expect((group["papers"] as? [Any])?.isEmpty == false)
            }
            try await client.execute(uri: "/api/organizations/example-lab", method: .get) { response in
                #expect(response.status == .ok)
                let body = try Self.object(response)
                #expect(body["numPapers"] as? Int == 1)
            }
            try await client.execute(uri: "/api/stats", method: .get) { response in
                let stats = try #require(try Self.json(response) as? [String: Any])
                #expect(stats["papers"] as? Int == 209)
                #expect(stats["onDailyList"] as? Int == 8)
            }
        }
    }

    // MARK: Pages

    @Test func homeShowsTheLatestDailyList() async throws {
        try await withApp { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                let html = Self.text(response)
                #expect(html.contains("Daily Papers · Oct 25, 2024"))
                #expect(html.contains("Breaking the Memory Barrier"))
                #expect(html.components(separatedBy: "<li data-paper-id=").count - 1 == 8)
                #expect(html.contains("href=\"/papers/2410.17243\""))
            }
        }
    }

    @Test func periodPagesAndNavigation() async throws {
        try await withApp { client in
            try await client.execute(uri: "/papers/date/2024-10-25", method: .get) { response in
                let html = Self.text(response)
                #expect(html.contains("rel=\"prev\" href=\"/papers/date/2007-04-02\""), "previous day with papers")
                #expect(!html.contains("rel=\"next\""))
            }
            try await client.execute(uri: "/papers/week/2024-W43", method: .get) { response in
                let html = Self.text(response)
                #expect(html.contains("8 papers"))
                #expect(html.contains("href=\"/papers/week/2024-W42\""))
                #expect(!html.contains("href=\"/papers/week/2024-W44\""), "no link on to a week still to come")
            }
            try await client.execute(uri: "/papers/month/2024-09", method: .get) { response in
                #expect(Self.text(response).contains("href=\"/papers/month/2024-10\""))
            }
            // A day still to come, or a page past the last paper, is not found rather than an empty list.
            for missing in ["/papers/date/2024-10-28", "/papers/week/2024-W44", "/papers/month/2025-01", "/papers/date/2024-10-25?p=5"] {
                try await client.execute(uri: missing, method: .get) { response in
                    #expect(response.status == .notFound, "\(missing)")
                }
            }
            try await client.execute(uri: "/papers/date/2024-10-25?p=5", method: .get) { response in
                #expect(Self.text(response).contains("This day has 8 papers on 1 page: there is no page 6."))
            }
            try await client.execute(uri: "/papers/date/2024-10-20", method: .get) { response in
                #expect(response.status == .ok, "a past day without papers is a day without papers")
            }
            try await client.execute(uri: "/papers/month/2007-04", method: .get) { response in
                let html = Self.text(response)
                #expect(html.contains("April 2007"))
                #expect(html.contains("?p=1"), "more than one page of papers")
            }
            for bad in ["/papers/date/2024-13-01", "/papers/week/2024-W99", "/papers/month/april", "/papers/date/2024-10-25?p=x"] {
                try await client.execute(uri: bad, method: .get) { response in
                    #expect(response.status == .badRequest, "\(bad)")
                    #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                }
            }
        }
    }

    @Test func trendingStatesItsFormula() async throws {
        try await withApp { client in
            try await client.execute(uri: "/papers/trending", method: .get) { response in
                let html = Self.text(response)
                #expect(html.contains("(upvotes + 1) ÷ (hours since listed + 2)^1.5"))
                let first = try #require(html.range(of: "data-paper-id=\""))
                #expect(html[first.upperBound...].hasPrefix("2410.17243"))
            }
        }
    }

    @Test func paperPageLinksOutAndEscapes() async throws {
        try await withApp { client in
            try await client.execute(uri: "/papers/0704.0001", method: .get) { response in
                let html = Self.text(response)
                #expect(html.contains("https://arxiv.org/abs/0704.0001v2"))
                #expect(html.contains("https://arxiv.org/pdf/0704.0001v2"))
                #expect(html.contains("https://doi.org/10.1103/PhysRevD.76.013009"))
                #expect(html.contains("href=\"/authors/c-balazs\""))
            }
            try await client.execute(uri: "/papers/hep-th/9901001", method: .get) { response in
                let html = Self.text(response)
                #expect(html.contains("An old-style &lt;b&gt;identifier&lt;/b&gt; &amp; friends"))
                #expect(!html.contains("<script>alert"))
                #expect(html.contains("href=\"/organizations/example-lab\""))
            }
            try await client.execute(uri: "/papers/0704.0001.md", method: .get) { response in
                #expect(Self.text(response).hasPrefix("# Calculation of prompt diphoton"))
            }
            try await client.execute(uri: "/papers/1234.99999", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(Self.text(response).contains("Quire has no paper"))
            }
        }
    }

    @Test func authorOrganizationAndSearchPages() async throws {
        try await withApp { client in
            try await client.execute(uri: "/authors/c-balazs", method: .get) { response in
                #expect(Self.text(response).contains("<h1>C. Balázs</h1>"))
            }
            try await client.execute(uri: "/organizations/example-lab", method: .get) { response in
                #expect(Self.text(response).contains("1 paper"))
            }
            try await client.execute(uri: "/authors/nobody-at-all", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/search?q=diphoton%20production", method: .get) { response in
                let html = Self.text(response)
                #expect(html.contains("value=\"diphoton production\""))
                #expect(html.contains("data-paper-id=\"0704.0001\""))
            }
            try await client.execute(uri: "/search?q=", method: .get) { response in
                #expect(response.status == .ok)
                #expect(Self.text(response).contains("Type a few words"))
            }
        }
    }
}
