import Foundation
import Hummingbird
import Storage

/// The API group's error handler: everything an API handler throws leaves as
/// JSON `{"error": "..."}`, the way Hugging Face answers. Rules that said no
/// (`Refusal`) keep their status; refusals that are pages or redirects
/// for browsers (sign in, slow down, arXiv failed) become their JSON
/// equivalents; anything unexpected is logged and answers 500.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as Refusal {
            throw APIError(status: error.httpStatus, message: error.description)
        } catch is SignInRequired {
            throw APIError(status: .unauthorized, message: "sign in with a personal API token: 'Authorization: Bearer TOKEN'")
        } catch let error as UpstreamFailure {
            throw APIError(status: error.status, message: error.message)
        } catch let error as RateLimited {
            var response = try APIError(status: .tooManyRequests, message: error.message).response(from: request, context: context)
            response.headers[.retryAfter] = String(error.retryAfter)
            return response
        } catch let error as HTTPResponseError where error.status == .notFound && !(error is APIError) {
            // Hummingbird's own 404 (a missing path parameter), which the router-wide handler would make a page.
            throw APIError.notFound("no such endpoint: \(request.uri.path)")
        } catch let error as HTTPResponseError {
            throw error
        } catch {
            context.logger.error("\(request.method) \(request.uri.path) failed: \(error)")
            throw APIError(status: .internalServerError, message: "internal error")
        }
    }
}
