import Foundation
import Hummingbird
import QuireCore
import Storage

/// An HTML page as a response.
struct HTMLPage: ResponseGenerator {
    var html: String
    var status: HTTPResponse.Status = .ok

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// A JSON body with the headers we choose (Hummingbird's default encoder
/// would not let us add `Link`).
func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:],
                  encoder: JSONEncoder = .api) throws -> Response {
    var fields = headers
    fields[.contentType] = "application/json; charset=utf-8"
    return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
}

extension JSONEncoder {
    /// Compact, dates as RFC 3339 text.
    static var api: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
    /// Indented and sorted: for files people download and read.
    static var pretty: JSONEncoder {
        let encoder = api
        encoder.outputFormatting = [.withoutEscapingSlashes, .prettyPrinted, .sortedKeys]
        return encoder
    }
}

/// An API error: the status and `{"error": "..."}`, as Hugging Face answers.
struct APIError: HTTPResponseError {
    var status: HTTPResponse.Status
    var message: String

    static func badRequest(_ message: String) -> APIError { APIError(status: .badRequest, message: message) }
    static func notFound(_ message: String) -> APIError { APIError(status: .notFound, message: message) }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try jsonResponse(["error": message], status: status)
    }
}

/// A page error: the status and a readable HTML page.
struct PageError: HTTPResponseError {
    var status: HTTPResponse.Status
    var title: String
    var message: String

    static func notFound(_ message: String) -> PageError { PageError(status: .notFound, title: "Not found", message: message) }
    static func badRequest(_ message: String) -> PageError { PageError(status: .badRequest, title: "Bad request", message: message) }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try HTMLPage(html: Layout.page(title: title, body: """
            <section class="notice"><h1>\(esc(title))</h1><p>\(esc(message))</p><p><a href="/">Back to today's papers</a></p></section>
            """), status: status).response(from: request, context: context)
    }
}

/// The router-wide error handler: turns what nobody else answered into an
/// HTML page instead of Hummingbird's bare 500, and logs unexpected errors.
/// It sees the pages and feeds groups' errors and the router's own "no
/// route" 404. The API group answers its errors as JSON before they get here
/// (`APIErrorMiddleware`), so an `APIError` passes through untouched.
///
/// The page is made here, for every error, with the header of whoever is
/// signed in: an error leaves the pages group's `ViewerMiddleware`, and the
/// router's 404 never entered it, so the session is looked up again (only
/// for error pages).
struct ErrorPageMiddleware<Context: RequestContext>: RouterMiddleware {
    let accounts: any AccountStore
    let now: @Sendable () -> Date

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let page: PageError
        do {
            return try await next(request, context)
        } catch let error as PageError {
            page = error
        } catch let error as Refusal {
            // A rule said no (ReaderActions or the store): its message, as a page.
            let status = error.httpStatus
            page = PageError(status: status, title: status == .notFound ? "Not found" : "Not done", message: error.description)
        } catch let error as HTTPResponseError {
            guard error.status == .notFound, !(error is APIError) else { throw error }
            // The router's own "no route" error.
            page = PageError.notFound("There is no page at \(request.uri.path).")
        } catch {
            context.logger.error("\(request.method) \(request.uri.path) failed: \(error)")
            page = PageError(status: .internalServerError, title: "Something went wrong", message: "The server could not build this page. The error was logged.")
        }
        let viewer = (try? await ViewerMiddleware.sessionViewer(request, accounts: accounts, now: now())) ?? .anonymous
        return try Viewer.$current.withValue(viewer) { try page.response(from: request, context: context) }
    }
}

/// Query parameters, read with precise errors.
struct QueryReader {
    let parameters: [String: String]
    let fields: FormFields
    let makeError: (String) -> any Error

    /// Query strings are decoded as forms are (`+` is a space): that is what a
    /// browser sends for `<form method="get">`, and what Python's and curl's
    /// helpers write.
    init(_ request: Request, error: @escaping (String) -> any Error) {
        fields = FormFields(urlEncoded: request.uri.query ?? "")
        parameters = fields.values
        makeError = error
    }

    /// `category=` (repeatable): nil when none is given; `everything` for
    /// `category=all`, which a page's "show all" link sends to set a
    /// reader's default categories aside. An unknown one is an error that
    /// says what a category looks like.
    func categories() throws -> CategorySelection? {
        let values = fields.all("category").filter { !$0.isEmpty }
        guard !values.isEmpty else { return nil }
        if values == ["all"] { return .everything }
        do { return try CategorySelection(parsing: values) } catch { throw makeError(error.message) }
    }

    func string(_ name: String) -> String? {
        guard let value = parameters[name], !value.isEmpty else { return nil }
        return value
    }

    /// `p` (0-based) for pages of `size` entries, down to the `maxDepth`-th entry:
    /// every page costs what skipping the pages before it costs.
    func page(size: Int, maxDepth: Int) throws -> Int {
        let lastPage = max(0, maxDepth / max(1, size) - 1)
        guard let text = string("p") else { return 0 }
        guard let page = Int(text), (0...lastPage).contains(page) else {
            throw makeError("p must be a whole number from 0 to \(lastPage) (pages of \(size) reach the \(maxDepth)th entry at most), not '\(text.prefix(40))'")
        }
        return page
    }

    func int(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = string(name) else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            throw makeError("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text.prefix(40))'")
        }
        return value
    }
}
