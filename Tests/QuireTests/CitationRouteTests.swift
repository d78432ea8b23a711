import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import QuireCore
import Storage
import Testing
@testable import Web

/// Citations and arXiv's URL habits over HTTP, against the real router and a
/// real SQLite file: `/papers/{id}.bib` (.ris, .csl.json), the Cite box,
/// collection exports, `/abs/…` and `/pdf/…`, and the `/api/papers` walk.
@Suite struct CitationRouteTests {
    static let publicURL = "https://quire.example"

    func withApp(_ store: SQLiteStore? = nil, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let filled: SQLiteStore
        if let store { filled = store } else { filled = try await WebTests.filledStore() }
        let dependencies = AppDependencies(store: filled, publicURL: Self.publicURL, now: { WebTests.now })
        try await buildApplication(AppConfig(), dependencies: dependencies).test(.router, body)
    }

    @Test func aPapersBibTeXIsADownload() async throws {
        try await withApp { client in
            try await client.execute(uri: "/papers/2410.17243.bib", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/x-bibtex; charset=utf-8")
                #expect(response.headers[.contentDisposition] == "attachment; filename=\"2410.17243.bib\"")
                let bib = WebTests.text(response)
                #expect(bib.hasPrefix("@misc{cheng2024breaking,"))
                #expect(bib.contains("eprint = {2410.17243}"))
                // A download sets no cookie: only HTML pages carry forms.
                #expect(response.headers[.setCookie] == nil)
            }
            // Old-style ids have a slash; the file name cannot.
            try await client.execute(uri: "/papers/hep-th/9901001.bib", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentDisposition] == "attachment; filename=\"hep-th_9901001.bib\"")
                #expect(WebTests.text(response).contains("eprint = {hep-th/9901001}"))
            }
            try await client.execute(uri: "/papers/2410.17243v1.bib", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/papers/2410.99999.bib", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            }
        }
    }

    @Test func aPapersRISAndCSLJSON() async throws {
        try await withApp { client in
            try await client.execute(uri: "/papers/2410.17243.ris", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/x-research-info-systems") == true)
                let ris = WebTests.text(response)
                #expect(ris.hasPrefix("TY  - UNPB\r\n"))
                #expect(ris.hasSuffix("ER  - \r\n"))
            }
            try await client.execute(uri: "/papers/hep-th/9901001.csl.json", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentDisposition] == "attachment; filename=\"hep-th_9901001.csl.json\"")
                let items = try #require(try WebTests.json(response) as? [[String: Any]])
                let item = try #require(items.first)
                #expect(item["type"] as? String == "article")
                #expect(item["URL"] as? String == "https://arxiv.org/abs/hep-th/9901001")
                #expect((item["author"] as? [[String: Any]])?.first?["family"] as? String == "Núñez")
                #expect(((item["issued"] as? [String: Any])?["date-parts"] as? [[Int]])?.first == [1999, 1, 1])
            }
        }
    }

    @Test func thePaperPageHasACiteBox() async throws {
        try await withApp { client in
            try await client.execute(uri: "/papers/hep-th/9901001", method: .get) { response in
                let html = WebTests.text(response)
                #expect(html.contains("<details class=\"cite\"><summary>Cite</summary>"))
                // The entry is escaped into the page: the title's <b> stays text.
                #expect(html.contains("title = {{An old-style &lt;b&gt;identifier&lt;/b&gt; \\&amp; friends}}"))
                for file in ["hep-th/9901001.bib", "hep-th/9901001.ris", "hep-th/9901001.csl.json"] {
                    #expect(html.contains("href=\"/papers/\(file)\""))
                }
            }
        }
    }

    @Test func arxivAddressesLeadToThePaperPage() async throws {
        try await withApp { client in
            let cases: [(String, HTTPResponse.Status, String)] = [
                ("/abs/2410.17243", .movedPermanently, "/papers/2410.17243"),
                ("/abs/2410.17243v2", .movedPermanently, "/papers/2410.17243"),
                ("/abs/hep-th/9901001v1", .movedPermanently, "/papers/hep-th/9901001"),
                ("/pdf/2410.17243", .found, "/papers/2410.17243"),
                ("/pdf/2410.17243v1.pdf", .found, "/papers/2410.17243"),
                ("/pdf/hep-th/9901001.pdf", .found, "/papers/hep-th/9901001"),
            ]
            for (uri, status, location) in cases {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == status, "\(uri)")
                    #expect(response.headers[.location] == location, "\(uri)")
                }
            }
            for uri in ["/abs/2410.99999", "/pdf/2410.99999v3.pdf", "/abs/nonsense"] {
                try await client.execute(uri: uri, method: .get) { #expect($0.status == .notFound, "\(uri)") }
            }
        }
    }

    @Test func collectionsExportRISAndCSLJSON() async throws {
        let store = try await WebTests.filledStore()
        let reader = try await PageCacheTests.signIn(store, "cite")
        let collection = try await store.createCollection(userID: reader.user.id, name: "Reading", description: "", isPublic: true, now: WebTests.now)
        for id in ["2410.17243", "hep-th/9901001"] { try await store.saveToCollection(id: collection.id, paperID: id, note: "", now: WebTests.now) }
        try await withApp(store) { client in
            try await client.execute(uri: "/collections/\(collection.id)", method: .get) { response in
                let html = WebTests.text(response)
                for path in ["bibtex", "ris", "csl-json"] { #expect(html.contains("href=\"/collections/\(collection.id)/\(path)\"")) }
            }
            try await client.execute(uri: "/collections/\(collection.id)/ris", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentDisposition] == "attachment; filename=\"quire-collection-\(collection.id).ris\"")
                let ris = WebTests.text(response)
                #expect(ris.components(separatedBy: "TY  - ").count == 3)
                #expect(ris.components(separatedBy: "ER  - \r\n").count == 3)
            }
            try await client.execute(uri: "/collections/\(collection.id)/csl-json", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/vnd.citationstyles.csl+json") == true)
                let items = try #require(try WebTests.json(response) as? [[String: Any]])
                #expect(items.count == 2)
                for item in items {
                    for key in ["id", "type", "title", "author", "issued", "URL"] { #expect(item[key] != nil, "\(key)") }
                }
            }
            try await client.execute(uri: "/collections/\(collection.id)/bibtex", method: .get) { response in
                #expect(response.headers[.contentType] == "text/x-bibtex; charset=utf-8")
                #expect(WebTests.text(response).components(separatedBy: "\n@").count == 2)
            }
        }
    }

    /// Follows `Link: <…>; rel="next"` from the first page to the last.
    @Test func theListingWalksEveryPaperOnce() async throws {
        let store = try await WebTests.filledStore()
        let total = try await store.stats().papers
        try await withApp(store) { client in
            var uri: String? = "/api/papers?limit=37"
            var ids: [String] = []
            var pages = 0
            while let current = uri {
                uri = try await client.execute(uri: current, method: .get) { response -> String? in
                    #expect(response.status == .ok)
                    let papers = try #require(try WebTests.json(response) as? [[String: Any]])
                    ids += papers.compactMap { $0["id"] as? String }
                    #expect(papers.allSatisfy { $0["title"] is String && $0["authors"] is [Any] })
                    guard let link = response.headers[HTTPField.Name("Link")!] else { return nil }
                    #expect(link.hasPrefix("<\(Self.publicURL)/api/papers?") && link.hasSuffix(">; rel=\"next\""))
                    // The test client takes the path and query.
                    return String(link.dropFirst(1 + Self.publicURL.count).prefix { $0 != ">" })
                }
                pages += 1
            }
            #expect(ids.count == total)
            #expect(Set(ids).count == total)
            #expect(pages == (total + 36) / 37)
        }
    }

    @Test func theListingRefusesBadLimitsAndCursors() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/papers", method: .get) { response in
                let papers = try #require(try WebTests.json(response) as? [Any])
                #expect(papers.count == 50)
            }
            // Past the last paper: an empty page, not an error.
            try await client.execute(uri: "/api/papers?cursor=zzzzzzzzzzzz", method: .get) { response in
                #expect(response.status == .ok)
                let papers = try #require(try WebTests.json(response) as? [Any])
                #expect(papers.isEmpty)
                #expect(response.headers[HTTPField.Name("Link")!] == nil)
            }
            for uri in ["/api/papers?limit=0", "/api/papers?limit=101", "/api/papers?limit=ten",
                        "/api/papers?cursor=-1", "/api/papers?cursor=ABC", "/api/papers?cursor=%21%21", "/api/papers?cursor=1234567890abc"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .badRequest, "\(uri)")
                    let error = try WebTests.object(response)["error"]
                    #expect(error is String, "\(uri)")
                }
            }
        }
    }
}
