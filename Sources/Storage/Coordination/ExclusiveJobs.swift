import Foundation

/// Jobs that must not run twice at once, whichever server starts them: a
/// scheduled harvest on two servers behind a load balancer would fetch the
/// same feeds twice and race on the same papers.
public protocol ExclusiveJobs: Sendable {
    /// Runs `body` unless the job named `job` is running already (here or in
    /// another process sharing the store): then nil at once, without waiting.
    func runAlone<Result: Sendable>(_ job: String, _ body: @Sendable () async throws -> Result) async throws -> Result?
}

/// Exclusion within this process: enough for one server (SQLite) and for tests.
public final class InProcessJobs: ExclusiveJobs, @unchecked Sendable { // lock: running
    private let lock = NSLock()
    private var running: Set<String> = []

    public init() {}

    public func runAlone<Result: Sendable>(_ job: String, _ body: @Sendable () async throws -> Result) async throws -> Result? {
        guard lock.withLock({ running.insert(job).inserted }) else { return nil }
        defer { lock.withLock { _ = running.remove(job) } }
        return try await body()
    }
}
