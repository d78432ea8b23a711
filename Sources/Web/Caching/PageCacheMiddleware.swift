import Foundation
import Hummingbird
import Storage

/// Serves GETs of the routes it is added to from `PageCache.responses`.
/// It runs after `ViewerMiddleware`, which knows who is asking and adds the
/// anonymous CSRF cookie to whatever this returns (cached bodies carry no token).
struct PageCacheMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    enum Audience: Sendable {
        /// HTML pages: only anonymous readers get (and fill) the cache. The
        /// key is the path and query as sent, because the page embeds them
        /// (the "log in to upvote" link returns to them).
        case anonymousReaders
        /// JSON that depends on nobody: everyone shares it, and the key is
        /// the path with its parameters sorted (their order changes nothing),
        /// every one of them: a repeated `category=` narrows the list further,
        /// so it must not share the entry of its first value alone.
        case everyone
    }

    let audience: Audience
    /// `PageCache.responses`, shared by every group that keeps responses.
    let cache: GenerationCache<BufferedResponse>
    /// The store's writes, which empty the cache.
    let changes: any ChangeTracking
    let now: @Sendable () -> Date

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get else { return try await next(request, context) }
        let key: String
        switch audience {
        case .anonymousReaders:
            guard context.viewer.user == nil else { return try await next(request, context) }
            key = context.viewer.path
        case .everyone:
            let parameters = FormFields(urlEncoded: request.uri.query ?? "").pairs.sorted { ($0.name, $0.value) < ($1.name, $1.value) }
            key = request.uri.path + "?" + parameters.map { urlPart($0.name) + "=" + urlPart($0.value) }.joined(separator: "&")
        }
        let generation = await changes.changeGeneration()
        let buffered = try await cache.value(
            PageCache.clockKey(now()) + " " + key, generation: generation, keep: { $0.status == .ok }) {
            try await BufferedResponse(next(request, context))
        }
        return buffered.response
    }
}
