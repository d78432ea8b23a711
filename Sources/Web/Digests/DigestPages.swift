import Digest
import Foundation
import QuireCore
import ReaderActions
import Storage

/// The digest settings page and the unsubscribe pages.
enum DigestPages {
    static func settings(user: User, subscription: Subscription?, follows: [DigestActions.NamedFollow], searches: [SavedSearch], deliveries: [Delivery],
                         webhooks: [Webhook] = [], webhookForm: WebhookForm = WebhookForm(), message: String? = nil, ok: String? = nil) -> String {
        let s = subscription ?? Subscription(frequency: .off)
        func checked(_ on: Bool) -> String { on ? " checked" : "" }
        let frequencies = [(Subscription.Frequency.daily, "Daily (Monday to Friday)"), (.weekly, "Weekly"), (.off, "Off")].map {
            "<label><span><input type=\"radio\" name=\"frequency\" value=\"\($0.0.rawValue)\"\(checked(s.frequency == $0.0))> \($0.1)</span></label>"
        }.joined()
        let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"].enumerated().map {
            "<option value=\"\($0.offset + 1)\"\(s.weekday == $0.offset + 1 ? " selected" : "")>\($0.element)</option>"
        }.joined()
        let hours = (0..<24).map { "<option value=\"\($0)\"\(s.hour == $0 ? " selected" : "")>\(String(format: "%02d:00", $0))</option>" }.joined()
        let followList = follows.isEmpty ? "<p>You follow nobody yet: use “Follow” on an author's or organization's page.</p>"
            : "<ul>" + follows.map { named in
                let follow = named.follow
                let path = "/\(follow.kind == .author ? "authors" : "organizations")/\(urlPart(follow.slug))"
                return "<li><a href=\"\(path)\">\(esc(named.name))</a> (\(follow.kind.rawValue)) "
                    + Forms.post("/follow", button: "Unfollow", fields: ["kind": follow.kind.rawValue, "slug": follow.slug, "on": "0", "back": "/account/digest"], style: "link")
                    + "</li>"
            }.joined() + "</ul>"
        let searchList = searches.isEmpty ? "<p>No saved searches: press “Save this search” on a search page.</p>"
            : "<ul class=\"saved-searches\">" + searches.map { search in
                let categories = (try? CategorySelection(parsing: search.categories)) ?? .everything
                let feed = "/feeds/search?q=\(urlPart(search.query))" + (categories.isEverything ? "" : "&" + ListCategories.query(categories))
                return "<li><a href=\"\(esc(searchPath(search.query, categories)))\">\(esc(search.query))</a>"
                + (categories.isEverything ? "" : " in " + categories.categories.map(CategoryBadge.link).joined())
                + " · <a href=\"\(esc(FeedsController.url(feed, .atom)))\">feed</a> · alerts \(search.alert ? "on" : "off") "
                + Forms.post("/searches/\(search.id)/alert", button: search.alert ? "Turn alerts off" : "Turn alerts on",
                             fields: ["on": search.alert ? "0" : "1"], style: "link")
                + " " + Forms.post("/searches/\(search.id)/delete", button: "Delete", style: "link") + "</li>"
            }.joined() + "</ul>"
        let recent = deliveries.filter { $0.kind == DigestDeliveries.kind }.suffix(10).reversed().map {
            "<tr><td>\($0.slot)</td><td>\($0.status.rawValue)</td><td>\($0.paperIDs.count)</td><td>\(esc($0.lastError ?? ""))</td></tr>"
        }.joined()
        let confirmNote = user.emailConfirmed ? ""
            : Forms.message("Digests go only to confirmed addresses: open the link we mailed to \(user.email), or send it again from your account page.")
        return Layout.page(title: "Email digest", body: """
        <h1>Email digest</h1>
        \(Forms.message(ok, ok: true))\(Forms.message(message))\(confirmNote)
        <form class="stack digest" method="post" action="/account/digest">
          \(Forms.csrfField())
          <fieldset><legend>How often</legend>\(frequencies)</fieldset>
          <label>Weekly digests on <select name="weekday">\(weekdays)</select></label>
          <label>At <select name="hour">\(hours)</select></label>
          <label>Time zone <input type="text" name="time_zone" value="\(esc(s.timeZone))" placeholder="Europe/Paris" list="time-zones" autocomplete="off" required></label>
          <datalist id="time-zones">\(TimeZoneName.known.map { "<option value=\"\(esc($0))\">" }.joined())</datalist>
          <fieldset><legend>What goes in</legend>
            <label><span><input type="checkbox" name="for_you" value="1"\(checked(s.includeForYou))> For you: papers picked for you from the ones this digest covers (once you have liked \(ForYouFeed.positivesNeeded) papers)</span></label>
            <label><span><input type="checkbox" name="top" value="1"\(checked(s.includeTop))> The day's top papers by upvotes</span></label>
            <label><span><input type="checkbox" name="trending" value="1"\(checked(s.includeTrending))> Trending papers</span></label>
            <label><span><input type="checkbox" name="followed" value="1"\(checked(s.includeFollowed))> Papers from authors and organizations you follow</span></label>
            <label><span><input type="checkbox" name="searches" value="1"\(checked(s.includeSavedSearches))> New matches of your saved searches (those with alerts on)</span></label>
          </fieldset>
          <label>Papers per section <input type="text" inputmode="numeric" name="max_papers" value="\(s.maxPapers)"></label>
          <button type="submit">Save digest settings</button>
        </form>
        <p><a href="/account/digest/preview">Preview your next digest</a>, and send yourself a test.</p>
        <h2>You follow</h2>
        \(followList)
        <h2>Saved searches</h2>
        \(searchList)
        \(webhookSection(webhooks, form: webhookForm))
        \(recent.isEmpty ? "" : "<h2>Recent digests</h2><table class=\"list\"><tr><th>For</th><th>Status</th><th>Papers</th><th></th></tr>\(recent)</table>")
        """)
    }

    /// The search page of a saved search: its words and its categories.
    static func searchPath(_ query: String, _ categories: CategorySelection) -> String {
        "/search?q=\(urlPart(query))" + (categories.isEverything ? "" : "&" + ListCategories.query(categories))
    }

    /// What the reader typed into the webhook form, kept when it is refused, and the error.
    struct WebhookForm {
        var url = ""
        var format = Webhook.Format.slack.rawValue
        var organization = ""
        var error: String?
    }

    /// Slack, Discord and Matrix webhooks: add, send a test message, turn on again, remove.
    static func webhookSection(_ webhooks: [Webhook], form: WebhookForm) -> String {
        let names: [(Webhook.Format, String)] = [(.slack, "Slack"), (.discord, "Discord"), (.matrix, "Matrix (hookshot webhook bridge)")]
        let list = webhooks.isEmpty ? "<p>No webhooks: digests go to your mailbox only.</p>"
            : "<ul class=\"webhooks\">" + webhooks.map { hook in
                let name = names.first { $0.0 == hook.format }?.1 ?? hook.format.rawValue
                let state = hook.disabledAt != nil ? "<strong>disabled</strong> after \(WebhookActions.maxFailures) failed posts"
                    : hook.failures > 0 ? "\(hook.failures) failed post\(hook.failures == 1 ? "" : "s") in a row" : "active"
                return "<li><span class=\"address\">\(esc(hook.shownAddress))</span> · \(esc(name))"
                    + (hook.organizationSlug.map { " · for <a href=\"/organizations/\(urlPart($0))\">\(esc($0))</a>" } ?? "")
                    + " · \(state)" + (hook.lastError.map { "<br><small>Last error: \(esc(String($0.prefix(200))))</small>" } ?? "")
                    + "<br>" + Forms.post("/account/webhooks/\(hook.id)/test", button: "Send a test message", style: "link")
                    + (hook.disabledAt != nil ? " " + Forms.post("/account/webhooks/\(hook.id)/enable", button: "Turn on again", style: "link") : "")
                    + " " + Forms.post("/account/webhooks/\(hook.id)/delete", button: "Remove", style: "link") + "</li>"
            }.joined() + "</ul>"
        let options = names.map { "<option value=\"\($0.0.rawValue)\"\(form.format == $0.0.rawValue ? " selected" : "")>\($0.1)</option>" }.joined()
        return """
        <h2 id="webhooks">Webhooks</h2>
        <p>Post your digest (saved-search alerts included) to a Slack, Discord or Matrix room too, through the room's incoming-webhook address. An organization's admin can add one for the organization: it posts the organization's new papers.</p>
        \(list)
        \(Forms.message(form.error))
        <form class="stack webhook" method="post" action="/account/webhooks">
          \(Forms.csrfField())
          <label>Webhook address <input type="url" name="url" value="\(esc(form.url))" placeholder="https://hooks.slack.com/services/…" required autocomplete="off"></label>
          <label>Format <select name="format">\(options)</select></label>
          <label>For an organization you run (optional, its short name) <input type="text" name="organization" value="\(esc(form.organization))" autocomplete="off"></label>
          <button type="submit">Add webhook</button>
        </form>
        """
    }

    /// The page a digest's "Not interested" link opens: one button that does it.
    static func notInterested(query: String, paperID: String) -> String {
        Layout.page(title: "Not interested", body: """
        <h1>Not interested</h1>
        <p>Stop showing you <a href="\(esc(PaperListView.paperPath(paperID)))">this paper</a> in your For you feed and digest, and fewer like it?</p>
        <form method="post" action="\(esc(NotInterestedLink.path))?\(esc(query))"><button type="submit" class="feed-not_interested">Not interested</button></form>
        """)
    }

    static func unsubscribe(query: String, what: String) -> String {
        Layout.page(title: "Unsubscribe", body: """
        <h1>Unsubscribe</h1>
        <p>Stop \(esc(what))?</p>
        <form method="post" action="/unsubscribe?\(esc(query))"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>
        """)
    }
}
