import Foundation
import QuireCore
import ReaderActions
import Storage

/// The pages of signing up, in and out, and of one's account.
enum AccountPages {
    static func signup(message: String? = nil, username: String = "", email: String = "") -> String {
        Layout.page(title: "Sign up", body: """
        <h1>Create your Quire account</h1>
        \(Forms.message(message))
        <form class="stack" method="post" action="/signup">
          \(Forms.csrfField())
          <label>Username <input type="text" name="username" value="\(esc(username))" autocomplete="username" required minlength="3" maxlength="30" pattern="[a-zA-Z0-9_\\-]+"></label>
          <label>Email <input type="email" name="email" value="\(esc(email))" autocomplete="email" required></label>
          <label>Password <input type="password" name="password" autocomplete="new-password" required minlength="\(PasswordHasher.minLength)"></label>
          <button type="submit">Sign up</button>
        </form>
        <p class="meta">Usernames: \(Username.rule). Passwords: at least \(PasswordHasher.minLength) characters. We send one mail to confirm your address.</p>
        <p>Have an account? <a href="/login">Log in</a>.</p>
        """)
    }

    static func login(message: String? = nil, notice: String? = nil, login: String = "", next: String = "") -> String {
        Layout.page(title: "Log in", body: """
        <h1>Log in</h1>
        \(Forms.message(notice, ok: true))\(Forms.message(message))
        <form class="stack" method="post" action="/login">
          \(Forms.csrfField())
          <input type="hidden" name="next" value="\(esc(next))">
          <label>Username or email <input type="text" name="login" value="\(esc(login))" autocomplete="username" required></label>
          <label>Password <input type="password" name="password" autocomplete="current-password" required></label>
          <button type="submit">Log in</button>
        </form>
        <p><a href="/reset">Forgot your password?</a> · <a href="/signup">Create an account</a></p>
        """)
    }

    /// `categoriesTyped` is what the reader sent when it was refused, shown
    /// again to correct; `history` is the reading history and feed signals.
    static func account(user: User, tokens: [APIToken], categories: CategorySelection = .everything, categoriesTyped: String? = nil,
                        history: String = "", newToken: String? = nil, message: String? = nil, ok: String? = nil) -> String {
        let tokenRows = tokens.map { token in
            """
            <tr><td>\(esc(token.name))</td><td><code>\(esc(token.prefix))…</code></td><td>\(Layout.display(token.createdAt))</td>\
            <td>\(token.lastUsedAt.map { Layout.display($0) } ?? "never")</td>\
            <td>\(Forms.post("/account/tokens/\(token.id)/revoke", button: "Revoke"))</td></tr>
            """
        }.joined()
        let shownToken = newToken.map {
            "<p class=\"ok\" role=\"status\">Your new token (copy it now, it is not shown again): <code id=\"new-token\">\(esc($0))</code></p>"
        } ?? ""
        let emailState = user.emailConfirmed
            ? "confirmed"
            : "not confirmed yet \(Forms.post("/account/confirm-email", button: "Send the confirmation mail again", style: "link"))"
        return Layout.page(title: "Your account", body: """
        <h1>\(esc(user.username))</h1>
        \(Forms.message(ok, ok: true))\(Forms.message(message))
        <dl class="facts"><dt>Email</dt><dd>\(esc(user.email)) (\(emailState))</dd><dt>Role</dt><dd>\(user.role.rawValue)</dd>\
        <dt>Member since</dt><dd>\(Layout.display(user.createdAt))</dd></dl>
        <p><a href="/account/digest">Email digest, follows and saved searches</a> · <a href="/collections">Your collections</a> · <a href="/account/export.json" download>Download all your data (JSON)</a></p>

        <h2 id="categories">Default categories</h2>
        <p class="meta">The daily, weekly, monthly and trending lists show only these when you have not picked others; each list says so and links to all papers. Currently: \(categories.isEverything ? "every category" : categories.categories.map(CategoryBadge.link).joined()).</p>
        <form class="stack" method="post" action="/account/categories">
          \(Forms.csrfField())
          <label>arXiv categories or archives, separated by spaces <input type="text" name="categories" maxlength="2000" value="\(esc(categoriesTyped ?? categories.categories.joined(separator: " ")))" placeholder="cs.CL cs.LG stat.ML"></label>
          <p class="meta">Write a category as <code>cs.CL</code>, or a whole archive as <code>cs</code> (every cs.* category); leave empty for every category.</p>
          <button type="submit">Save categories</button>
        </form>
        \(history)

        <h2>Change password</h2>
        <form class="stack" method="post" action="/account/password">
          \(Forms.csrfField())
          <label>Current password <input type="password" name="current" autocomplete="current-password" required></label>
          <label>New password <input type="password" name="password" autocomplete="new-password" required minlength="\(PasswordHasher.minLength)"></label>
          <button type="submit">Change password</button>
        </form>

        <h2>API tokens</h2>
        <p class="meta">For the write API: send <code>Authorization: Bearer TOKEN</code>. See <a href="/openapi.json">the API description</a>.</p>
        \(shownToken)
        \(tokens.isEmpty ? "<p>No tokens yet.</p>" : "<table class=\"list\"><tr><th>Name</th><th>Starts</th><th>Made</th><th>Last used</th><th></th></tr>\(tokenRows)</table>")
        <form class="stack" method="post" action="/account/tokens">
          \(Forms.csrfField())
          <label>New token's name <input type="text" name="name" maxlength="60" required placeholder="laptop script"></label>
          <button type="submit">Create token</button>
        </form>

        <h2>Delete account</h2>
        <p>Removes your account, sessions, tokens, upvotes, comments and collections. This cannot be undone.
        An organization you are the only admin of passes to its longest-standing member.</p>
        <form class="stack" method="post" action="/account/delete">
          \(Forms.csrfField())
          <label>Password <input type="password" name="password" autocomplete="current-password" required></label>
          <button type="submit">Delete my account</button>
        </form>
        """)
    }

    static func resetRequest(message: String? = nil, sent: Bool = false) -> String {
        Layout.page(title: "Reset your password", body: """
        <h1>Reset your password</h1>
        \(sent ? Forms.message("If an account has that address, a link to set a new password is on its way. It works once, within an hour.", ok: true) : "")
        \(Forms.message(message))
        <form class="stack" method="post" action="/reset">
          \(Forms.csrfField())
          <label>Your account's email <input type="email" name="email" autocomplete="email" required></label>
          <button type="submit">Send me a link</button>
        </form>
        """)
    }

    static func resetForm(token: String, message: String? = nil) -> String {
        Layout.page(title: "Choose a new password", body: """
        <h1>Choose a new password</h1>
        \(Forms.message(message))
        <form class="stack" method="post" action="/reset/\(urlPart(token))">
          \(Forms.csrfField())
          <label>New password <input type="password" name="password" autocomplete="new-password" required minlength="\(PasswordHasher.minLength)"></label>
          <button type="submit">Set password</button>
        </form>
        """)
    }

    static func confirm(token: String) -> String {
        Layout.page(title: "Confirm your address", body: """
        <h1>Confirm your email address</h1>
        <p>Press the button to confirm this address for your Quire account.</p>
        \(Forms.post("/confirm/\(urlPart(token))", button: "Confirm my address"))
        """)
    }

    static func notice(title: String, message: String, ok: Bool = true) -> String {
        Layout.page(title: title, body: "<h1>\(esc(title))</h1>\(Forms.message(message, ok: ok))<p><a href=\"/\">Back to today's papers</a></p>")
    }
}
