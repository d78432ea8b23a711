import Foundation
import Hummingbird

/// Reads a JSON request body into `T`, turning every decoding failure into a
/// 400 that names the field and the problem.
func decodeJSONBody<T: Decodable>(_ type: T.Type, from request: Request, maxBytes: Int = 256 * 1024) async throws -> T {
    var request = request
    let buffer: ByteBuffer
    do { buffer = try await request.collectBody(upTo: maxBytes) } catch {
        throw APIError(status: .contentTooLarge, message: "the request body is over \(maxBytes / 1024) KiB")
    }
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
