import Digest
import Storage

/// The "Send a test message" button's one part: a post through the webhook
/// transport, outside the delivery ledger.
struct WebhookTester: Sendable {
    let transport: any WebhookTransport
    let payload: WebhookPayload

    func test(_ webhook: Webhook) async -> Result<Int, WebhookPostError> {
        await WebhookSender.test(webhook, transport: transport, payload: payload)
    }
}
