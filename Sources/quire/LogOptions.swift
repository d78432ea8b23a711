import ArgumentParser
import Foundation
import Telemetry

extension LogFormat: ExpressibleByArgument {}

/// `--log-format text|json` (env QUIRE_LOG_FORMAT) for the commands that log
/// as they run (`serve`, `digest send`); the others print reports.
struct LogOptions: ParsableArguments {
    @Option(help: "Log lines as text, or as one JSON object a line (env QUIRE_LOG_FORMAT; default text).")
    var logFormat: LogFormat?

    func validate() throws {
        if logFormat == nil, let text = environment, LogFormat(rawValue: text) == nil {
            throw ValidationError("QUIRE_LOG_FORMAT must be text or json, not '\(text)'")
        }
    }

    private var environment: String? {
        ProcessInfo.processInfo.environment["QUIRE_LOG_FORMAT"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Sets the format for the whole process; call once, before the first logger is made.
    func bootstrap() {
        (logFormat ?? environment.flatMap(LogFormat.init(rawValue:)) ?? .text).bootstrap()
    }
}
