import Foundation
import Logging
import Testing
@testable import Ingest
import QuireCore
import Storage

/// The local stand-in for arXiv and Hugging Face (tests/fixture_server.py),
/// started as a python3 subprocess on a free port for one test.
final class HarvestFixtureServer: @unchecked Sendable { // set up in init, only stopped after
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let process = Process()
    let port: Int
    private let stdin = Pipe()

    init() throws {
        let script = Self.repoRoot.appendingPathComponent("tests/fixture_server.py").path
        let fixtures = Self.repoRoot.appendingPathComponent("../shared/fixtures").standardizedFileURL.path
        let out = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--port", "0", "--fixtures", fixtures, "--exit-on-stdin-eof"]
        process.standardOutput = out
        process.standardInput = stdin
        try process.run()
        var buffer = Data()
        while !buffer.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
        }
        let line = String(decoding: buffer, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard line.hasPrefix("PORT "), let port = Int(line.dropFirst(5)) else {
            process.terminate()
            throw HarvestError.invalidArgument("fixture server did not start: \(line)")
        }
        self.port = port
    }

    deinit { stop() }

    /// Stops the server. Not `waitUntilExit()`: on Linux it can block forever
    /// when called from a test's task; the server also exits on its own when
    /// its standard input closes with this process.
    func stop() {
        if process.isRunning { process.terminate() }
        try? stdin.fileHandleForWriting.close()
    }

    /// The server's base URL, with variant options (`/x/503=2,delay=1`).
    func url(_ path: String, options: String? = nil) -> URL {
        let prefix = options.map { "/x/\($0)" } ?? ""
        return URL(string: "http://127.0.0.1:\(port)\(prefix)\(path)")!
    }

    /// What the server was asked, in order.
    func requestLog() async throws -> [(path: String, time: Double, userAgent: String)] {
        let (data, _) = try await URLSession.shared.data(from: url("/_log"))
        let items = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
        return items.compactMap { item in
            guard let path = item["path"] as? String, let time = item["time"] as? Double else { return nil }
            return (path, time, item["ua"] as? String ?? "")
        }.filter { !$0.path.hasPrefix("/_") }
    }
}

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("Harvest") struct HarvestTests {
    let server: HarvestFixtureServer
    let dir: URL
    let store: SQLiteStore

    init() throws {
        server = try HarvestFixtureServer()
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("quire-harvest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        store = try SQLiteStore(path: dir.appendingPathComponent("quire.sqlite").path)
    }

    /// A fast client: no interval, tiny back-off.
    func client(interval: TimeInterval = 0, maxRetries: Int = 3, contact: String? = "harvest-tests@example.org") -> PoliteHTTPClient {
        PoliteHTTPClient(policy: HTTPPolicy(userAgent: HTTPPolicy.userAgent(contact: contact), minInterval: interval,
                                            maxRetries: maxRetries, backoffBase: 0.05, maxBackoff: 0.2))
    }

    func api(_ options: String? = nil, pageSize: Int = 10, http: PoliteHTTPClient? = nil) -> ArxivAPIHarvester {
        ArxivAPIHarvester(options: .init(baseURL: server.url("/api/query", options: options), categories: ["cs.SE", "cs.LG"],
                                         from: Day("2022-01-01")!, until: Day("2022-12-31")!, pageSize: pageSize,
                                         pageRetries: 1, pageRetryDelay: 0.05),
                          store: store, http: http ?? client())
    }

    func oai(_ options: String? = nil, set: String? = nil, from: Day? = nil, incremental: Bool = true) -> OAIHarvester {
        OAIHarvester(options: .init(baseURL: server.url("/oai", options: options), set: set, from: from,
                                    incremental: incremental, pageRetries: 1, pageRetryDelay: 0.05),
                     store: store, http: client())
    }

    func feed(_ options: String? = nil, categories: [String] = ["cs.AI"], http: PoliteHTTPClient? = nil) -> FeedHarvester {
        FeedHarvester(options: .init(baseURL: server.url("/atom", options: options), categories: categories,
                                     pageRetries: 1, pageRetryDelay: 0.05),
                      store: store, http: http ?? client())
    }

    func hf(_ options: String? = nil, date: String = "2024-10-25", http: PoliteHTTPClient? = nil) -> HFDailyHarvester {
        HFDailyHarvester(options: .init(baseURL: server.url("", options: options), date: Day(date)!, pageRetries: 1, pageRetryDelay: 0.05),
                         store: store, http: http ?? client())
    }

    func count() async throws -> Int { try await store.stats().papers }

    // MARK: - arXiv API

    @Test func apiPagesThroughEveryResultAndIsIdempotent() async throws {
        let first = try await api().run()
        #expect(first.complete)
        #expect(first.skipped.isEmpty)
        #expect(first.fetched == 100)
        #expect(first.inserted == 100)
        #expect(first.pages == 10)
        #expect(try await count() == 100)
        #expect(try await store.checkpoint(api().checkpointKey) == "done total=100")

        let paper = try #require(try await store.paper(id: "2202.12139"))
        #expect(paper.title == "Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques")
        #expect(paper.version == 1)
        #expect(paper.authors == ["Mohit Kumar Ahuja", "Arnaud Gotlieb", "Helge Spieker"])
        #expect(paper.categories == ["cs.SE", "cs.LG"])
        #expect(paper.doi == "10.1109/ICSTW55395.2022.00035")
        #expect(paper.comments == "Artificial Intelligence in Software Testing 2022 workshop @ ICST 2022")
        #expect(paper.submittedAt == Timestamp.parse("2022-02-24T15:05:19Z"))
        #expect(paper.withdrawn == false)
        #expect(try await store.paper(id: "2409.05654")?.version == 9)

        // A finished range runs again from the start: nothing new, nothing lost.
        let again = try await api().run()
        #expect(again.complete)
        #expect(again.inserted == 0 && again.updated == 0 && again.unchanged == 100)
        #expect(again.resumedFrom == nil)
        #expect(try await count() == 100)
    }

    @Test func apiSendsTheCategoryAndDateQuerySortedBySubmission() async throws {
        _ = try await api(pageSize: 50).run()
        let log = try await server.requestLog()
        #expect(log.count == 2)
        let first = try #require(log.first?.path.removingPercentEncoding)
        #expect(first.contains("search_query=(cat:cs.SE OR cat:cs.LG) AND submittedDate:[202201010000 TO 202212312359]"))
        #expect(first.contains("sortBy=submittedDate"))
        #expect(first.contains("start=0&max_results=50"))
        #expect(log[1].path.contains("start=50&max_results=50"))
        #expect(log.allSatisfy { $0.userAgent.contains("mailto:harvest-tests@example.org") })
    }

    @Test func apiResumesAfterTheLastStoredPage() async throws {
        let harvester = api()
        _ = try await store.upsert([], checkpoint: Checkpoint(key: harvester.checkpointKey, value: "start=60 total=100"))
        let summary = try await harvester.run()
        #expect(summary.resumedFrom == "start=60 total=100")
        #expect(summary.fetched == 40)
        #expect(summary.complete)
        #expect(try await count() == 40)
        let log = try await server.requestLog()
        #expect(log.first?.path.contains("start=60") == true)
    }

    @Test func emptyPageMidPagingStopsThereAndTheNextRunFillsTheGap() async throws {
        let broken = try await api("emptyat=30").run()
        #expect(!broken.complete)
        #expect(broken.inserted == 30)
        #expect(broken.skipped.count == 1)
        #expect(broken.skipped[0].reason.contains("empty page at start=30"))
        #expect(broken.skipped[0].url.contains("start=30"))
        #expect(try await store.checkpoint(api().checkpointKey) == "start=30 total=100")

        let resumed = try await api().run()
        #expect(resumed.complete)
        #expect(resumed.resumedFrom == "start=30 total=100")
        #expect(resumed.inserted == 70)
        #expect(try await count() == 100)
    }

    @Test func anEmptyPageThatRecoversOnRetryLeavesNoGap() async throws {
        let summary = try await api("emptyonce=40").run()
        #expect(summary.complete)
        #expect(summary.skipped.isEmpty)
        #expect(try await count() == 100)
    }

    @Test func truncatedXMLIsReportedAndNothingPartialIsStored() async throws {
        let summary = try await api("truncate=20").run()
        #expect(!summary.complete)
        #expect(summary.inserted == 20)
        #expect(summary.skipped.count == 1)
        #expect(summary.skipped[0].reason.contains("malformed"))
        #expect(try await count() == 20)
        #expect(try await store.checkpoint(api().checkpointKey) == "start=20 total=100")
    }

    @Test func retriesA503HonouringRetryAfter() async throws {
        let http = client()
        let started = Date()
        let summary = try await api("503=2,retryafter=1", pageSize: 100, http: http).run()
        #expect(summary.complete)
        #expect(summary.retries == 2)
        #expect(summary.requests == 3)
        #expect(Date().timeIntervalSince(started) >= 2.0)
        #expect(try await count() == 100)
    }

    @Test func givesUpAfterBoundedRetriesWithAClearError() async throws {
        let summary = try await api("always503,retryafter=0", http: client(maxRetries: 2)).run()
        #expect(!summary.complete)
        #expect(summary.requests == 3)
        #expect(summary.skipped.count == 1)
        #expect(summary.skipped[0].reason.hasPrefix("HTTP 503 after 3 attempts"))
        #expect(try await count() == 0)
        let busy = try await api("429=1,retryafter=0", pageSize: 100).run()
        #expect(busy.complete && busy.retries == 1)
    }

    @Test func aNewVersionUpdatesAndAWithdrawalIsMarkedNotDeleted() async throws {
        _ = try await api().run()
        let summary = try await api("withdraw=2202.12139").run()
        #expect(summary.updated == 1)
        #expect(summary.unchanged == 99)
        let paper = try #require(try await store.paper(id: "2202.12139"))
        #expect(paper.withdrawn)
        #expect(paper.version == 2)
        #expect(paper.comments == "This paper has been withdrawn by the author")
        #expect(paper.title == "Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques")
        #expect(try await count() == 100)
    }

    @Test func idLookups() async throws {
        let lookup = ArxivLookup(baseURL: server.url("/api/query"), http: client())
        let found = try #require(try await lookup.fetchAndStore("https://arxiv.org/abs/1605.08386", into: store))
        #expect(found.1 == .inserted)
        #expect(found.0.title == "Heat-bath random walks with Markov bases")
        #expect(found.0.authors == ["Caprice Stanley", "Tobias Windisch"])
        #expect(found.0.categories == ["math.CO", "math.ST"])
        #expect(try await lookup.fetchAndStore("1605.08386", into: store)?.1 == .unchanged)

        let old = try #require(try await lookup.fetchAndStore("astro-ph/0601001", into: store))
        #expect(old.0.id == "astro-ph/0601001")
        // 0808.05394 is well-formed but unknown: the API answers with no entry.
        #expect(try await lookup.fetchAndStore("0808.05394", into: store) == nil)
        await #expect(throws: HarvestError.self) { try await lookup.fetchAndStore("abc", into: store) }

        // The API's own answer to a malformed id: HTTP 400 with an error entry.
        do {
            _ = try await client().get(Query.url(server.url("/api/query"), [("id_list", "abc")]))
            Issue.record("expected HTTP 400")
        } catch let error as HarvestError {
            let explained = ArxivAPIHarvester.explain(error)
            #expect(explained.reason == "arXiv API error: incorrect id format for abc")
        }
    }

    // MARK: - OAI-PMH

    @Test func oaiFollowsResumptionTokens() async throws {
        let summary = try await oai("pagesize=4").run()
        #expect(summary.complete)
        #expect(summary.skipped.isEmpty)
        #expect(summary.fetched == 19)
        #expect(summary.inserted == 19)
        #expect(summary.pages == 5)
        let paper = try #require(try await store.paper(id: "1706.09418"))
        #expect(paper.title == "R-Parity Violation at the LHC")
        #expect(paper.authors.first == "Daniel Dercks")
        #expect(paper.authors.count == 5)
        #expect(paper.categories == ["hep-ph", "hep-ex"])
        #expect(paper.doi == "10.1140/epjc/s10052-017-5414-4")
        #expect(paper.journalRef == "Eur. Phys. J. C (2017) 77:856")
        #expect(paper.submittedAt == Timestamp.parse("2017-06-28"))
        #expect(paper.updatedAt == Timestamp.parse("2017-11-26"))
        #expect(paper.license == "http://arxiv.org/licenses/nonexclusive-distrib/1.0/")
        let title = try #require(try await store.paper(id: "1706.05371")?.title)
        #expect(title == "Evaluation of Silicon Photomultipliers for use as Photosensors in Liquid Xenon Detectors")
        // The next run without --from starts at the latest datestamp seen.
        #expect(try await store.checkpoint("arxiv-oai:*:latest") == "2018-08-16")
        let next = try await oai("pagesize=4").run()
        #expect(next.source.contains("from=2018-08-16"))
        #expect(next.complete)
        #expect(next.inserted == 0)
        #expect(next.fetched == 1)
    }

    @Test func oaiSetsAndEmptyRanges() async throws {
        let hepex = try await oai(set: "physics:hep-ex").run()
        #expect(hepex.complete && hepex.inserted == 7)
        let none = try await oai(set: "cs", incremental: false).run()
        #expect(none.complete && none.fetched == 0 && none.skipped.isEmpty)
    }

    @Test func oaiErrorElementStopsWithoutPartialPageAndResumes() async throws {
        let broken = try await oai("pagesize=4,oaierror=2").run()
        #expect(!broken.complete)
        #expect(broken.inserted == 8)
        #expect(broken.skipped.count == 1)
        #expect(broken.skipped[0].reason.contains("OAI-PMH error badArgument"))
        #expect(broken.skipped[0].url.contains("resumptionToken="))
        #expect(try await count() == 8)

        let resumed = try await oai("pagesize=4").run()
        #expect(resumed.complete)
        #expect(resumed.resumedFrom != nil)
        #expect(resumed.inserted == 11)
        #expect(try await count() == 19)
    }

    @Test func oaiExpiredTokenStartsTheRangeAgain() async throws {
        let harvester = oai("pagesize=50,expiretokens")
        _ = try await store.upsert([], checkpoint: Checkpoint(key: harvester.runKey(from: nil), value: "token=8!!!"))
        let summary = try await harvester.run()
        #expect(summary.complete)
        #expect(summary.inserted == 19)
    }

    @Test func oaiDeletedRecordMarksThePaperWithdrawn() async throws {
        _ = try await oai().run()
        let summary = try await oai("deleted=1706.09418", incremental: false).run()
        #expect(summary.complete)
        #expect(summary.updated == 1)
        let paper = try #require(try await store.paper(id: "1706.09418"))
        #expect(paper.withdrawn)
        #expect(paper.title == "R-Parity Violation at the LHC")
        #expect(try await count() == 19)
    }

    @Test func oaiDeletedRecordLeavesReadersUpvotesOutOfTheSourceCount() async throws {
        _ = try await oai().run()
        let reader = try await store.createUser(username: "reader", email: "reader@example.org", passwordHash: "x", role: .reader, now: Date())
        #expect(try await store.setUpvote(userID: reader.id, paperID: "1706.09418", on: true, now: Date()) == 1)
        _ = try await oai("deleted=1706.09418", incremental: false).run()
        #expect(try await store.paper(id: "1706.09418")?.upvotes == 1)
        // Taking the upvote back leaves the source's count: none.
        #expect(try await store.setUpvote(userID: reader.id, paperID: "1706.09418", on: false, now: Date()) == 0)
    }

    // MARK: - Announcement feed

    @Test func feedStoresAnnouncementsAndReportsARepeatAsStale() async throws {
        let first = try await feed().run()
        #expect(first.complete)
        #expect(first.inserted == 7)
        #expect(first.stale.isEmpty)
        let cross = try #require(try await store.paper(id: "2508.13426"))
        #expect(cross.title == "ALIGN: Word Association Learning for Cross-Cultural Generalization in Large Language Models")
        #expect(cross.categories == ["cs.CL", "cs.AI"])
        #expect(cross.authors == ["Chunhua Liu", "Kabir Manandhar Shrestha", "Sukai Huang"])
        #expect(cross.version == 1)
        #expect(cross.abstract.hasPrefix("As large language models (LLMs) increasingly mediate"))
        #expect(cross.license == "http://creativecommons.org/licenses/by-nc-sa/4.0/")
        #expect(cross.listDay == Day("2025-08-20"))

        let repeated = try await feed().run()
        #expect(repeated.stale.count == 1)
        #expect(repeated.stale[0].contains("cs.AI"))
        #expect(repeated.inserted == 0 && repeated.updated == 0)

        // A new day's batch is not stale.
        let nextDay = try await feed("drop=2").run()
        #expect(nextDay.stale.isEmpty)
        #expect(nextDay.unchanged == 5)
    }

    @Test func feedReplacementUpdatesTheVersionAndCrossListsMerge() async throws {
        _ = try await feed().run()
        let summary = try await feed("replace=2").run()
        #expect(summary.updated == 2)
        #expect(try await store.paper(id: "2508.13426")?.version == 2)
        // The replacement does not move the first-submission day.
        #expect(try await store.paper(id: "2508.13426")?.listDay == Day("2025-08-20"))
        // The same paper seen in two category feeds is one paper.
        let both = try await feed(categories: ["cs.AI", "cs.CL"]).run()
        #expect(both.empty.count == 1)
        #expect(try await count() == 7)
    }

    @Test func aBrokenFeedIsSkippedWithItsURL() async throws {
        let summary = try await feed("truncate=0").run()
        #expect(!summary.complete)
        #expect(summary.skipped.count == 1)
        #expect(summary.skipped[0].url.hasSuffix("/atom/cs.AI"))
        #expect(try await count() == 0)
        #expect(try await store.checkpoint(FeedHarvester.checkpointKey(category: "cs.AI")) == nil)
    }

    // MARK: - Hugging Face

    @Test func hfDailyPapersWithCommunitySignals() async throws {
        let summary = try await hf().run()
        #expect(summary.complete)
        #expect(summary.inserted == 8)
        let paper = try #require(try await store.paper(id: "2410.17243"))
        #expect(paper.upvotes == 64)
        #expect(paper.submittedBy == "ClownRat")
        #expect(paper.dailyDate == Day("2024-10-25"))
        #expect(paper.title == "Breaking the Memory Barrier: Near Infinite Batch Size Scaling for Contrastive Loss")
        #expect(paper.authors.count == 9)
        #expect(paper.submittedAt == Timestamp.parse("2024-10-22T17:59:30.000Z"))

        let refreshed = try await hf("upvotes=10").run()
        #expect(refreshed.updated == 8)
        #expect(try await store.paper(id: "2410.17243")?.upvotes == 74)
        let later = try await hf().run()
        #expect(later.unchanged == 8)
        #expect(try await store.paper(id: "2410.17243")?.upvotes == 74)

        let quiet = try await hf(date: "2024-10-26").run()
        #expect(quiet.complete && quiet.fetched == 0 && quiet.empty.count == 1)
    }

    @Test func hfTruncatedJSONStoresNothing() async throws {
        let summary = try await hf("truncate=0").run()
        #expect(!summary.complete)
        #expect(summary.skipped.count == 1)
        #expect(summary.skipped[0].reason.contains("JSON"))
        #expect(try await count() == 0)
    }

    @Test func hfOrganizationRepositoryAndProjectPageAreRead() throws {
        // The recorded list has none of these; this is the shape Hugging Face
        // sends when a paper has them (organization as an object, repo and stars).
        let item: [String: Any] = [
            "paper": ["id": "2501.00001v2", "title": "A  Paper\nwith a folded title", "summary": "An abstract.",
                      "authors": [["name": "Ana Núñez"], ["name": "Bo Li"]], "upvotes": 12,
                      "publishedAt": "2025-01-02T10:00:00.000Z", "githubRepo": "https://github.com/example/repo",
                      "githubStars": 321, "projectPage": "https://example.org/paper"] as [String: Any],
            "organization": ["_id": "abc", "name": "example-lab", "fullname": "Example Lab"],
            "submittedBy": ["name": "reader1", "fullname": "Reader One"],
        ]
        let paper = try HFDailyPaperDecoder.paper(from: item, listDay: Day("2025-01-03")!)
        #expect(paper.id == "2501.00001" && paper.version == 2)
        #expect(paper.title == "A Paper with a folded title")
        #expect(paper.organization == "Example Lab")
        #expect(paper.githubRepo == "https://github.com/example/repo" && paper.githubStars == 321)
        #expect(paper.projectPage == "https://example.org/paper")
        #expect(paper.submittedBy == "reader1" && paper.upvotes == 12 && paper.dailyDate == Day("2025-01-03"))
        // An organization given as a bare handle is kept too.
        var bare = item
        bare["organization"] = "other-lab"
        #expect(try HFDailyPaperDecoder.paper(from: bare, listDay: Day("2025-01-03")!).organization == "other-lab")
    }

    // MARK: - The schedule inside `quire serve`

    func scheduler(every: Duration) -> HarvestScheduler {
        HarvestScheduler(store: store, categories: ["cs.AI"], every: every, feedURL: server.url("/atom"),
                         huggingFaceURL: server.url(""), http: client(), logger: Logger(label: "test"),
                         today: { Day("2024-10-25")! })
    }

    @Test func aScheduledRoundHarvestsTheFeedAndTheDailyList() async throws {
        await scheduler(every: .seconds(60)).harvestOnce()
        #expect(try await store.paper(id: "2508.13426") != nil) // from the cs.AI feed
        #expect(try await store.paper(id: "2410.17243")?.upvotes == 64) // from the Hugging Face list of the pinned day
        #expect(try await store.stats().papers == 7 + 8)
        let paths = try await server.requestLog().map(\.path)
        #expect(paths.contains { $0.hasPrefix("/atom/cs.AI") } && paths.contains { $0.hasPrefix("/api/daily_papers") })
    }

    @Test func theScheduleRepeatsAndStopsWhenCancelled() async throws {
        let task = Task { try await scheduler(every: .milliseconds(100)).run() }
        var rounds = 0
        for _ in 0..<100 where rounds < 3 {
            try await Task.sleep(for: .milliseconds(50))
            rounds = try await server.requestLog().filter { $0.path.hasPrefix("/api/daily_papers") }.count
        }
        #expect(rounds >= 3)
        task.cancel()
        _ = try? await task.value
        let after = try await server.requestLog().count
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await server.requestLog().count == after, "no request after cancellation")
        // Three rounds of the same data stored each paper once.
        #expect(try await store.stats().papers == 15)
    }

    @Test func aRoundIsSkippedWhileAnotherServerHarvests() async throws {
        let jobs = InProcessJobs()
        let scheduler = HarvestScheduler(store: store, categories: ["cs.AI"], every: .seconds(60), feedURL: server.url("/atom"),
                                         huggingFaceURL: server.url(""), http: client(), logger: Logger(label: "test"),
                                         today: { Day("2024-10-25")! }, jobs: jobs)
        // Another server's round holds the job: this one fetches nothing.
        let skipped = try await jobs.runAlone(HarvestScheduler.jobName) { await scheduler.harvestOnce() }
        #expect(skipped == false)
        #expect(try await server.requestLog().isEmpty)
        #expect(await scheduler.harvestOnce())
        #expect(try await store.stats().papers == 15)
    }

    // MARK: - Politeness

    @Test func oneRequestInFlightPerHostWithTheMinimumInterval() async throws {
        let http = client(interval: 0.3)
        async let a = feed("delay=0.1", categories: ["cs.AI", "cs.CL", "cs.LG"], http: http).run()
        async let b = hf("delay=0.1", http: http).run()
        _ = try await (a, b)
        let log = try await server.requestLog()
        #expect(log.count == 4)
        let times = log.map(\.time).sorted()
        for (x, y) in zip(times, times.dropFirst()) {
            // 0.1 s answering + 0.3 s interval between arrivals, with slack.
            #expect(y - x >= 0.37, "requests \(y - x) s apart")
        }
    }
}
