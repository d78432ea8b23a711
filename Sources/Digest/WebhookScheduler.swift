import Foundation
import Logging
import ServiceLifecycle

/// Inside `quire serve`: every minute, posts the digests due to webhooks
/// (`quire digest send` does the same once). Several servers may run it:
/// the delivery ledger lets one post each.
public struct WebhookScheduler: Service {
    let sender: WebhookSender
    let interval: Duration
    let logger: Logger
    /// The same clock as the digest scheduler's (`DigestScheduler.now`).
    let now: @Sendable () -> Date

    public init(sender: WebhookSender, interval: Duration = .seconds(60), logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) {
        self.sender = sender; self.interval = interval; self.logger = logger; self.now = now
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let report = try await sender.sendDue(now: now())
                if report.posted + report.failed + report.disabled > 0 {
                    logger.info("webhooks: \(report.posted) posted, \(report.skipped) with nothing new, \(report.failed) failed, \(report.disabled) disabled")
                }
            } catch {
                logger.error("webhook run failed: \(error)")
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
