import Foundation
import QuireCore

/// Turns one JSON record of a given format into a fully validated `Paper`,
/// or throws a `RecordError` saying why it cannot.
protocol RecordParser {
    func paper(from json: Data) throws -> Paper
}

extension ImportFormat {
    /// The parser for a concrete format (nil for `.auto`).
    func makeParser() -> RecordParser? {
        switch self {
        case .auto: return nil
        case .quire: return QuireJSONLParser()
        case .arxivSnapshot: return ArxivSnapshotParser()
        case .hfDaily: return HFDailyPapersParser()
        case .dailyPapersSeed: return SeedPapersParser()
        }
    }
}

extension ImportFormat {
    /// Parses one record of this format (a line of a JSON-lines file, or one
    /// element of an HF daily array) with exactly the importer's checks.
    /// Public so tools outside the importer, such as the fuzzers, reach the
    /// same code; throws `RecordError` for `.auto`, which names no format.
    public func parseRecord(_ json: Data) throws -> Paper {
        guard let parser = makeParser() else { throw RecordError("no format given for the record") }
        return try parser.paper(from: json)
    }
}
