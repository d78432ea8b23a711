import Foundation
import Testing
@testable import Ingest
import QuireCore
import Storage

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `quire ingest github` against the fixture server's stand-in for GitHub's
/// API: counts, conditional requests, repositories that are gone or not on
/// GitHub, the token, and a rate limit that stops the run.
@Suite struct GitHubStarsTests {
    let server: HarvestFixtureServer
    let store: SQLiteStore

    init() async throws {
        server = try HarvestFixtureServer()
        store = try TestSupport.temporaryStore()
        _ = try await store.upsert([
            Paper(id: "2411.00001", title: "Fast", abstract: "x", githubRepo: "https://github.com/lab/fast.git", githubStars: 3),
            Paper(id: "2411.00002", title: "Gone", abstract: "x", githubRepo: "https://github.com/lab/gone-away"),
            Paper(id: "2411.00003", title: "Elsewhere", abstract: "x", githubRepo: "https://gitlab.com/lab/elsewhere"),
        ])
    }

    func harvester(_ options: String? = nil, token: String? = "t0k", now: Date) -> GitHubStarsHarvester {
        GitHubStarsHarvester(options: .init(baseURL: server.url("", options: options), token: token, limit: 10, recheckAfter: 3600),
                             store: store,
                             http: PoliteHTTPClient(policy: HTTPPolicy(userAgent: HTTPPolicy.userAgent(contact: "stars@example.org"),
                                                                       minInterval: 0, maxRetries: 0)),
                             now: { now })
    }

    /// The fixture server's log, with the headers it keeps.
    func log() async throws -> [[String: Any]] {
        let (data, _) = try await URLSession.shared.data(from: server.url("/_log"))
        let items = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
        return items.filter { ($0["path"] as? String)?.contains("/repos/") == true }
    }

    @Test func starsAreCountedThenAskedForConditionally() async throws {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let first = try await harvester(now: t0).run()
        #expect(first == .init(counted: 1, unchanged: 0, gone: 2, failed: 0, stoppedEarly: nil))
        #expect(try await store.paper(id: "2411.00001")?.githubStars == 400)
        var requests = try await log()
        // The GitLab address is never asked about; ".git" is not part of the name.
        #expect(requests.compactMap { $0["path"] as? String } == ["/repos/lab/fast", "/repos/lab/gone-away"])
        #expect(requests.allSatisfy { $0["auth"] as? String == "Bearer t0k" && ($0["ua"] as? String ?? "").contains("stars@example.org") })

        // Within the recheck time nothing is due.
        #expect(try await harvester(now: t0.addingTimeInterval(60)).run() == .init())
        // Later: the same count answers 304 to the ETag sent.
        let again = try await harvester(now: t0.addingTimeInterval(7200)).run()
        #expect(again.unchanged == 1 && again.counted == 0)
        requests = try await log()
        #expect(requests.last { $0["path"] as? String == "/repos/lab/fast" }?["etag"] as? String == "\"s400\"")
        // The stars grew: a new count, the next day.
        let grown = try await harvester("stars=50", now: t0.addingTimeInterval(86_400 + 7200)).run()
        #expect(grown.counted == 1)
        #expect(try await store.paper(id: "2411.00001")?.githubStars == 450)
        let trend = try await store.papersByStarGrowth(since: Day(date: t0), categories: .everything, offset: 0, limit: 5)
        #expect(trend.items == [StarGrowth(paperID: "2411.00001", gained: 50, stars: 450)])
    }

    @Test func aRateLimitStopsTheRunAndKeepsTheRestDue() async throws {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let limited = try await harvester("ratelimit", token: nil, now: t0).run()
        #expect(limited.stoppedEarly?.contains("403") == true && limited.counted == 0)
        #expect(try await log().count == 1)
        #expect(try await log().first?["auth"] as? String == "")
        // Nothing was marked checked: the next run asks again.
        #expect(try await store.repositoriesToCheck(checkedBefore: t0, limit: 10).count == 3)
    }

    @Test func repositoryAddressesAreReadStrictly() throws {
        #expect(GitHubRepository(address: "https://github.com/lab/fast")?.fullName == "lab/fast")
        #expect(GitHubRepository(address: "https://www.github.com/Lab/fast.git/")?.fullName == "Lab/fast")
        #expect(GitHubRepository(address: "https://github.com/lab/fast/tree/main/src")?.fullName == "lab/fast")
        for bad in ["https://gitlab.com/lab/fast", "https://github.com/lab", "https://github.com/lab/..", "ftp://github.com/a/b",
                    "https://github.com/lab/fa%20st", "https://github.com.evil.org/a/b", "github.com/a/b", ""] {
            #expect(GitHubRepository(address: bad) == nil, "\(bad)")
        }
        let url = URL(string: "http://x")!
        #expect(throws: HarvestError.self) { try GitHubStarsHarvester.stars(Data("{\"stargazers_count\": true}".utf8), url: url) }
        #expect(throws: HarvestError.self) { try GitHubStarsHarvester.stars(Data("{\"stargazers_count\": -1}".utf8), url: url) }
        #expect(throws: HarvestError.self) { try GitHubStarsHarvester.stars(Data("{\"stargazers_count\": 1e30}".utf8), url: url) }
        #expect(throws: HarvestError.self) { try GitHubStarsHarvester.stars(Data("[]".utf8), url: url) }
        #expect(try GitHubStarsHarvester.stars(Data("{\"stargazers_count\": 12}".utf8), url: url) == 12)
    }
}
