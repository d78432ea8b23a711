import Foundation

/// The OpenAPI 3.1 description served at `/openapi.json`, rendered once from
/// `APIContract` (operations) and `APISchemas` (body shapes).
enum OpenAPIDocument {
    static let value: JSONValue = [
        "openapi": "3.1.0",
        "info": ["title": "Quire API", "version": "1.0.0",
                 "description": "Read endpoints compatible with Hugging Face's papers API, plus Quire's own. Errors are JSON objects {\"error\": message}. A method a path does not support answers 405 with Allow."],
        "paths": .object(paths),
        "components": [
            "securitySchemes": ["token": ["type": "http", "scheme": "bearer",
                                          "description": "A personal API token from your account page. Writes are rate-limited per reader and per address (429 with Retry-After)."]],
            "schemas": .object(APISchemas.all),
        ],
    ]

    private static var paths: [String: JSONValue] {
        var paths: [String: [String: JSONValue]] = [:]
        for operation in APIContract.all {
            paths[operation.path, default: [:]][operation.method.rawValue.lowercased()] = operation.document
        }
        return paths.mapValues(JSONValue.object)
    }

    static let json: String = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }()
}
