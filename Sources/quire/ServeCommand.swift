import ArgumentParser
import Foundation
import Hummingbird
import Ingest
import Digest
import Logging
import Mail
import Search
import ServiceLifecycle
import Storage
import Telemetry
import Web

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve the pages and the API.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var model: ModelOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Flag(help: "Keyword search only: do not load the embedding model.") var noSemantic = false
    @Option(help: "Cosine similarity (-1 to 1) from which a paper matches a search in meaning; higher finds fewer. Calibrated with `quire eval --sweep-thresholds`.")
    var semanticThreshold = SearchService.defaultSemanticThreshold
    @Option(help: "Harvest arXiv's feed and Hugging Face's daily list every this many minutes (0: never, the default).")
    var harvestEvery = 0
    @Option(help: "arXiv categories the scheduled harvest reads.") var harvestCategories = "cs.CL,cs.LG,cs.AI,cs.CV"
    @Option(name: .customLong("feed-url"), help: "arXiv announcement feed base URL.") var feedURL = HarvestEndpoints.arxivFeed.absoluteString
    @Option(name: .customLong("hf-url"), help: "Hugging Face base URL.") var hfURL = HarvestEndpoints.huggingFace.absoluteString
    @Option(help: "Contact address put in the harvester's User-Agent.") var contact: String?
    @Option(name: .customLong("arxiv-api-url"), help: "arXiv API endpoint, for papers readers submit that Quire does not know yet (env QUIRE_ARXIV_API_URL).")
    var arxivAPIURL: String?
    @OptionGroup var publicURL: PublicURLOption
    @OptionGroup var security: SecurityOptions
    @OptionGroup var logs: LogOptions
    @OptionGroup var webhooks: WebhookOptions
    @Flag(help: "Do not send email digests from this server (e.g. when cron runs `quire digest send`).") var noDigests = false
    @Option(help: "Serve Prometheus metrics at /metrics on this port, apart from the readers' port (off when not given).")
    var metricsPort: Int?
    @Option(help: "Address the metrics port listens on; keep it private (loopback or an internal network).")
    var metricsHost = "127.0.0.1"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535, not \(port)") }
        if let metricsPort {
            guard (1...65535).contains(metricsPort) else { throw ValidationError("--metrics-port must be from 1 to 65535, not \(metricsPort)") }
            guard metricsPort != port else { throw ValidationError("--metrics-port must differ from --port: metrics are not for readers") }
        }
        guard harvestEvery >= 0 else { throw ValidationError("--harvest-every must be 0 (off) or a number of minutes") }
        guard (-1...1).contains(semanticThreshold) else { throw ValidationError("--semantic-threshold is a cosine similarity, from -1 to 1") }
        for url in [feedURL, hfURL] where URL(string: url)?.scheme == nil { throw ValidationError("not a URL: \(url)") }
    }

    func run() async throws {
        logs.bootstrap()
        try await store.withStore { papers in try await serve(papers) }
    }

    /// Serves until shut down, with the database open (`StoreOptions.withStore`).
    private func serve(_ papers: any StoreOptions.CommandStore) async throws {
        var logger = Logger(label: "quire")
        logger.logLevel = .info
        var services: [any Service] = []
        // One registry for the process, made only when someone will read it.
        let prometheus = metricsPort == nil ? nil : PrometheusMetrics()
        let metrics = prometheus?.metrics ?? .disabled
        // Until every paper's words are in memory, keyword search is FTS5's on
        // SQLite; on PostgreSQL (no search of its own) searches wait for the load.
        let keywordIndex = KeywordSearch(feed: papers)
        services.append(KeywordIndexLoader(index: keywordIndex, logger: logger))
        prometheus?.readBeforeEachScrape { metrics in
            guard let lag = try? await keywordIndex.lag() else { return }
            metrics.keywordIndexLagChanges.record(lag.changes)
            metrics.keywordIndexLagSeconds.record(lag.seconds)
        }
        var semantic: SemanticIndex?
        if !noSemantic {
            do {
                let index = try await model.loadSemanticIndex(store: papers)
                logger.info("semantic search on: \(index.index.count) vectors loaded")
                let worker = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):serve"
                services.append(EmbeddingWorker(semantic: index, summaries: PaperSummaries(semantic: index, store: papers),
                                                interval: .seconds(5), logger: logger,
                                                store: prometheus == nil ? nil : papers, metrics: metrics,
                                                shared: (papers as? any EmbeddingClaims).map {
                                                    SharedEmbeddingBacklog(semantic: index, claims: $0, worker: worker, lease: 120)
                                                }))
                semantic = index
            } catch {
                logger.warning("semantic search off, keyword search only: \(error)")
            }
        }
        if harvestEvery > 0 {
            let http = PoliteHTTPClient(policy: HTTPPolicy(userAgent: HTTPPolicy.userAgent(contact: contact), minInterval: 3), log: { _ in })
            services.append(HarvestScheduler(store: papers, categories: harvestCategories.split(separator: ",").map(String.init),
                                             every: Duration.seconds(harvestEvery * 60), feedURL: URL(string: feedURL)!,
                                             huggingFaceURL: URL(string: hfURL)!, http: http, logger: logger, metrics: metrics,
                                             jobs: (papers as? any ExclusiveJobs) ?? InProcessJobs()))
            logger.info("harvesting \(harvestCategories) and Hugging Face every \(harvestEvery) minutes")
        }
        let (base, isFallback) = try publicURL.resolve(fallback: "http://\(host):\(port)")
        if isFallback {
            logger.notice("no --public-url or QUIRE_PUBLIC_URL: links in mail and feeds use \(base); set the address readers reach Quire at")
        }
        var dependencies = AppDependencies(store: papers, semantic: semantic, publicURL: base)
        // Several servers on one PostgreSQL count requests together; one SQLite file is one server.
        if let shared = papers as? any RateWindows { dependencies.rateWindows = shared }
        dependencies.search = SearchService(store: papers, keywordIndex: keywordIndex, semantic: semantic, semanticThreshold: semanticThreshold,
                                            metrics: metrics)
        dependencies.metrics = prometheus?.metrics
        dependencies.security = security.config
        let mail = try OutgoingMail.configured(localFolder: store.localFolder, logger: logger)
        dependencies.mail = mail
        dependencies.webhookAddressCheck = webhooks.addressCheck
        dependencies.webhookRetryBase = webhooks.webhookRetryBase
        let lookup = ArxivLookup(baseURL: try IngestCommand.url(arxivAPIURL, env: "QUIRE_ARXIV_API_URL", default: HarvestEndpoints.arxivAPI),
                                 http: PoliteHTTPClient(policy: HTTPPolicy(userAgent: HTTPPolicy.userAgent(contact: contact), minInterval: 3), log: { _ in }))
        dependencies.fetchUnknownPaper = { id in try await lookup.fetchAndStore(id, into: papers)?.0 }
        if !noDigests {
            let sender = try await DigestCommand.sender(store: papers, search: dependencies.search, mail: mail, publicURL: base, logger: logger)
            services.append(DigestScheduler(sender: sender, logger: logger, metrics: metrics))
            services.append(WebhookScheduler(sender: DigestCommand.webhookSender(store: papers, search: dependencies.search, mail: mail, publicURL: base,
                                                                                 options: webhooks, logger: logger),
                                             logger: logger, metrics: metrics))
        }
        if let prometheus, let metricsPort {
            DatabaseMetrics.report(papers, to: prometheus)
            services.append(buildMetricsApplication(host: metricsHost, port: metricsPort, metrics: prometheus, logger: logger))
            logger.info("metrics at http://\(metricsHost):\(metricsPort)/metrics")
        }
        let app = buildApplication(AppConfig(host: host, port: port), dependencies: dependencies, services: services, logger: logger)
        logger.info("Quire serving \(store.displayName) at http://\(host):\(port)")
        try await app.runService()
    }

}
