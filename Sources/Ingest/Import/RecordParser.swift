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
