import Foundation
import Logging
import QuireCore
import ServiceLifecycle
import Storage
import Telemetry

/// Runs beside `quire serve` when `--harvest-every` is set: each round reads
/// arXiv's announcement feed for the configured categories and today's
/// Hugging Face list, the same harvesters `quire ingest feed` / `ingest hf`
/// run. New papers then get their vectors from the `EmbeddingWorker`.
public struct HarvestScheduler: Service {
    let store: any PaperStore
    let categories: [String]
    let every: Duration
    let feedURL: URL
    let huggingFaceURL: URL
    let http: PoliteHTTPClient
    let logger: Logger
    /// Which Hugging Face list is "today's" (the clock, so tests can pin it).
    let today: @Sendable () -> Day
    /// Rounds by source and outcome, and the papers they stored.
    let metrics: QuireMetrics
    /// Keeps two servers sharing a database from harvesting at once: a round
    /// that finds another running is skipped (the other does the work).
    let jobs: any ExclusiveJobs

    /// The name rounds run under in `jobs`.
    public static let jobName = "harvest"

    public init(store: any PaperStore, categories: [String], every: Duration, feedURL: URL, huggingFaceURL: URL,
                http: PoliteHTTPClient, logger: Logger, today: @escaping @Sendable () -> Day = { Day.today() },
                metrics: QuireMetrics = .disabled, jobs: any ExclusiveJobs = InProcessJobs()) {
        self.store = store; self.categories = categories; self.every = every; self.feedURL = feedURL
        self.huggingFaceURL = huggingFaceURL; self.http = http; self.logger = logger; self.today = today
        self.metrics = metrics; self.jobs = jobs
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await harvestOnce()
            // A graceful shutdown (SIGTERM) is not a cancellation: end the wait on it too.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: every) }
        }
    }

    /// One round, unless another server's round is running: then false.
    @discardableResult
    public func harvestOnce() async -> Bool {
        do {
            let ran = try await jobs.runAlone(Self.jobName) { await harvestRound() }
            if ran == nil { logger.info("harvest skipped: another server is harvesting") }
            return ran != nil
        } catch {
            logger.error("harvest round not started: \(error)")
            return false
        }
    }

    /// The feed of every category, then today's Hugging Face list.
    /// Failures are logged, never thrown: the next round tries again.
    private func harvestRound() async {
        let log: HarvestLog = { line in logger.debug("\(line)") }
        if !categories.isEmpty {
            do {
                let summary = try await FeedHarvester(options: .init(baseURL: feedURL, categories: categories), store: store, http: http, log: log).run()
                logger.info("arXiv feed: \(summary.description)")
                count(summary, source: "arxiv")
            } catch {
                logger.error("arXiv feed harvest failed: \(error)")
                metrics.harvestRuns(source: "arxiv", outcome: "failed").increment()
            }
        }
        do {
            let summary = try await HFDailyHarvester(options: .init(baseURL: huggingFaceURL, date: today()), store: store, http: http, log: log).run()
            logger.info("Hugging Face daily papers: \(summary.description)")
            count(summary, source: "huggingface")
        } catch {
            logger.error("Hugging Face harvest failed: \(error)")
            metrics.harvestRuns(source: "huggingface", outcome: "failed").increment()
        }
    }

    private func count(_ summary: HarvestSummary, source: String) {
        metrics.harvestRuns(source: source, outcome: "ok").increment()
        metrics.harvestedPapers(source: source, change: "inserted").increment(by: summary.inserted)
        metrics.harvestedPapers(source: source, change: "updated").increment(by: summary.updated)
    }
}
