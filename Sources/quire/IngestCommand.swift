import ArgumentParser
import Foundation
import Ingest
import QuireCore
import Storage

/// `quire ingest`: live harvesting from arXiv and Hugging Face. Every
/// subcommand stores page by page with a checkpoint in the same transaction,
/// so it can be killed at any moment and run again to continue.
///
/// Exit status: 0 when the run finished, 2 when it stopped early or skipped
/// something (the summary says what and why), 1 on a fatal error.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Harvest papers from arXiv (API, OAI-PMH, announcement feed) and Hugging Face daily papers.",
        discussion: """
        Endpoints default to the public ones and can be changed with flags or the environment: \
        QUIRE_ARXIV_API_URL, QUIRE_OAI_URL, QUIRE_FEED_URL, QUIRE_HF_URL, QUIRE_GITHUB_URL. Requests to one host are \
        made one at a time, --interval seconds apart (QUIRE_HARVEST_INTERVAL; arXiv asks for 3), \
        with a User-Agent naming --contact (QUIRE_CONTACT). 429 and 503 answers are retried \
        with back-off, honouring Retry-After, up to --max-retries times.
        """,
        subcommands: [Arxiv.self, OAI.self, Feed.self, HF.self, GitHub.self, Lookup.self]
    )

    static func env(_ name: String) -> String? {
        guard let v = ProcessInfo.processInfo.environment[name], !v.isEmpty else { return nil }
        return v
    }

    static func url(_ flag: String?, env name: String, default fallback: URL) throws -> URL {
        guard let text = flag ?? env(name) else { return fallback }
        guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw ValidationError("not an http(s) URL: \(text)")
        }
        return url
    }

    static func day(_ text: String?, name: String) throws -> Day? {
        guard let text else { return nil }
        guard let day = Day(text) else { throw ValidationError("\(name) must be a date written YYYY-MM-DD, got \(text)") }
        return day
    }

    static func categories(_ text: String) throws -> [String] {
        let list = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !list.isEmpty else { throw ValidationError("--categories needs at least one category, e.g. cs.CL,cs.LG") }
        return list
    }
}

/// Options every ingest subcommand shares.
struct HarvestOptions: ParsableArguments {
    @OptionGroup var store: StoreOptions
    @OptionGroup var model: ModelOptions

    @Flag(name: .long, help: "Do not embed the new papers (run `quire embed` later for semantic search).")
    var noEmbed = false

    @Option(name: .long, help: "Minimum seconds between requests to one host (default 3 for arXiv, 1 for Hugging Face; env QUIRE_HARVEST_INTERVAL).")
    var interval: Double?

    @Option(name: .long, help: "Contact address put in the User-Agent (env QUIRE_CONTACT).")
    var contact: String?

    @Option(name: .long, help: "Retries of a request answered 429/5xx or not answered.")
    var maxRetries: Int = 4

    @Option(name: .long, help: "Seconds of the first back-off when the server gives no Retry-After (doubles each retry).")
    var backoff: Double = 5

    @Flag(name: .long, help: "No progress lines on standard error.")
    var quiet = false

    @Flag(name: .long, help: "Print the summary as JSON on standard output.")
    var json = false

    func validate() throws {
        if let interval, interval < 0 { throw ValidationError("--interval must be 0 or more") }
        if maxRetries < 0 { throw ValidationError("--max-retries must be 0 or more") }
    }

    func client(defaultInterval: TimeInterval) throws -> PoliteHTTPClient {
        var seconds = defaultInterval
        if let interval { seconds = interval } else if let text = IngestCommand.env("QUIRE_HARVEST_INTERVAL") {
            guard let v = Double(text), v >= 0 else { throw ValidationError("QUIRE_HARVEST_INTERVAL must be a number of seconds") }
            seconds = v
        }
        let policy = HTTPPolicy(userAgent: HTTPPolicy.userAgent(contact: contact ?? IngestCommand.env("QUIRE_CONTACT")),
                                minInterval: seconds, maxRetries: maxRetries, backoffBase: backoff)
        return PoliteHTTPClient(policy: policy, log: log)
    }

    var log: HarvestLog {
        let quiet = self.quiet
        return { line in if !quiet { FileHandle.standardError.write(Data(("ingest: " + line + "\n").utf8)) } }
    }

    /// Embeds what arrived, prints the summary and turns an incomplete run into exit status 2.
    func finish(_ summaries: [HarvestSummary], store: any EmbeddingStore) async throws {
        if !noEmbed { await model.embedNewPapers(store: store, quiet: quiet || json) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data = try encoder.encode(summaries.count == 1 ? AnySummary.one(summaries[0]) : AnySummary.many(summaries))
            print(String(decoding: data, as: UTF8.self))
        } else {
            for s in summaries { FileHandle.standardError.write(Data((s.description + "\n").utf8)) }
        }
        if summaries.contains(where: { !$0.complete || !$0.skipped.isEmpty }) { throw ExitCode(2) }
    }

    enum AnySummary: Encodable {
        case one(HarvestSummary), many([HarvestSummary])
        func encode(to encoder: Encoder) throws {
            switch self {
            case .one(let s): try s.encode(to: encoder)
            case .many(let s): try s.encode(to: encoder)
            }
        }
    }
}

extension IngestCommand {
    struct Arxiv: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "arxiv",
            abstract: "Harvest the arXiv API by categories and submission dates (oldest first, resumable).")

        @OptionGroup var options: HarvestOptions
        @Option(name: .long, help: "Comma-separated arXiv categories, e.g. cs.CL,cs.LG.")
        var categories: String
        @Option(name: .long, help: "First submission day, YYYY-MM-DD (default: two days before --until).")
        var from: String?
        @Option(name: .long, help: "Last submission day, YYYY-MM-DD (default: today, UTC).")
        var until: String?
        @Option(name: .long, help: "Results per request.")
        var pageSize: Int = 100
        @Option(name: .long, help: "Stop after this many results.")
        var limit: Int?
        @Option(name: .customLong("arxiv-api-url"), help: "arXiv API endpoint (env QUIRE_ARXIV_API_URL).")
        var arxivAPIURL: String?

        func run() async throws {
            let until = try IngestCommand.day(until, name: "--until") ?? Day.today()
            let from = try IngestCommand.day(from, name: "--from") ?? until.adding(days: -2)
            guard from <= until else { throw ValidationError("--from \(from) is after --until \(until)") }
            guard pageSize > 0 else { throw ValidationError("--page-size must be positive") }
            try await options.store.withStore { store in
                let client = try options.client(defaultInterval: 3)
                let harvester = ArxivAPIHarvester(
                    options: .init(baseURL: try IngestCommand.url(arxivAPIURL, env: "QUIRE_ARXIV_API_URL", default: HarvestEndpoints.arxivAPI),
                                   categories: try IngestCommand.categories(categories), from: from, until: until,
                                   pageSize: pageSize, maxResults: limit, pageRetryDelay: max(options.backoff, 0)),
                    store: store, http: client, log: options.log)
                try await options.finish([try await harvester.run()], store: store)
            }
        }
    }

    struct OAI: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "oai",
            abstract: "Back-fill from arXiv's OAI-PMH interface (ListRecords, metadataPrefix=arXiv, resumable).")

        @OptionGroup var options: HarvestOptions
        @Option(name: .long, help: "OAI set, e.g. cs or physics:hep-ex (default: everything).")
        var set: String?
        @Option(name: .long, help: "First datestamp, YYYY-MM-DD (default: where the last finished run of this set ended).")
        var from: String?
        @Option(name: .long, help: "Last datestamp, YYYY-MM-DD.")
        var until: String?
        @Option(name: .customLong("oai-url"), help: "OAI-PMH endpoint (env QUIRE_OAI_URL).")
        var oaiURL: String?

        func run() async throws {
            try await options.store.withStore { store in
                let client = try options.client(defaultInterval: 3)
                let harvester = OAIHarvester(
                    options: .init(baseURL: try IngestCommand.url(oaiURL, env: "QUIRE_OAI_URL", default: HarvestEndpoints.arxivOAI),
                                   set: set, from: try IngestCommand.day(from, name: "--from"),
                                   until: try IngestCommand.day(until, name: "--until"), pageRetryDelay: max(options.backoff, 0)),
                    store: store, http: client, log: options.log)
                try await options.finish([try await harvester.run()], store: store)
            }
        }
    }

    struct Feed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "feed",
            abstract: "Read arXiv's announcement feed for categories (new, cross-lists, replacements).")

        @OptionGroup var options: HarvestOptions
        @Option(name: .long, help: "Comma-separated arXiv categories, e.g. cs.AI,cs.CL.")
        var categories: String
        @Option(name: .customLong("feed-url"), help: "Feed base URL; the category is appended (env QUIRE_FEED_URL).")
        var feedURL: String?

        func run() async throws {
            try await options.store.withStore { store in
                let client = try options.client(defaultInterval: 3)
                let harvester = FeedHarvester(
                    options: .init(baseURL: try IngestCommand.url(feedURL, env: "QUIRE_FEED_URL", default: HarvestEndpoints.arxivFeed),
                                   categories: try IngestCommand.categories(categories), pageRetryDelay: max(options.backoff, 0)),
                    store: store, http: client, log: options.log)
                try await options.finish([try await harvester.run()], store: store)
            }
        }
    }

    struct HF: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hf",
            abstract: "Read Hugging Face's daily papers for a day (upvotes, submitter, organization, repository).")

        @OptionGroup var options: HarvestOptions
        @Option(name: .long, help: "The day, YYYY-MM-DD (default: today, UTC). With --until, the first day of a range.")
        var date: String?
        @Option(name: .long, help: "Read every day from --date to this day, YYYY-MM-DD.")
        var until: String?
        @Option(name: .customLong("hf-url"), help: "Hugging Face base URL (env QUIRE_HF_URL).")
        var hfURL: String?

        func run() async throws {
            let first = try IngestCommand.day(date, name: "--date") ?? Day.today()
            let last = try IngestCommand.day(until, name: "--until") ?? first
            guard first <= last else { throw ValidationError("--date \(first) is after --until \(last)") }
            try await options.store.withStore { store in
                let client = try options.client(defaultInterval: 1)
                let base = try IngestCommand.url(hfURL, env: "QUIRE_HF_URL", default: HarvestEndpoints.huggingFace)
                var summaries: [HarvestSummary] = []
                var day = first
                while day <= last {
                    let harvester = HFDailyHarvester(options: .init(baseURL: base, date: day, pageRetryDelay: max(options.backoff, 0)),
                                                     store: store, http: client, log: options.log)
                    summaries.append(try await harvester.run())
                    day = day.adding(days: 1)
                }
                try await options.finish(summaries, store: store)
            }
        }
    }

    struct GitHub: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "github",
            abstract: "Refresh the GitHub stars of papers with a repository, for Trending code.",
            discussion: """
            Asks GitHub's API about the repositories least recently checked, conditionally (a repository \
            unchanged since its last count costs nothing against the rate limit). Without a token GitHub \
            allows 60 requests an hour; set QUIRE_GITHUB_TOKEN (or --github-token) for 5,000. Run it from \
            a timer a few times a day: the trend compares counts across days.
            """)

        @OptionGroup var options: HarvestOptions
        @Option(name: .customLong("github-url"), help: "GitHub API base URL (env QUIRE_GITHUB_URL).")
        var gitHubURL: String?
        @Option(name: .customLong("github-token"), help: "A GitHub token (env QUIRE_GITHUB_TOKEN; the environment keeps it out of the process list).")
        var gitHubToken: String?
        @Option(name: .long, help: "Repositories to ask about in this run (default 50; 60 an hour is GitHub's limit without a token).")
        var limit: Int = 50
        @Option(name: .customLong("recheck-hours"), help: "Ask about a repository again only this many hours after its last check.")
        var recheckHours: Double = 12
        @Option(name: .long, help: ArgumentHelp("Count as of this instant (2026-11-23T07:00:00Z) instead of now: for tests.", visibility: .hidden))
        var now: String?

        func validate() throws {
            guard limit > 0, limit <= 100_000 else { throw ValidationError("--limit must be between 1 and 100000") }
            guard recheckHours >= 0, recheckHours <= 24 * 365 else { throw ValidationError("--recheck-hours must be between 0 and 8760") }
            if let now, Timestamp.parse(now) == nil { throw ValidationError("--now must be an instant like 2026-11-23T07:00:00Z, not '\(now)'") }
        }

        func run() async throws {
            let summary = try await options.store.withStore { store in
                let harvester = GitHubStarsHarvester(
                    options: .init(baseURL: try IngestCommand.url(gitHubURL, env: "QUIRE_GITHUB_URL", default: HarvestEndpoints.gitHubAPI),
                                   token: gitHubToken ?? IngestCommand.env("QUIRE_GITHUB_TOKEN"), limit: limit,
                                   recheckAfter: recheckHours * 3600),
                    store: store, http: try options.client(defaultInterval: 1), log: options.log,
                    now: { [now] in now.flatMap(Timestamp.parse) ?? Date() })
                return try await harvester.run()
            }
            if options.json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(summary), as: UTF8.self))
            } else {
                FileHandle.standardError.write(Data((summary.description + "\n").utf8))
            }
            if summary.stoppedEarly != nil || summary.failed > 0 { throw ExitCode(2) }
        }
    }

    struct Lookup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lookup",
            abstract: "Fetch papers by arXiv id through the API and store them.")

        @OptionGroup var options: HarvestOptions
        @Argument(help: "arXiv ids or URLs (2410.17243, arXiv:2410.17243v2, https://arxiv.org/abs/...).")
        var ids: [String]
        @Option(name: .customLong("arxiv-api-url"), help: "arXiv API endpoint (env QUIRE_ARXIV_API_URL).")
        var arxivAPIURL: String?

        func run() async throws {
            try await options.store.withStore { store in
                let client = try options.client(defaultInterval: 3)
                let lookup = ArxivLookup(baseURL: try IngestCommand.url(arxivAPIURL, env: "QUIRE_ARXIV_API_URL", default: HarvestEndpoints.arxivAPI),
                                         http: client)
                var missing = false
                for raw in ids {
                    do {
                        if let (paper, outcome) = try await lookup.fetchAndStore(raw, into: store) {
                            print("\(paper.id)\t\(outcome.rawValue)\t\(paper.title)")
                        } else {
                            FileHandle.standardError.write(Data("\(raw): arXiv has no such paper\n".utf8))
                            missing = true
                        }
                    } catch let error as HarvestError {
                        FileHandle.standardError.write(Data("\(raw): \(error)\n".utf8))
                        missing = true
                    }
                }
                if missing { throw ExitCode(2) }
            }
        }
    }
}
