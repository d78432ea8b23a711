import Hummingbird
import HTTPTypes
import NIOCore

/// A response whose body is all in memory: what the page cache keeps and
/// serves again.
struct BufferedResponse: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: ByteBuffer

    var response: Response { Response(status: status, headers: headers, body: .init(byteBuffer: body)) }

    /// Reads a handler's response into memory. The pages and JSON answers
    /// cached are single buffers, so this copies nothing; trailing headers
    /// (which none of them send) would be lost.
    init(_ response: Response) async throws {
        let collector = Collector()
        try await response.body.write(collector)
        self.init(status: response.status, headers: response.headers, body: collector.body)
    }

    init(status: HTTPResponse.Status, headers: HTTPFields, body: ByteBuffer) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Roughly what keeping it costs in memory.
    var cost: Int { body.readableBytes + headers.reduce(64) { $0 + $1.name.rawName.utf8.count + $1.value.utf8.count } }
}

/// A body writer that keeps what it is given. A class because
/// `ResponseBody.write` consumes the writer it is handed.
private final class Collector: ResponseBodyWriter {
    var body = ByteBuffer()
    func write(_ buffer: ByteBuffer) async throws {
        if body.readableBytes == 0 { body = buffer } else { body.writeImmutableBuffer(buffer) }
    }
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
