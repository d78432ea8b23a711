import ArgumentParser
import Digest
import Foundation
import ReaderActions

/// How webhooks are posted, for `quire serve` and `quire digest send`.
struct WebhookOptions: ParsableArguments {
    @Flag(help: "FOR TESTS ONLY: let webhooks use http:// and loopback addresses (127.0.0.0/8, ::1), so a test can post to a fake endpoint on this machine. Off by default: webhooks then go over https to public addresses only.")
    var webhookAllowInsecureLoopback = false
    @Option(help: "Seconds before the first retry of a failed webhook post; each next retry waits twice as long.")
    var webhookRetryBase: Double = 60

    func validate() throws {
        guard webhookRetryBase >= 1 else { throw ValidationError("--webhook-retry-base must be at least 1 second") }
    }

    var addressCheck: WebhookAddressCheck { WebhookAddressCheck(allowInsecureLoopback: webhookAllowInsecureLoopback) }
}
