import Foundation
import Logging
import Testing
@testable import Telemetry

/// `--log-format json`: every entry one line, one JSON object, the fields
/// collectors look for, whatever the message holds.
@Suite struct JSONLogHandlerTests {
    /// Lines the handler wrote, kept for the test to read.
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) { lock.withLock { lines.append(line) } }
        var all: [String] { lock.withLock { lines } }
    }

    static func logger(_ lines: Lines, level: Logger.Level = .info) -> Logger {
        var logger = Logger(label: "quire.test") { label in JSONLogHandler(label: label, metadataProvider: nil, write: lines.append) }
        logger.logLevel = level
        return logger
    }

    static func object(_ line: String) throws -> [String: Any] {
        #expect(line.hasSuffix("\n"))
        #expect(line.dropLast().contains("\n") == false, "one entry, one line")
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func anEntryIsOneJSONObjectWithTimeLevelLabelMessageAndMetadata() throws {
        let lines = Lines()
        var logger = Self.logger(lines)
        logger[metadataKey: "server"] = "a"
        logger.info("harvest done", metadata: ["papers": "12", "sources": ["arxiv", "hf"], "by": ["kind": "feed"]])
        let line = try #require(lines.all.first)
        #expect(line.hasPrefix("{\"time\":\""))
        let entry = try Self.object(line)
        #expect(entry["level"] as? String == "info")
        #expect(entry["label"] as? String == "quire.test")
        #expect(entry["message"] as? String == "harvest done")
        let metadata = try #require(entry["metadata"] as? [String: Any])
        #expect(metadata["server"] as? String == "a")
        #expect(metadata["papers"] as? String == "12")
        #expect(metadata["sources"] as? [String] == ["arxiv", "hf"])
        #expect((metadata["by"] as? [String: String])?["kind"] == "feed")
        let time = try #require(entry["time"] as? String)
        #expect(try Date(time, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)).timeIntervalSinceNow.magnitude < 60)
    }

    @Test(arguments: ["two\nlines", "a \"quoted\" \\ path", "tab\tand\u{0001}control", "émigré ∑ 📄", "\u{2028}separator"])
    func anyMessageStaysOnOneLineAndComesBackUnchanged(message: String) throws {
        let lines = Lines()
        Self.logger(lines).warning("\(message)", metadata: [message: .string(message)])
        let entry = try Self.object(try #require(lines.all.first))
        #expect(entry["message"] as? String == message)
        #expect((entry["metadata"] as? [String: String])?[message] == message)
    }

    @Test func belowTheLevelNothingIsWrittenAndNoMetadataMeansNoKey() throws {
        let lines = Lines()
        let logger = Self.logger(lines, level: .notice)
        logger.info("quiet")
        logger.error("loud")
        #expect(lines.all.count == 1)
        let entry = try Self.object(lines.all[0])
        #expect(entry["level"] as? String == "error")
        #expect(entry["metadata"] == nil)
    }
}
