import Foundation
import QuireCore

/// What a harvester makes of one fetched body, without the network or a
/// store: the same page parsers (`AtomFeed`, `OAIPage`) and entry readers
/// (`Paper.fromArxivAPI`, `.fromArxivFeed`, `.fromOAI`, the HF daily list's)
/// the harvesters run,
/// so the fuzzers and other offline tools exercise exactly that code.
public enum HarvestPage {
    /// The papers read from a page, and a reason for every entry that was not.
    public struct Entries: Sendable {
        public var papers: [Paper] = []
        public var skipped: [String] = []
        /// OAI-PMH records marked deleted (the harvester marks them withdrawn).
        public var deleted: [String] = []
    }

    /// The URL named in error messages: these bodies come from nowhere.
    static let offline = URL(fileURLWithPath: "/offline-page")

    /// One page of the arXiv API (an Atom feed). Throws `HarvestError` when
    /// the body is not such a feed or is the API's error feed.
    public static func arxivAPI(_ body: Data) throws -> Entries {
        var out = Entries()
        for entry in try AtomFeed(body, url: offline).entries {
            do { out.papers.append(try Paper.fromArxivAPI(entry)) } catch { out.skipped.append("\(error)") }
        }
        return out
    }

    /// One category's announcement feed (Atom, with arXiv's announce types).
    public static func arxivFeed(_ body: Data) throws -> Entries {
        var out = Entries()
        for entry in try AtomFeed(body, url: offline).entries {
            do { out.papers.append(try Paper.fromArxivFeed(entry).0) } catch { out.skipped.append("\(error)") }
        }
        return out
    }

    /// One OAI-PMH ListRecords or GetRecord response in `metadataPrefix=arXiv`.
    public static func oai(_ body: Data) throws -> Entries {
        var out = Entries()
        for record in try OAIPage(body, url: offline).records {
            if record.deleted { out.deleted.append(record.identifier); continue }
            guard let metadata = record.metadata else {
                out.skipped.append("record \(record.identifier): no arXiv metadata")
                continue
            }
            do { out.papers.append(try Paper.fromOAI(metadata, identifier: record.identifier)) } catch {
                out.skipped.append("\(error)")
            }
        }
        return out
    }

    /// Hugging Face's daily papers list (`/api/daily_papers?date=`) for `day`.
    public static func hfDaily(_ body: Data, day: Day) throws -> Entries {
        var out = Entries()
        for (n, item) in try HFDailyHarvester.parseList(body, url: offline).enumerated() {
            do { out.papers.append(try HFDailyPaperDecoder.paper(from: item, listDay: day)) } catch { out.skipped.append("entry \(n): \(error)") }
        }
        return out
    }
}
