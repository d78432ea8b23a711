/// A query or path parameter of an API operation.
struct APIParameter: Sendable {
    enum Location: String, Sendable { case path, query }

    var name: String
    var location: Location
    var required: Bool
    var rule: ValueRule
    var description: String?
    /// A path parameter that may span several segments (old arXiv ids such as
    /// "hep-th/9901001"); the router matches it with `**`.
    var spansSegments = false

    static func query(_ name: String, _ rule: ValueRule, required: Bool = false, _ description: String? = nil) -> APIParameter {
        APIParameter(name: name, location: .query, required: required, rule: rule, description: description)
    }

    static func path(_ name: String, _ rule: ValueRule = .text(), _ description: String? = nil, spansSegments: Bool = false) -> APIParameter {
        APIParameter(name: name, location: .path, required: true, rule: rule, description: description, spansSegments: spansSegments)
    }

    var document: JSONValue {
        var object: [String: JSONValue] = ["name": .string(name), "in": .string(location.rawValue),
                                           "required": .bool(required), "schema": rule.schema]
        if let description { object["description"] = .string(description) }
        return .object(object)
    }
}
