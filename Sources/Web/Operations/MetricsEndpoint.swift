import Hummingbird
import Logging
import NIOCore
import Telemetry

/// `GET /metrics` for Prometheus, on a listener of its own (`quire serve
/// --metrics-port`, loopback by default), never on the readers' port: behind
/// a reverse proxy every reader's request also comes from loopback, so the
/// address alone could not tell the scraper from the public, and counts by
/// route are not the public's business.
public func buildMetricsRouter(_ metrics: PrometheusMetrics) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.get("/metrics") { _, _ in
        Response(status: .ok, headers: [.contentType: PrometheusMetrics.contentType],
                 body: .init(byteBuffer: ByteBuffer(bytes: await metrics.exposition())))
    }
    return router
}

/// The metrics listener, run as one of `quire serve`'s services.
public func buildMetricsApplication(host: String, port: Int, metrics: PrometheusMetrics, logger: Logger) -> some ApplicationProtocol {
    Application(router: buildMetricsRouter(metrics),
                configuration: .init(address: .hostname(host, port: port), serverName: "Quire metrics"),
                logger: logger)
}
