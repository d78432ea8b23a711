import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Digest
import Mail
import ReaderActions
import ServiceLifecycle
import QuireCore
import Recommendations
import Search
import Storage
import Telemetry

/// Where account mails (password resets, address confirmations) go out.
public struct OutgoingMail: Sendable {
    public var transport: any MailTransport
    public var from: MailAddress
    public init(transport: any MailTransport, from: MailAddress) { self.transport = transport; self.from = from }
}

/// Everything the HTTP layer needs, built once at start. `buildRouter` hands
/// each controller and middleware the parts it uses; none keeps the whole.
public struct AppDependencies: Sendable {
    public var store: any QuireStore
    public var search: SearchService
    public var security = SecurityConfig()
    /// Nil turns off what needs mail (resets, confirmations) with a clear message.
    public var mail: OutgoingMail?
    /// Fetches a paper Quire does not know yet (from arXiv) and stores it,
    /// so a reader can submit any recent paper; nil means "known papers only".
    public var fetchUnknownPaper: (@Sendable (String) async throws -> Paper?)?
    /// How long a submission waits for that fetch before answering 504.
    public var fetchDeadline: Duration = .seconds(10)
    /// The counters behind the rate limits: this process's by default; a
    /// store shared by several servers (PostgreSQL) shares them too.
    public var rateWindows: any RateWindows = InMemoryRateWindows()
    /// Pages and answers kept until the store changes (`PageCache`).
    let pageCache = PageCache()
    /// Each reader's "For you" model, until their signals change.
    let feedModels = ReaderModelCache()
    /// The clock, so tests can pin "now" for trending and dates.
    public var now: @Sendable () -> Date
    /// The address readers reach Quire at, for every absolute link (mail,
    /// feeds). Never taken from a request's `Host` or `X-Forwarded-Host`: a
    /// stranger could otherwise have a genuine reset mail link to their host.
    public var publicURL: String
    /// Where requests are counted and timed; nil records nothing (and adds
    /// no middleware), as when `quire serve` has no `--metrics-port`.
    public var metrics: QuireMetrics?
    /// Where webhooks may point (`--webhook-allow-insecure-loopback` for tests) and how soon a failed post is retried.
    public var webhookAddressCheck = WebhookAddressCheck()
    public var webhookRetryBase: TimeInterval = 60
    /// What posts a webhook's test message; nil: the real `WebhookPoster` over `webhookAddressCheck`.
    public var webhookTransport: (any WebhookTransport)?

    public init(store: any QuireStore, semantic: SemanticIndex? = nil, publicURL: String = "http://127.0.0.1:8080",
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        self.search = SearchService(store: store, semantic: semantic)
        self.now = now
    }

    /// The public address as the handlers use it (links, `Secure` cookies).
    var site: PublicSite { PublicSite(url: publicURL, trustForwardedProto: security.trustForwardedFor) }
}

public struct AppConfig: Sendable {
    public var host: String
    public var port: Int
    public init(host: String = "127.0.0.1", port: Int = 8080) { self.host = host; self.port = port }
}



/// The routes of Quire, in three groups that each decide their HTTP
/// concerns once (tests build exactly this router):
///
/// - the JSON API and its OpenAPI document: JSON errors, personal API
///   tokens only, no cookies read or set;
/// - pages: session cookies, the CSRF check on every form, HTML errors;
/// - feeds: anonymous and cookie-free, so feed readers and proxies can cache
///   them (`FeedsController` sets the caching headers).
///
/// Two middlewares run for the whole router, because a request no route
/// takes never reaches a group's: `APIContractMiddleware` answers unknown
/// API paths and methods, `ErrorPageMiddleware` turns the rest into pages.
public func buildRouter(_ dependencies: AppDependencies) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    if let metrics = dependencies.metrics {
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics.http))
    }
    router.add(middleware: LogRequestsMiddleware(.debug))
    router.add(middleware: ErrorPageMiddleware(accounts: dependencies.store, now: dependencies.now))
    router.add(middleware: APIContractMiddleware())
    router.get("/health") { _, _ in "ok" }

    // The one place that hands out the parts of `dependencies`: each
    // controller and middleware gets only what it uses.
    let store = dependencies.store
    let now = dependencies.now
    let site = dependencies.site
    let gate = Gate(rateWindows: dependencies.rateWindows, security: dependencies.security, now: now)
    let lists = DailyLists(papers: store, cache: dependencies.pageCache.lists, now: now)
    func responseCache(_ audience: PageCacheMiddleware.Audience) -> PageCacheMiddleware {
        PageCacheMiddleware(audience: audience, cache: dependencies.pageCache.responses, changes: store, now: now)
    }
    // Finding the paper a reader's action names, for pages and the API alike.
    let lookup = PaperLookup(store: store, submissionActions: dependencies.submissionActions,
                             fetchUnknownPaper: dependencies.fetchUnknownPaper, fetchDeadline: dependencies.fetchDeadline)

    let api = router.group()
        .add(middleware: APIErrorMiddleware())
        .add(middleware: ViewerMiddleware(accounts: store, site: site, now: now, tokenOnly: true))
    let pages = router.group()
        .add(middleware: ViewerMiddleware(accounts: store, site: site, now: now, tokenOnly: false))
    // Nothing to add: errors are pages (router-wide), and a feed needs nobody's identity.
    let feeds = router.group()

    APIController(store: store, search: dependencies.search, lists: lists, gate: gate, responseCache: responseCache(.everyone), site: site)
        .addRoutes(to: api)
    SignalsAPIController(store: store, gate: gate, lookup: lookup, accountActions: dependencies.accountActions,
                         upvoteActions: dependencies.upvoteActions, commentActions: dependencies.commentActions,
                         collectionActions: dependencies.collectionActions, organizationActions: dependencies.organizationActions)
        .addRoutes(to: api)
    AccountsController(store: store, accountActions: dependencies.accountActions, categoryDefaults: dependencies.categoryDefaults,
                       history: ReadingHistory(signals: dependencies.feedSignalActions, papers: store), gate: gate,
                       mail: AccountMail(mail: dependencies.mail, tokens: store, security: dependencies.security, now: now),
                       security: dependencies.security, site: site, now: now)
        .addRoutes(to: pages)
    SignalsController(store: store, gate: gate, lookup: lookup, upvoteActions: dependencies.upvoteActions,
                      commentActions: dependencies.commentActions, collectionActions: dependencies.collectionActions,
                      organizationActions: dependencies.organizationActions, interests: dependencies.interestActions,
                      submissionRules: dependencies.security.submissionRules, now: now)
        .addRoutes(to: pages)
    PagesController(store: store, search: dependencies.search, lists: lists, categoryDefaults: dependencies.categoryDefaults, gate: gate,
                    responseCache: responseCache(.anonymousReaders), mutes: dependencies.muteActions,
                    openings: dependencies.feedSignalActions)
        .addRoutes(to: pages)
    DigestController(store: store, gate: gate, digestActions: dependencies.digestActions, webhookActions: dependencies.webhookActions,
                     webhookTester: dependencies.webhookTester, signals: dependencies.feedSignalActions,
                     tryOut: DigestTryOut(preview: DigestPreview(store: store, builder: .standard(store: store, search: dependencies.search,
                                                                                                 models: dependencies.feedModels)),
                                          mail: dependencies.mail, secrets: store, publicURL: dependencies.publicURL),
                     now: now)
        .addRoutes(pages: pages, api: api)
    ForYouController(gate: gate, lookup: lookup, feed: dependencies.forYouFeed, signals: dependencies.feedSignalActions, lists: lists,
                     privateFeeds: dependencies.privateFeedActions, mutes: dependencies.muteActions, interests: dependencies.interestActions,
                     ownPapers: dependencies.ownPaperActions, site: site)
        .addRoutes(pages: pages, api: api, feeds: feeds)
    FeedsController(store: store, search: dependencies.search, lists: lists, gate: gate, site: site).addRoutes(to: feeds)
    return router
}

/// The application `quire serve` runs.
/// `services` run beside the server (pollers, the embedding worker) and stop with it.
public func buildApplication(_ config: AppConfig, dependencies: AppDependencies, services: [any Service] = [],
                             logger: Logger? = nil) -> some ApplicationProtocol {
    var logger = logger ?? Logger(label: "quire")
    if logger.logLevel > .info { logger.logLevel = .info }
    return Application(
        router: buildRouter(dependencies),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "Quire"),
        services: services,
        logger: logger
    )
}
