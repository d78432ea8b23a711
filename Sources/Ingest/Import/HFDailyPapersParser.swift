import Foundation
import QuireCore

/// One element of a saved Hugging Face `/api/daily_papers` array, read by
/// `HFDailyPaperDecoder` (shared with the harvester). A saved file does not
/// say which day's list it was, so each paper's daily day is the day it was
/// put on the list.
struct HFDailyPapersParser: RecordParser {
    func paper(from json: Data) throws -> Paper {
        try HFDailyPaperDecoder.paper(fromJSON: json, listDay: nil)
    }
}
