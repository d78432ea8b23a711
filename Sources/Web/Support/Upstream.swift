import Foundation
import Hummingbird

/// A service Quire asks on a reader's behalf (arXiv) failed or was too slow:
/// 502 or 504, as a page; the API group answers it as JSON (`APIErrorMiddleware`).
struct UpstreamFailure: HTTPResponseError {
    var status: HTTPResponse.Status
    var message: String

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try PageError(status: status, title: "arXiv did not help", message: message).response(from: request, context: context)
    }
}

/// Runs `work`, but gives up after `deadline`: nil then, and `work` is
/// cancelled. The caller returns at the deadline even if `work` ignores
/// cancellation (a task group would wait for it), so a slow upstream never
/// holds a request longer than this.
func withDeadline<T: Sendable>(_ deadline: Duration, _ work: @escaping @Sendable () async throws -> T) async throws -> T? {
    let once = ResumeOnce<T?>()
    return try await withCheckedThrowingContinuation { continuation in
        let worker = Task {
            let result: Result<T, any Error>
            do { result = .success(try await work()) } catch { result = .failure(error) }
            _ = await once.resume(continuation, with: result.map { Optional($0) })
        }
        Task {
            try? await Task.sleep(for: deadline)
            if await once.resume(continuation, with: .success(nil)) { worker.cancel() }
        }
    }
}

/// Resumes a continuation exactly once, whoever comes first.
private actor ResumeOnce<T: Sendable> {
    private var resumed = false

    /// Whether this call was the one that resumed it.
    func resume(_ continuation: CheckedContinuation<T, any Error>, with result: Result<T, any Error>) -> Bool {
        guard !resumed else { return false }
        resumed = true
        continuation.resume(with: result)
        return true
    }
}
