import Foundation
import Logging

/// Writes each log entry as one JSON object on one line, for log collectors
/// (journald, Loki, Elasticsearch…) that read fields rather than text:
///
///     {"time":"2026-11-28T12:00:00.123Z","level":"info","label":"quire","message":"…","metadata":{"key":"value"}}
///
/// The keys come in that order; `metadata` is left out when empty. Text is
/// escaped as JSON requires, so a message holding a newline stays on its line.
public struct JSONLogHandler: LogHandler {
    public let label: String
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    /// Where finished lines go (standard error by default; tests collect them).
    let write: @Sendable (String) -> Void

    public init(label: String, metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider,
                write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardError) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        // The entry's own metadata wins over the provider's, which wins over the logger's.
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        if let error = event.error { merged["error"] = .string("\(error)") }
        write(Self.line(time: Date(), level: event.level, label: label, message: event.message.description, metadata: merged))
    }

    static func line(time: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata) -> String {
        var out = "{\"time\":\(quoted(timeFormat.format(time))),\"level\":\(quoted(level.rawValue)),"
        out += "\"label\":\(quoted(label)),\"message\":\(quoted(message))"
        if !metadata.isEmpty { out += ",\"metadata\":" + json(.dictionary(metadata)) }
        return out + "}\n"
    }

    private static let timeFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    /// Metadata as JSON: strings stay strings, lists and dictionaries nest
    /// (keys sorted, so equal metadata gives equal lines).
    static func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): return quoted(text)
        case .stringConvertible(let item): return quoted(item.description)
        case .array(let items): return "[" + items.map(json).joined(separator: ",") + "]"
        case .dictionary(let entries):
            return "{" + entries.sorted { $0.key < $1.key }.map { quoted($0.key) + ":" + json($0.value) }.joined(separator: ",") + "}"
        }
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// One `write(2)` a line, under a lock, so lines from many threads never interleave.
    public static let standardError: @Sendable (String) -> Void = { line in
        errorLock.withLock { FileHandle.standardError.write(Data(line.utf8)) }
    }
    private static let errorLock = NSLock()
}
