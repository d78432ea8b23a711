import Foundation
import Logging
import Mail
import QuireCore
import ReaderActions
import Search
import Storage

/// Posts due digests to webhooks, each once per webhook and slot: an
/// adapter over `WebhookActions` (claims, backoff, disabling) and
/// `DigestDeliveries` (whose digest is due), with the content built as for
/// mail (`DigestBuilder`) and the JSON of each service (`WebhookPayload`).
/// A reader's webhook posts their digest (saved-search alerts included);
/// an organization's posts the organization's new papers, on the schedule
/// of the admin who added it. When repeated failures disable a webhook,
/// its owner gets a mail saying so.
public struct WebhookSender: Sendable {
    public struct Report: Sendable, Equatable {
        public var posted = 0
        public var skipped = 0
        public var failed = 0
        public var disabled = 0
        public var lines: [String] = []
        public init() {}
    }

    let store: any QuireStore
    let builder: DigestBuilder
    let actions: WebhookActions
    let transport: any WebhookTransport
    let payload: WebhookPayload
    /// Mail to a webhook's owner when it is disabled (nil: only logged).
    let mail: (from: MailAddress, transport: any MailTransport)?
    let logger: Logger
    /// How long a claimed post may stay in flight before another run takes it over.
    public var staleAfter: TimeInterval = 600

    public init(store: any QuireStore, search: SearchService, actions: WebhookActions, transport: any WebhookTransport,
                payload: WebhookPayload, mail: (from: MailAddress, transport: any MailTransport)?, logger: Logger) {
        self.store = store; self.builder = DigestBuilder(store: store, search: search); self.actions = actions
        self.transport = transport; self.payload = payload; self.mail = mail; self.logger = logger
    }

    /// Posts what is due at `now`; `onlyUser` limits the run to one reader's webhooks.
    public func sendDue(now: Date, onlyUser: String? = nil) async throws -> Report {
        var report = Report()
        let (due, _) = try await DigestDeliveries(store: store, staleAfter: staleAfter).due(now: now, onlyUser: onlyUser)
        for digest in due {
            for webhook in try await store.webhooks(userID: digest.user.id) where webhook.disabledAt == nil {
                do {
                    try await post(digest, to: webhook, now: now, report: &report)
                } catch {
                    // One webhook's trouble (the store, say) leaves the others alone.
                    logger.error("webhook \(webhook.id) of \(digest.user.username): \(error)")
                    report.failed += 1
                    report.lines.append("\(digest.user.username) webhook \(webhook.id): \(error)")
                }
            }
        }
        return report
    }

    private func post(_ due: DigestDeliveries.Due, to webhook: Webhook, now: Date, report: inout Report) async throws {
        let name = "\(due.user.username) webhook \(webhook.id) \(due.slot.key)"
        guard case .claimed(let delivery) = try await actions.claim(webhook, slot: due.slot.key, staleAfter: staleAfter, now: now) else { return }
        let kind = webhook.ledgerKind
        let mailed = try await store.mailedPaperIDs(userID: webhook.userID, kind: kind, since: now.addingTimeInterval(-DigestDeliveries.mailedWithin),
                                                    excludingDelivery: delivery.id)
        let lastSent = try await store.lastDelivery(userID: webhook.userID, kind: kind)?.claimedAt
        let content = try await self.content(for: webhook, due: due, excluding: mailed, lastSent: lastSent)
        if content.isEmpty {
            try await store.finishDelivery(id: delivery.id, status: .skipped, paperIDs: [], error: nil, now: now)
            report.skipped += 1
            report.lines.append("\(name): nothing new, not posted")
            return
        }
        try await store.recordDeliveryContent(id: delivery.id, paperIDs: content.paperIDs)
        let heading = "Quire \(due.subscription.frequency == .weekly ? "weekly" : "daily") digest, \(DigestMail.dayFormat(due.slot.day))"
            + (webhook.organizationSlug.map { " for \($0)" } ?? "")
        let problem: String
        do {
            let response = try await transport.post(payload.body(webhook.format, heading: heading, content: content), to: webhook.url)
            if response.isSuccess {
                try await actions.recordPosted(webhook, delivery: delivery, paperIDs: content.paperIDs, now: now)
                report.posted += 1
                report.lines.append("\(name): posted \(content.paperIDs.count) papers")
                return
            }
            problem = "HTTP \(response.status)" + (response.excerpt.isEmpty ? "" : ": " + response.excerpt.prefix(200))
        } catch {
            problem = "\(error)"
        }
        switch try await actions.recordFailure(webhook, delivery: delivery, paperIDs: content.paperIDs, error: problem, now: now) {
        case .retryAfter(let wait):
            report.failed += 1
            report.lines.append("\(name): failed (\(problem)), retried in \(Int(wait)) s")
            logger.warning("webhook post \(name) failed, will retry: \(problem)")
        case .disabled:
            report.disabled += 1
            report.lines.append("\(name): failed (\(problem)), webhook disabled after \(WebhookActions.maxFailures) failures")
            logger.warning("webhook \(webhook.id) disabled after \(WebhookActions.maxFailures) failures: \(problem)")
            try await tellOwner(webhook, user: due.user, problem: problem, now: now)
        }
    }

    /// A reader's digest, or an organization's new papers in the digest's window.
    private func content(for webhook: Webhook, due: DigestDeliveries.Due, excluding mailed: Set<String>, lastSent: Date?) async throws -> DigestContent {
        guard let slug = webhook.organizationSlug else {
            return try await builder.build(user: due.user, subscription: due.subscription, slot: due.slot, excluding: mailed, lastSent: lastSent)
        }
        let (from, to) = DigestBuilder.window(slot: due.slot, subscription: due.subscription, lastSent: lastSent)
        let name = try await store.organization(slug: slug)?.name ?? slug
        let papers = try await store.papers(organizationSlug: slug, offset: 0, limit: 200).items.filter { paper in
            guard let day = paper.listDay, from <= day, day < to else { return false }
            return !mailed.contains(paper.id)
        }
        return DigestContent(sections: papers.isEmpty ? [] : [.init(title: "New from \(name)", papers: Array(papers.prefix(due.subscription.maxPapers)))])
    }

    private func tellOwner(_ webhook: Webhook, user: User, problem: String, now: Date) async throws {
        guard let mail else { return }
        let settings = payload.baseURL + "/account/digest"
        let text = """
            Hello \(user.username),

            Quire stopped posting to your webhook \(webhook.shownAddress) (\(webhook.format.rawValue)) after \(WebhookActions.maxFailures) failed attempts in a row.
            The last one: \(problem)

            Check the address with the service, then turn it on again (or remove it) in your digest settings:
            \(settings)
            """
        let message = MailMessage(from: mail.from, to: [MailAddress(user.email, name: user.username)], subject: "Quire: your webhook was disabled",
                                  text: text, messageID: "<webhook-disabled-\(webhook.id)-\(Int(now.timeIntervalSince1970))@\(mail.from.domain.isEmpty ? "quire.invalid" : mail.from.domain)>",
                                  date: now)
        do { try await mail.transport.send(message) } catch {
            logger.error("could not tell \(user.username) their webhook \(webhook.id) was disabled: \(error)")
        }
    }

    /// "Send a test message": one post now, outside the ledger; the answer,
    /// or what went wrong, in words for the reader.
    public static func test(_ webhook: Webhook, transport: any WebhookTransport, payload: WebhookPayload) async -> Result<Int, WebhookPostError> {
        do {
            let response = try await transport.post(payload.test(webhook.format), to: webhook.url)
            return response.isSuccess ? .success(response.status)
                : .failure(.failed("the service answered HTTP \(response.status)" + (response.excerpt.isEmpty ? "" : ": " + response.excerpt.prefix(200))))
        } catch let error as WebhookPostError {
            return .failure(error)
        } catch {
            return .failure(.failed("\(error)"))
        }
    }
}
