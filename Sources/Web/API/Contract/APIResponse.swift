import HTTPTypes

/// One answer an operation documents: its status, what it means, and the
/// shape of its body and headers.
struct APIResponse: Sendable {
    typealias Status = HTTPResponse.Status

    var status: Status
    var description: String
    /// The JSON body's schema; nil for an empty body (204, 202).
    var schema: JSONValue?
    var headers: [String: JSONValue] = [:]

    static func ok(_ description: String, _ schema: JSONValue, headers: [String: JSONValue] = [:]) -> APIResponse {
        APIResponse(status: .ok, description: description, schema: schema, headers: headers)
    }
    static func created(_ description: String, _ schema: JSONValue) -> APIResponse {
        APIResponse(status: .created, description: description, schema: schema)
    }
    static func empty(_ status: Status, _ description: String) -> APIResponse {
        APIResponse(status: status, description: description, schema: nil)
    }

    /// An error: `{"error": "..."}` (429 also says when to retry).
    static func error(_ status: Status) -> APIResponse {
        var headers: [String: JSONValue] = [:]
        if status == .tooManyRequests {
            headers["Retry-After"] = ["required": true, "description": "Seconds until the limit resets",
                                      "schema": ["type": "integer", "minimum": 1]]
        }
        if status == .methodNotAllowed {
            headers["Allow"] = ["required": true, "schema": ["type": "string"]]
        }
        return APIResponse(status: status, description: errorMeaning[status.code] ?? status.reasonPhrase,
                           schema: .ref("Error"), headers: headers)
    }

    private static let errorMeaning: [Int: String] = [
        400: "A parameter or the body is not what this operation takes",
        401: "No valid personal API token (or a malformed or revoked one was sent)",
        403: "The token's reader may not do this, or a rule forbids it (a daily cap, a paper too old to submit)",
        404: "No such paper, reader, comment, collection or organization (or it is private)",
        409: "It exists already, or conflicts with what exists",
        413: "The body is too large",
        429: "Too many requests (writes per reader and per address, searches per address); Retry-After says when to try again",
        502: "arXiv could not be reached to look the paper up",
        504: "arXiv did not answer in time",
    ]

    var document: JSONValue {
        var object: [String: JSONValue] = ["description": .string(description)]
        if let schema { object["content"] = ["application/json": ["schema": schema]] }
        if !headers.isEmpty { object["headers"] = .object(headers) }
        return .object(object)
    }
}
