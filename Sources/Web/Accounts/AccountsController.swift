import Foundation
import Hummingbird
import Mail
import QuireCore
import ReaderActions
import Storage

/// Sign up, log in and out, password changes and resets, address
/// confirmation, API tokens, export and deletion. Pages only: the API signs
/// in with the tokens made here.
struct AccountsController {
    /// Sessions, API tokens and one-time links.
    let store: any AccountStore
    let accountActions: AccountActions
    /// The reader's default categories, shown and set on `/account`.
    let categoryDefaults: CategoryDefaultActions
    /// The reading history and feed signals the account page lists.
    let history: ReadingHistory
    let gate: Gate
    let mail: AccountMail
    /// Sign-up, login and reset limits, and how long a session lasts.
    let security: SecurityConfig
    /// Links in mails, and whether cookies get `Secure`.
    let site: PublicSite
    let now: @Sendable () -> Date

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("/signup") { _, _ in HTMLPage(html: AccountPages.signup()) }
        router.post("/signup", use: signup)
        router.get("/login", use: loginPage)
        router.post("/login", use: login)
        router.post("/logout", use: logout)
        router.get("/account", use: account)
        router.post("/account/password", use: changePassword)
        router.post("/account/categories", use: setCategories)
        router.post("/account/tokens", use: createToken)
        router.post("/account/tokens/:id/revoke", use: revokeToken)
        router.post("/account/delete", use: deleteAccount)
        router.post("/account/confirm-email", use: resendConfirmation)
        router.get("/account/export.json", use: export)
        router.get("/reset") { _, _ in HTMLPage(html: AccountPages.resetRequest()) }
        router.post("/reset", use: requestReset)
        router.get("/reset/:token") { _, context in HTMLPage(html: AccountPages.resetForm(token: try context.parameters.require("token"))) }
        router.post("/reset/:token", use: reset)
        router.get("/confirm/:token") { _, context in HTMLPage(html: AccountPages.confirm(token: try context.parameters.require("token"))) }
        router.post("/confirm/:token", use: confirm)
    }

    // MARK: Signing up and in

    func signup(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = context.form
        let username = (form.trimmed("username") ?? "").lowercased()
        let email = (form.trimmed("email") ?? "").lowercased()
        let password = form["password"] ?? ""
        func fail(_ message: String, _ status: HTTPResponse.Status = .badRequest) throws -> Response {
            try HTMLPage(html: AccountPages.signup(message: message, username: username, email: email), status: status)
                .response(from: request, context: context)
        }
        try await gate.limit("signup:\(gate.clientAddress(request, context))", security.signupLimit)
        let user: User
        do {
            user = try await accountActions.signUp(username: username, email: email, password: password)
        } catch let error as Refusal {
            if case .conflict = error { return try fail("Sorry: \(error.description).", .conflict) }
            return try fail(error.description, error.httpStatus)
        }
        var notice = "Welcome to Quire! We sent a mail to \(user.email): open its link to confirm your address."
        do {
            try await mail.send(.confirmEmail, to: user) { site.absoluteURL("/confirm/\($0)") }
        } catch {
            context.logger.warning("could not send the confirmation mail to user \(user.id): \(error)")
            notice = "Welcome to Quire! We could not send the mail to confirm your address; try again from this page later."
        }
        var response = try await startSession(for: user, request: request, redirectTo: "/account")
        response.setCookie(Cookie(name: "quire_notice", value: urlPart(notice), maxAge: 60, path: "/account",
                                  secure: site.isSecure(request), httpOnly: true, sameSite: .lax))
        return response
    }

    func loginPage(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let q = QueryReader(request, error: PageError.badRequest)
        let notice = q.string("reset") != nil ? "Your password is set: log in with it." : nil
        return HTMLPage(html: AccountPages.login(notice: notice, next: q.string("next").flatMap(Gate.localPath) ?? ""))
    }

    func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let login = (context.form.trimmed("login") ?? "").lowercased()
        let password = context.form["password"] ?? ""
        let next = context.form["next"].flatMap(Gate.localPath) ?? "/"
        func fail(_ message: String, _ status: HTTPResponse.Status) throws -> Response {
            try HTMLPage(html: AccountPages.login(message: message, login: login, next: next), status: status).response(from: request, context: context)
        }
        let tooMany = "Too many login attempts. Wait a few minutes and try again."
        try await gate.limit("login-addr:\(gate.clientAddress(request, context))", security.loginLimit, message: tooMany)
        try await gate.limit("login-name:\(login)", security.loginLimit, message: tooMany)
        switch try await accountActions.logIn(login: login, password: password) {
        case .refused:
            return try fail("Wrong username or password.", .unauthorized)
        case .locked(let until):
            let wait = until.timeIntervalSince(now())
            let minutes = Int((wait / 60).rounded(.up))
            throw RateLimited(message: "This account is locked after too many wrong passwords. Try again in \(minutes) minute\(minutes == 1 ? "" : "s"), or reset your password.",
                              retryAfter: Int(wait.rounded(.up)))
        case .signedIn(let user):
            return try await startSession(for: user, request: request, redirectTo: next)
        }
    }

    /// A new session (a new secret every time, so a planted cookie is useless) and a redirect.
    private func startSession(for user: User, request: Request, redirectTo location: String) async throws -> Response {
        let secret = Secrets.token()
        let now = now()
        let expires = now.addingTimeInterval(security.sessionLifetime)
        try await store.createSession(tokenHash: Secrets.sha256(secret), userID: user.id, csrfToken: Secrets.token(),
                                                   now: now, expiresAt: expires)
        var response = Response(status: .seeOther, headers: [.location: location])
        response.setCookie(Cookie(name: ViewerMiddleware.sessionCookie, value: secret, maxAge: Int(security.sessionLifetime),
                                  path: "/", secure: site.isSecure(request), httpOnly: true, sameSite: .lax))
        return response
    }

    func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let hash = context.viewer.sessionHash { try await store.deleteSession(tokenHash: hash) }
        var response = Response(status: .seeOther, headers: [.location: "/"])
        response.setCookie(Cookie(name: ViewerMiddleware.sessionCookie, value: "", maxAge: 0, path: "/",
                                  secure: site.isSecure(request), httpOnly: true, sameSite: .lax))
        return response
    }

    // MARK: The account page

    func account(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try gate.user(request, context)
        let notice = request.cookies["quire_notice"]?.value.removingPercentEncoding
        var response = try await accountPage(user, ok: notice).response(from: request, context: context)
        if notice != nil { response.setCookie(Cookie(name: "quire_notice", value: "", maxAge: 0, path: "/account", httpOnly: true, sameSite: .lax)) }
        return response
    }

    private func accountPage(_ user: User, categoriesTyped: String? = nil, newToken: String? = nil, message: String? = nil, ok: String? = nil,
                             status: HTTPResponse.Status = .ok) async throws -> HTMLPage {
        let fresh = try await store.user(id: user.id) ?? user
        let tokens = try await store.apiTokens(userID: user.id)
        let categories = try await categoryDefaults.defaults(for: user)
        let history = ReadingHistory.render(try await history.load(for: user))
        return HTMLPage(html: AccountPages.account(user: fresh, tokens: tokens, categories: categories, categoriesTyped: categoriesTyped,
                                                   history: history, newToken: newToken, message: message, ok: ok), status: status)
    }

    /// The default categories, from the form's one text field.
    func setCategories(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let user = try await gate.writer(request, context)
        let typed = String((context.form["categories"] ?? "").prefix(2_000))
        do {
            let selection = try await categoryDefaults.set(typed, for: user)
            let ok = selection.isEverything ? "Your lists show every category again."
                                            : "Your lists now show \(selection.listed) unless you choose others (each list has a “show all” link)."
            return try await accountPage(user, ok: ok)
        } catch let error as Refusal {
            return try await accountPage(user, categoriesTyped: typed, message: error.description, status: error.httpStatus)
        }
    }

    func changePassword(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let user = try await gate.writer(request, context)
        do {
            try await accountActions.changePassword(of: user, current: context.form["current"] ?? "", new: context.form["password"] ?? "",
                                                                 keepingSession: context.viewer.sessionHash)
        } catch is AccountActions.WrongPassword {
            return try await accountPage(user, message: "Your current password was not right; nothing changed.", status: .unauthorized)
        } catch let error as Refusal {
            return try await accountPage(user, message: error.description, status: error.httpStatus)
        }
        return try await accountPage(user, ok: "Password changed. Every other device was logged out.")
    }

    func createToken(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let user = try await gate.writer(request, context)
        guard let name = context.form.trimmed("name"), name.count <= 60 else {
            return try await accountPage(user, message: "Give the token a name of up to 60 characters.", status: .badRequest)
        }
        let secret = "qt_" + Secrets.token()
        _ = try await store.createAPIToken(userID: user.id, name: name, tokenHash: Secrets.sha256(secret),
                                                        prefix: String(secret.prefix(9)), now: now())
        return try await accountPage(user, newToken: secret)
    }

    func revokeToken(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let user = try await gate.writer(request, context)
        guard try await store.revokeAPIToken(userID: user.id, id: context.number("id")) else {
            throw PageError.notFound("You have no such token.")
        }
        return try await accountPage(user, ok: "Token revoked: it no longer works.")
    }

    func deleteAccount(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        do {
            try await accountActions.deleteAccount(user, password: context.form["password"] ?? "")
        } catch is AccountActions.WrongPassword {
            return try await accountPage(user, message: "That password was not right; your account is still here.", status: .unauthorized)
                .response(from: request, context: context)
        }
        // The page is drawn for nobody: the header must not still name the reader.
        let page = Viewer.$current.withValue(.anonymous) {
            AccountPages.notice(title: "Account deleted", message: "Your account and everything it held are gone.")
        }
        var response = try HTMLPage(html: page).response(from: request, context: context)
        response.setCookie(Cookie(name: ViewerMiddleware.sessionCookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .lax))
        return response
    }

    func resendConfirmation(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let user = try await gate.writer(request, context)
        try await gate.limit("confirm-mail:\(user.id)", security.signupLimit)
        do {
            try await mail.send(.confirmEmail, to: user) { site.absoluteURL("/confirm/\($0)") }
        } catch {
            context.logger.warning("could not send the confirmation mail to user \(user.id): \(error)")
            return try await accountPage(user, message: "The mail could not be sent; try again later.", status: .serviceUnavailable)
        }
        return try await accountPage(user, ok: "Sent: open the link in the mail to \(user.email).")
    }

    func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try gate.user(request, context)
        var response = try jsonResponse(try await accountActions.export(user), encoder: .pretty)
        response.headers[.contentDisposition] = "attachment; filename=\"quire-\(user.username).json\""
        return response
    }

    // MARK: Mailed links

    func requestReset(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        try await gate.limit("reset:\(gate.clientAddress(request, context))", security.signupLimit)
        guard let email = context.form.trimmed("email"), let address = MailAddress.parse(email), address.isValid else {
            return HTMLPage(html: AccountPages.resetRequest(message: "Type the email address of your account."), status: .badRequest)
        }
        // The answer is the same whether or not the address has an account, so
        // the form cannot be used to find out who reads here.
        if let credentials = try await store.credentials(login: address.address), credentials.user.email == address.address.lowercased() {
            do {
                try await mail.send(.passwordReset, to: credentials.user) {
                    site.absoluteURL("/reset/\($0)")
                }
            } catch {
                context.logger.error("could not send a password reset mail to user \(credentials.user.id): \(error)")
            }
        }
        return HTMLPage(html: AccountPages.resetRequest(sent: true))
    }

    func reset(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        let reset: Bool
        do {
            reset = try await accountActions.resetPassword(linkHash: Secrets.sha256(token), to: context.form["password"] ?? "")
        } catch let error as Refusal {
            return try HTMLPage(html: AccountPages.resetForm(token: token, message: error.description), status: error.httpStatus)
                .response(from: request, context: context)
        }
        guard reset else {
            return try HTMLPage(html: AccountPages.notice(title: "Link expired", message: "This reset link was already used or has expired. Ask for a new one.", ok: false),
                                status: .gone).response(from: request, context: context)
        }
        return Response(status: .seeOther, headers: [.location: "/login?reset=1"])
    }

    func confirm(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let token = try context.parameters.require("token")
        guard let userID = try await store.consumeOneTimeToken(tokenHash: Secrets.sha256(token), purpose: .confirmEmail,
                                                                            now: now()) else {
            return HTMLPage(html: AccountPages.notice(title: "Link expired", message: "This confirmation link was already used or has expired.", ok: false),
                            status: .gone)
        }
        try await store.confirmEmail(userID: userID)
        return HTMLPage(html: AccountPages.notice(title: "Address confirmed", message: "Thank you: your email address is confirmed."))
    }
}
