import HTTPTypes

/// One operation of the JSON API (a method on a path) as the single source
/// of truth: `/openapi.json` is rendered from these, the router registers
/// handlers through them (`Router.on(_:use:)`), and `APIContractMiddleware`
/// answers 405 with `Allow` and rejects query values they do not allow.
struct APIOperation: Sendable {
    /// Who may call it.
    enum Access: Sendable {
        /// Anyone. (A malformed or revoked token is still refused with 401.)
        case open
        /// Anyone; a token shows the reader's own private things too.
        case optionalToken
        /// A personal API token, read only.
        case token
        /// A personal API token, and counted against the per-reader and
        /// per-address write limits (429 with `Retry-After`).
        case tokenWrite
    }

    var id: String
    var method: HTTPRequest.Method
    /// The OpenAPI path template, e.g. `/api/papers/{id}`.
    var path: String
    var summary: String
    var access: Access = .open
    var parameters: [APIParameter] = []
    var body: RequestBody?
    /// The successful answer.
    var success: APIResponse
    /// The errors the handler itself can give, besides the ones `access`,
    /// `parameters` and `body` imply (see `responses`).
    var errors: [APIResponse.Status] = []

    struct RequestBody: Sendable {
        var schema: JSONValue
        var required = true

        /// The fields the body may have: its schema's properties. Any other
        /// field is refused, so a typo or a guess (`"public": true`) is an
        /// error rather than silently ignored.
        var fields: [String] {
            guard case .object(let object) = schema, case .object(let properties)? = object["properties"] else { return [] }
            return properties.keys.sorted()
        }

        /// The schema as `/openapi.json` publishes it: closed to other fields.
        var publishedSchema: JSONValue {
            guard case .object(var object) = schema else { return schema }
            object["additionalProperties"] = false
            return .object(object)
        }
    }

    /// Every answer the operation can give, derived where a rule implies one.
    var responses: [APIResponse] {
        var statuses = Set(errors)
        // ViewerMiddleware refuses a malformed or unknown token on every path.
        statuses.insert(.unauthorized)
        if parameters.contains(where: { $0.location == .query }) || body != nil { statuses.insert(.badRequest) }
        if body != nil { statuses.insert(.contentTooLarge) }
        if case .tokenWrite = access { statuses.insert(.tooManyRequests) }
        return [success] + statuses.sorted { $0.code < $1.code }.map(APIResponse.error)
    }

    /// The segments of `path`, for matching request paths.
    var templateSegments: [Substring] { path.split(separator: "/") }

    /// The path in the router's syntax: `{x}` becomes `:x`, or `**` when it spans segments.
    var routerPath: String {
        let spanning = Set(parameters.filter(\.spansSegments).map(\.name))
        return "/" + templateSegments.map { segment in
            guard segment.hasPrefix("{"), segment.hasSuffix("}") else { return String(segment) }
            let name = String(segment.dropFirst().dropLast())
            return spanning.contains(name) ? "**" : ":" + name
        }.joined(separator: "/")
    }

    var document: JSONValue {
        var object: [String: JSONValue] = [
            "operationId": .string(id),
            "summary": .string(summary),
            "responses": .object(Dictionary(uniqueKeysWithValues: responses.map { (String($0.status.code), $0.document) })),
        ]
        if !parameters.isEmpty { object["parameters"] = .array(parameters.map(\.document)) }
        if let body {
            object["requestBody"] = ["required": .bool(body.required), "content": ["application/json": ["schema": body.publishedSchema]]]
        }
        switch access {
        case .open: break
        case .optionalToken: object["security"] = [[:], ["token": []]]
        case .token, .tokenWrite: object["security"] = [["token": []]]
        }
        return .object(object)
    }
}

