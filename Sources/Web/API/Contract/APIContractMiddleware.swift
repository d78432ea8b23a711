import Foundation
import HTTPTypes
import Hummingbird

/// Holds every API request to `APIContract` before any handler runs:
///
/// - a path under /api/ the document does not describe answers a JSON 404
///   (the router serves no API path the document leaves out);
/// - a method the path does not have answers 405 with `Allow` (OPTIONS
///   answers 204 with `Allow`), as JSON like every API error;
/// - each declared query parameter is checked against its rule (required,
///   type, range, length, pattern, choice), 400 naming the parameter;
/// - a JSON body with a field the operation does not take is refused, 400
///   naming the field and the ones it takes.
///
/// Handlers still parse the values they use, with the same limits
/// (`APIContract`), but can no longer be looser than the document.
struct APIContractMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // This runs for the whole router, not in the API group, so it must
        // tell API requests by their path: Hummingbird matches a route by
        // path and method together, and a request no route takes (an unknown
        // path, or a known path with a method it lacks) never reaches a
        // group's middleware, only the router's.
        let path = request.uri.path
        guard path.hasPrefix("/api/") || path == "/openapi.json" else { return try await next(request, context) }
        guard let template = Self.template(matching: path) else { throw APIError.notFound("no such endpoint: \(path)") }
        let operations = APIContract.operations(onTemplate: template)
        guard let operation = operations.first(where: { $0.method == request.method }) else {
            let allow = Self.allow(operations)
            if request.method == .options { return Response(status: .noContent, headers: [.allow: allow]) }
            var response = try APIError(status: .methodNotAllowed, message: "\(template) takes \(allow), not \(request.method.rawValue)")
                .response(from: request, context: context)
            response.headers[.allow] = allow
            return response
        }
        try Self.checkQuery(of: request, against: operation)
        var request = request
        if let body = operation.body { try await Self.checkFields(of: &request, against: body) }
        return try await next(request, context)
    }

    /// The methods a path answers: its documented ones, and OPTIONS (this
    /// middleware answers it). The router does not make HEAD of GET.
    static func allow(_ operations: [APIOperation]) -> String {
        var methods = operations.map(\.method)
        methods.append(.options)
        return methods.map(\.rawValue).joined(separator: ", ")
    }

    /// The documented path template a request path falls under; the most
    /// literal one wins ("/api/papers/search" over "/api/papers/{id}").
    static func template(matching path: String) -> String? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        var best: (template: String, parameters: Int)?
        for operation in APIContract.all {
            guard let parameters = Self.match(segments, operation) else { continue }
            if let current = best, current.parameters <= parameters { continue }
            best = (operation.path, parameters)
        }
        return best?.template
    }

    /// How many parameters `operation`'s template needs to match `segments`, or nil if it does not.
    private static func match(_ segments: ArraySlice<Substring>, _ operation: APIOperation) -> Int? {
        let template = operation.templateSegments
        let spanning = Set(operation.parameters.filter(\.spansSegments).map { "{\($0.name)}" })
        var parameters = 0
        var rest = segments[...]
        for (index, part) in template.enumerated() {
            guard let segment = rest.first, !segment.isEmpty else { return nil }
            if part.hasPrefix("{") {
                parameters += 1
                // A spanning parameter is last in its template and takes the rest.
                if spanning.contains(String(part)), index == template.count - 1 { return rest.contains(where: \.isEmpty) ? nil : parameters }
            } else if part != segment {
                return nil
            }
            rest = rest.dropFirst()
        }
        return rest.isEmpty ? parameters : nil
    }

    static func checkQuery(of request: Request, against operation: APIOperation) throws {
        let query = request.uri.queryParameters
        for parameter in operation.parameters where parameter.location == .query {
            guard let raw = query[Substring(parameter.name)] else {
                if parameter.required { throw APIError.badRequest("\(parameter.name) is required") }
                continue
            }
            if let problem = parameter.rule.problem(with: String(raw)) {
                throw APIError.badRequest("\(parameter.name) \(problem)")
            }
        }
    }

    /// Only the field names are checked here; a body that is not a JSON
    /// object is left to the handler's decoder, which says what is wrong.
    static func checkFields(of request: inout Request, against body: APIOperation.RequestBody) async throws {
        let buffer = try await collectJSONBody(&request)
        guard buffer.readableBytes > 0,
              let object = try? JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any] else { return }
        let allowed = body.fields
        let unknown = object.keys.filter { !allowed.contains($0) }.sorted()
        guard !unknown.isEmpty else { return }
        func quoted(_ names: [String]) -> String { names.map { "'\($0)'" }.joined(separator: ", ") }
        throw APIError.badRequest("unknown field\(unknown.count == 1 ? "" : "s") \(quoted(unknown)); this endpoint takes \(quoted(allowed))")
    }
}
