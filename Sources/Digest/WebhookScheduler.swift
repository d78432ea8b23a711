import Foundation
import Logging
import ServiceLifecycle
import Telemetry

/// Inside `quire serve`: every minute, posts the digests due to webhooks
/// (`quire digest send` does the same once). Several servers may run it:
/// the delivery ledger lets one post each.
public struct WebhookScheduler: Service {
    let sender: WebhookSender
    let interval: Duration
    let logger: Logger
    let metrics: QuireMetrics
    let now: @Sendable () -> Date

    public init(sender: WebhookSender, interval: Duration = .seconds(60), logger: Logger, metrics: QuireMetrics = .disabled,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.sender = sender; self.interval = interval; self.logger = logger; self.metrics = metrics; self.now = now
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await round()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// Posts what is due now, and counts it.
    func round() async {
        do {
            let report = try await sender.sendDue(now: now())
            metrics.webhookPosts(outcome: "posted").increment(by: report.posted)
            metrics.webhookPosts(outcome: "failed").increment(by: report.failed)
            metrics.webhookPosts(outcome: "disabled").increment(by: report.disabled)
            if report.posted + report.failed + report.disabled > 0 {
                logger.info("webhooks: \(report.posted) posted, \(report.skipped) with nothing new, \(report.failed) failed, \(report.disabled) disabled")
            }
        } catch {
            logger.error("webhook run failed: \(error)")
        }
    }
}
