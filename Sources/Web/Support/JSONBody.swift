import Foundation
import Hummingbird

/// The largest JSON body the API reads.
let maxJSONBodyBytes = 256 * 1024

/// The whole request body (kept in `request`, so later readers get it too), or 413.
func collectJSONBody(_ request: inout Request) async throws -> ByteBuffer {
    do { return try await request.collectBody(upTo: maxJSONBodyBytes) } catch {
        throw APIError(status: .contentTooLarge, message: "the request body is over \(maxJSONBodyBytes / 1024) KiB")
    }
}

/// Reads a JSON request body into `T`, turning every decoding failure into a
/// 400 that names the field and the problem. (Fields the operation does not
/// take were refused before, by `APIContractMiddleware`.)
func decodeJSONBody<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
    var request = request
    let buffer = try await collectJSONBody(&request)
    guard buffer.readableBytes > 0 else { throw APIError.badRequest("send a JSON object as the request body") }
    do {
        return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
    } catch let DecodingError.keyNotFound(key, _) {
        throw APIError.badRequest("missing field '\(key.stringValue)'")
    } catch let DecodingError.typeMismatch(expected, context) {
        throw APIError.badRequest("field '\(path(context))': expected \(describe(expected))")
    } catch let DecodingError.valueNotFound(expected, context) {
        throw APIError.badRequest("field '\(path(context))': expected \(describe(expected)), got null")
    } catch let DecodingError.dataCorrupted(context) {
        let detail = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
        throw APIError.badRequest("the body is not valid JSON" + (detail.map { ": \($0)" } ?? ""))
    } catch {
        throw APIError.badRequest("the body could not be read as JSON")
    }
}

private func path(_ context: DecodingError.Context) -> String {
    context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
}

private func describe(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: "a string"
    case is Int.Type: "a whole number"
    case is Bool.Type: "true or false"
    default: "\(type)"
    }
}
