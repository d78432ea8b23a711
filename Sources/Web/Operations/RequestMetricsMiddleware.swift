import Dispatch
import Hummingbird
import Telemetry

/// Counts and times every request by route pattern and status class
/// (`HTTPMetrics`). Added first, so it sees the answer the client gets:
/// after `ErrorPageMiddleware` has turned errors into pages.
///
/// Hummingbird's own `MetricsMiddleware` records through the process-wide
/// `MetricsSystem` (one per process, while the tests build many apps) and
/// labels exact status codes; this one takes the app's own instruments.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: HTTPMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        // The route is known once the router has matched (it sets it in a box
        // shared with this context); a request no route takes is `NotFound`.
        func record(_ status: HTTPResponse.Status) {
            let elapsed = DispatchTime.now().uptimeNanoseconds &- start
            metrics.record(route: context.endpointPath ?? "NotFound", method: request.method.rawValue,
                           status: status.code, nanoseconds: Int64(clamping: elapsed))
        }
        do {
            let response = try await next(request, context)
            // Timed to the answer, not its last byte written: Quire's pages and
            // answers are built whole before they are sent (none streams).
            record(response.status)
            return response
        } catch {
            record((error as? any HTTPResponseError)?.status ?? .internalServerError)
            throw error
        }
    }
}
