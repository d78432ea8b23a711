import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import QuireCore
import Search
import Storage

/// Everything the HTTP layer needs, built once at start.
public struct AppDependencies: Sendable {
    public var store: any PaperStore
    public var search: SearchService
    /// The clock, so tests can pin "now" for trending and dates.
    public var now: @Sendable () -> Date
    /// The address readers reach Quire at (for absolute links in feeds and
    /// mail); nil means the request's Host.
    public var publicURL: String?

    public init(store: any PaperStore, semantic: SemanticIndex? = nil, publicURL: String? = nil,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.publicURL = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.search = SearchService(store: store, semantic: semantic)
        self.now = now
    }
}

public struct AppConfig: Sendable {
    public var host: String
    public var port: Int
    public init(host: String = "127.0.0.1", port: Int = 8080) { self.host = host; self.port = port }
}

public typealias AppRequestContext = BasicRequestContext

/// The routes of Quire: pages and the JSON API. Tests build exactly this router.
public func buildRouter(_ dependencies: AppDependencies) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: LogRequestsMiddleware(.debug))
    router.add(middleware: ErrorPageMiddleware())
    APIController(dependencies: dependencies).addRoutes(to: router)
    PagesController(dependencies: dependencies).addRoutes(to: router)
    FeedsController(dependencies: dependencies).addRoutes(to: router)
    router.get("/health") { _, _ in "ok" }
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
