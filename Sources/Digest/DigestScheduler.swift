import Foundation
import Logging
import ServiceLifecycle
import Telemetry

/// Inside `quire serve`: every minute, sends the digests that are due
/// (`quire digest send` does the same once, for cron). Several servers may
/// run it at once: the delivery ledger lets only one send each digest.
public struct DigestScheduler: Service {
    let sender: DigestSender
    let interval: Duration
    let logger: Logger
    let metrics: QuireMetrics
    /// The scheduler's clock: real time, or real time shifted for a test
    /// that needs a slot due now (`quire serve --digest-clock-start`).
    let now: @Sendable () -> Date

    public init(sender: DigestSender, interval: Duration = .seconds(60), logger: Logger, metrics: QuireMetrics = .disabled,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.sender = sender; self.interval = interval; self.logger = logger; self.metrics = metrics; self.now = now
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let report = try await sender.sendDue(now: now())
                metrics.digests(outcome: "sent").increment(by: report.sent)
                metrics.digests(outcome: "failed").increment(by: report.failed)
                metrics.digests(outcome: "deferred").increment(by: report.deferred)
                if report.sent + report.failed + report.deferred > 0 {
                    logger.info("digests: \(report.sent) sent, \(report.skipped) with nothing new, \(report.failed) refused, \(report.deferred) deferred")
                }
            } catch {
                logger.error("digest run failed: \(error)")
            }
            // A graceful shutdown (SIGTERM) is not a cancellation: end the wait on it too.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
