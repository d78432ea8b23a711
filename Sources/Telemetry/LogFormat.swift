import Logging

/// How `quire` writes its logs: `text` (swift-log's lines, for people) or
/// `json` (`JSONLogHandler`, for collectors). Chosen once at start: swift-log
/// takes one bootstrap a process.
public enum LogFormat: String, Sendable, CaseIterable {
    case text, json

    public func bootstrap() {
        switch self {
        case .text: break  // swift-log's default: `StreamLogHandler` on standard error
        case .json: LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
        }
    }
}
