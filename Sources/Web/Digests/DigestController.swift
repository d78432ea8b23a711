import Digest
import Foundation
import Hummingbird
import QuireCore
import ReaderActions
import Storage

/// The reader's digest: settings, follows, saved searches, and the signed
/// one-click unsubscribe link that works without logging in.
struct DigestController {
    /// The reader, their digest settings, follows, saved searches and
    /// deliveries, and the secret that signs unsubscribe links.
    let store: any AccountStore & DigestStore
    let gate: Gate
    let digestActions: DigestActions
    /// Adding, removing and testing webhooks.
    let webhookActions: WebhookActions
    let webhookTester: WebhookTester
    /// What a digest's "Not interested" link does.
    let signals: FeedSignalActions
    /// "Preview" and "Send a test now".
    let tryOut: DigestTryOut
    let now: @Sendable () -> Date

    func addRoutes(pages router: RouterGroup<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        router.get("/account/digest", use: settings)
        router.post("/account/digest", use: saveSettings)
        router.get("/account/digest/preview", use: previewPage)
        router.post("/account/digest/test", use: sendTest)
        router.post("/follow", use: follow)
        router.post("/searches", use: saveSearch)
        router.post("/searches/:id/alert", use: searchAlert)
        router.post("/searches/:id/delete", use: deleteSearch)
        router.post("/account/webhooks", use: addWebhook)
        router.post("/account/webhooks/:id/test", use: testWebhook)
        router.post("/account/webhooks/:id/enable", use: enableWebhook)
        router.post("/account/webhooks/:id/delete", use: deleteWebhook)
        router.get("/unsubscribe", use: unsubscribePage)
        router.post("/unsubscribe", use: unsubscribe)
        router.get(.init(stringLiteral: NotInterestedLink.path), use: notInterestedPage)
        router.post(.init(stringLiteral: NotInterestedLink.path), use: notInterested)
        api.on(APIContract.myDigest, use: apiSettings)
        api.on(APIContract.updateMyDigest, use: apiSaveSettings)
        api.on(APIContract.myDigestPreview, use: apiPreview)
        api.on(APIContract.addWebhook, use: apiAddWebhook)
        api.on(APIContract.removeWebhook, use: apiRemoveWebhook)
    }

    private func page(_ user: User, message: String? = nil, ok: String? = nil, webhookForm: DigestPages.WebhookForm = .init(),
                      status: HTTPResponse.Status = .ok) async throws -> HTMLPage {
        let fresh = try await store.user(id: user.id) ?? user
        return HTMLPage(html: DigestPages.settings(
            user: fresh, subscription: try await store.subscription(userID: user.id), follows: try await digestActions.namedFollows(of: user),
            searches: try await store.savedSearches(userID: user.id), deliveries: try await store.deliveries(userID: user.id),
            webhooks: try await webhookActions.webhooks(of: user), webhookForm: webhookForm, message: message, ok: ok), status: status)
    }

    func settings(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        try await page(try gate.user(request, context))
    }

    func saveSettings(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let user = try await gate.writer(request, context)
        let form = context.form
        guard let frequency = Subscription.Frequency(rawValue: form["frequency"] ?? "") else {
            return try await page(user, message: "Choose daily, weekly or off.", status: .badRequest)
        }
        // A number that does not parse is out of every range: the rule's message says what to send.
        let hour = Int(form["hour"] ?? "") ?? -1
        let zone = form.trimmed("time_zone") ?? "UTC"
        let settings = Subscription(frequency: frequency, weekday: Int(form["weekday"] ?? "1") ?? -1, hour: hour, timeZone: zone,
                                    includeTop: form.flag("top"), includeTrending: form.flag("trending"), includeFollowed: form.flag("followed"),
                                    includeSavedSearches: form.flag("searches"), includeForYou: form.flag("for_you"), maxPapers: Int(form.trimmed("max_papers") ?? "10") ?? -1)
        do {
            try await digestActions.subscribe(settings, by: user)
        } catch let error as Refusal {
            return try await page(user, message: error.description, status: error.httpStatus)
        }
        let note = frequency == .off ? "Digest turned off."
            : user.emailConfirmed ? "Saved. Your next digest goes out \(frequency == .weekly ? "on the chosen day" : "on the next weekday") at \(String(format: "%02d:00", hour)) \(zone)."
            : "Saved. It starts once you confirm your address (see the mail we sent)."
        return try await page(user, ok: note)
    }

    func follow(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        guard let kind = Follow.Kind(rawValue: context.form["kind"] ?? ""), let slug = context.form.trimmed("slug") else {
            throw Refusal.invalid("say what to follow: an author or an organization, by its slug")
        }
        try await digestActions.follow(Follow(kind: kind, slug: slug), on: context.form["on"] != "0", by: user)
        let back = context.form["back"].flatMap(Gate.localPath) ?? "/\(kind == .author ? "authors" : "organizations")/\(urlPart(slug))"
        return Response(status: .seeOther, headers: [.location: back])
    }

    func saveSearch(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        let text = (context.form.trimmed("q") ?? "")
        // The search's `category=`, space-separated in one field.
        let categories: CategorySelection
        do {
            categories = try CategorySelection(parsing: (context.form["categories"] ?? "").split(separator: " ").map(String.init))
        } catch {
            throw Refusal.invalid(error.message)
        }
        _ = try await digestActions.saveSearch(text, categories: categories, by: user)
        return Response(status: .seeOther, headers: [.location: DigestPages.searchPath(text, categories) + "&saved=1"])
    }

    func searchAlert(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        try await digestActions.setSearchAlert(context.number("id"), on: context.form["on"] != "0", by: user)
        return Response(status: .seeOther, headers: [.location: "/account/digest"])
    }

    func deleteSearch(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        try await digestActions.deleteSearch(context.number("id"), by: user)
        return Response(status: .seeOther, headers: [.location: "/account/digest"])
    }

    // MARK: Preview and test

    func previewPage(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let user = try gate.user(request, context)
        return HTMLPage(html: DigestPreviewPage.render(try await tryOut.next(for: user, now: now())))
    }

    /// Mails the next digest now, marked as a test; nothing goes in the ledger.
    func sendTest(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let user = try await gate.writer(request, context)
        try await gate.limit("digest-test:\(user.id)", RateLimit(DigestTrial.testSends.count, per: DigestTrial.testSends.seconds),
                             message: "You can send \(DigestTrial.testSends.count) test digests an hour. Try again later.")
        guard let sent = try await tryOut.sendTest(to: user, now: now()) else {
            return HTMLPage(html: DigestPreviewPage.render(try await tryOut.next(for: user, now: now()),
                                                           message: "This server sends no mail, so no test can be sent."), status: .serviceUnavailable)
        }
        context.logger.info("test digest mailed to user \(user.id)")
        let count = sent.content.paperIDs.count
        return HTMLPage(html: DigestPreviewPage.render(sent, ok: "Test digest sent to \(user.email) (\(count) paper\(count == 1 ? "" : "s")). "
                                                       + "It is not counted as your digest: the real one still goes out as planned."))
    }

    func apiPreview(_ request: Request, context: AppRequestContext) async throws -> Response {
        try jsonResponse(DigestPreviewPage.JSON(try await tryOut.next(for: try gate.user(request, context), now: now())))
    }

    // MARK: Webhooks

    func addWebhook(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let user = try await gate.writer(request, context)
        var form = DigestPages.WebhookForm(url: context.form.trimmed("url") ?? "", format: context.form["format"] ?? "",
                                           organization: context.form.trimmed("organization") ?? "")
        do {
            let webhook = try await webhookActions.add(url: form.url, format: form.format, organization: form.organization, by: user)
            return try await page(user, ok: "Webhook added: \(webhook.shownAddress). Send a test message to check it.")
        } catch let error as Refusal {
            form.error = "Webhook not added: \(error.description)."
            return try await page(user, webhookForm: form, status: error.httpStatus)
        }
    }

    func testWebhook(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let user = try await gate.writer(request, context)
        let webhook = try await webhookActions.manageable(context.number("id"), by: user)
        switch await webhookTester.test(webhook) {
        case .success(let status): return try await page(user, ok: "Test message sent to \(webhook.shownAddress): the service answered HTTP \(status).")
        case .failure(let error): return try await page(user, message: "The test message to \(webhook.shownAddress) did not go through: \(error.description).", status: .badGateway)
        }
    }

    func enableWebhook(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        try await webhookActions.enable(context.number("id"), by: user)
        return Response(status: .seeOther, headers: [.location: "/account/digest#webhooks"])
    }

    func deleteWebhook(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        try await webhookActions.remove(context.number("id"), by: user)
        return Response(status: .seeOther, headers: [.location: "/account/digest#webhooks"])
    }

    struct WebhookBody: Decodable {
        var url: String
        var format: String
        var organization: String?
    }

    /// The form's rules (`WebhookActions.add`, with `WebhookAddressCheck`), answered as JSON.
    func apiAddWebhook(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        let body = try await decodeJSONBody(WebhookBody.self, from: request)
        let organization = body.organization?.trimmingCharacters(in: .whitespaces)
        do {
            let webhook = try await webhookActions.add(url: body.url, format: body.format, organization: organization?.isEmpty == false ? organization : nil,
                                                       by: user)
            return try jsonResponse(webhook, status: .created)
        } catch Refusal.invalid(let reason) where Webhook.Format(rawValue: body.format.lowercased()) != nil {
            // A format outside the document's enum stays a 400; with a known one, what is
            // left to refuse is where the address leads: a 403, as the document says.
            throw APIError(status: .forbidden, message: reason)
        }
    }

    func apiRemoveWebhook(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        try await webhookActions.remove(context.number("id"), by: user)
        return Response(status: .noContent)
    }

    // MARK: Unsubscribing

    /// The reader and what to stop, if the link's signature is right.
    private func verifiedLink(_ request: Request) async throws -> (user: User, kind: String) {
        let q = QueryReader(request, error: PageError.badRequest)
        let link = UnsubscribeLink(secret: try await store.secret(named: UnsubscribeLink.secretName))
        guard let userID = q.string("u").flatMap(Int.init), let kind = q.string("k"), let signature = q.string("s"),
              link.verify(userID: userID, kind: kind, signature: signature) else {
            throw PageError.badRequest("This unsubscribe link is incomplete or altered. Use the link from the mail as it is, or change your settings on your account page.")
        }
        guard let user = try await store.user(id: userID) else {
            throw PageError.notFound("That account no longer exists, so nothing will be sent to it.")
        }
        return (user, kind)
    }

    func unsubscribePage(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        _ = try await verifiedLink(request)
        return HTMLPage(html: DigestPages.unsubscribe(query: request.uri.query ?? "", what: "your Quire digest"))
    }

    /// RFC 8058's one-click POST (mail clients send `List-Unsubscribe=One-Click`
    /// with no cookies), and the button on the page above. The signature is
    /// the authority here, so this is the one form without a CSRF token.
    func unsubscribe(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let (user, kind) = try await verifiedLink(request)
        guard kind == "digest" else { throw PageError.badRequest("This link does not say what to stop.") }
        try await digestActions.unsubscribe(user)
        context.logger.info("user \(user.id) unsubscribed from the digest")
        return HTMLPage(html: AccountPages.notice(title: "Unsubscribed", message: "No more digests will be sent to \(user.email). You can turn them on again in your account's digest settings."))
    }

    // MARK: "Not interested" from the mail

    /// The reader and the paper, if the link's signature is right.
    private func verifiedNotInterested(_ request: Request) async throws -> (user: User, paperID: String) {
        let q = QueryReader(request, error: PageError.badRequest)
        let link = NotInterestedLink(signer: MailLinkSigner(secret: try await store.secret(named: UnsubscribeLink.secretName)))
        guard let userID = q.string("u").flatMap(Int.init), let paperID = q.string("p"), let signature = q.string("s"),
              link.verify(userID: userID, paperID: paperID, signature: signature) else {
            throw PageError.badRequest("This link is incomplete or altered. Use the link from the mail as it is, or use “Not interested” on your For you page.")
        }
        guard let user = try await store.user(id: userID) else {
            throw PageError.notFound("That account no longer exists.")
        }
        return (user, paperID)
    }

    /// Opening the link changes nothing (mail scanners open links): it asks.
    func notInterestedPage(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let (_, paperID) = try await verifiedNotInterested(request)
        return HTMLPage(html: DigestPages.notInterested(query: request.uri.query ?? "", paperID: paperID))
    }

    /// The page's button. The signature is the authority, as for unsubscribing, so no CSRF token.
    func notInterested(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let (user, paperID) = try await verifiedNotInterested(request)
        try await signals.set(.notInterested, on: true, paperID: paperID, by: user)
        return HTMLPage(html: AccountPages.notice(title: "Not interested",
                                                  message: "Done: that paper will not be picked for you again, and fewer like it. You can take it back on your account page."))
    }

    struct DigestSettingsJSON: Encodable {
        var subscription: Subscription?
        var follows: [Follow]
        var savedSearches: [SavedSearch]
        var deliveries: [Delivery]
        var webhooks: [Webhook]
    }

    /// PUT /api/me/digest: the fields sent replace the current settings' (the
    /// defaults' for a first digest), checked by `DigestActions.subscribe`.
    func apiSaveSettings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        struct Change: Decodable {
            var frequency: Subscription.Frequency?, weekday: Int?, hour: Int?, timeZone: String?
            var includeTop: Bool?, includeTrending: Bool?, includeFollowed: Bool?, includeSavedSearches: Bool?, includeForYou: Bool?
            var maxPapers: Int?
        }
        var request = request
        let hasBody = (try await request.collectBody(upTo: 64 * 1024)).readableBytes > 0
        let change = hasBody ? try await decodeJSONBody(Change.self, from: request) : Change()
        var settings = try await store.subscription(userID: user.id) ?? Subscription()
        settings.frequency = change.frequency ?? settings.frequency
        settings.weekday = change.weekday ?? settings.weekday
        settings.hour = change.hour ?? settings.hour
        settings.timeZone = change.timeZone ?? settings.timeZone
        settings.includeTop = change.includeTop ?? settings.includeTop
        settings.includeTrending = change.includeTrending ?? settings.includeTrending
        settings.includeFollowed = change.includeFollowed ?? settings.includeFollowed
        settings.includeSavedSearches = change.includeSavedSearches ?? settings.includeSavedSearches
        settings.includeForYou = change.includeForYou ?? settings.includeForYou
        settings.maxPapers = change.maxPapers ?? settings.maxPapers
        try await digestActions.subscribe(settings, by: user)
        return try await apiSettings(request, context: context)
    }

    func apiSettings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try gate.user(request, context)
        return try jsonResponse(DigestSettingsJSON(
            subscription: try await store.subscription(userID: user.id), follows: try await store.follows(userID: user.id),
            savedSearches: try await store.savedSearches(userID: user.id), deliveries: try await store.deliveries(userID: user.id),
            webhooks: try await webhookActions.webhooks(of: user)))
    }
}
