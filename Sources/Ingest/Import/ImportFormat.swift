import Foundation

/// The file formats `quire import` reads. See docs/import-format.md.
public enum ImportFormat: String, CaseIterable, Sendable, Codable {
    /// Detect from the content of each file.
    case auto
    /// Quire's own JSON lines.
    case quire
    /// The arXiv metadata snapshot (Kaggle "arxiv-metadata-oai-snapshot.json"), JSON lines.
    case arxivSnapshot = "arxiv-snapshot"
    /// A Hugging Face `/api/daily_papers` response: one JSON array.
    case hfDaily = "hf-daily"
    /// The Daily Papers seed file (data/seed-papers.jsonl), JSON lines.
    case dailyPapersSeed = "daily-papers-seed"

    /// Whether the file holds one record a line (everything but hf-daily).
    public var isJSONLines: Bool { self != .hfDaily && self != .auto }

    /// Detects the format from the start of a file: a first non-blank "[" is a
    /// Hugging Face array; otherwise the keys of the first readable JSON line
    /// decide (`authors_parsed` or `versions`: snapshot; `authors_count`:
    /// seed; anything else: Quire's own format).
    public static func detect(_ url: URL) throws -> ImportFormat {
        let reader = try LineReader(url: url, chunkSize: 1 << 16)
        var examined = 0
        while let line = try reader.next() {
            if line.tooLong { examined += 1; continue }
            guard let first = line.bytes.first(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0D) }) else { continue }
            if first == UInt8(ascii: "[") { return .hfDaily }
            examined += 1
            if let object = try? JSONSerialization.jsonObject(with: line.bytes) as? [String: Any] {
                return detect(keys: Set(object.keys))
            }
            if examined >= 100 { break }
        }
        throw ImportError.cannotDetectFormat(path: url.path)
    }

    static func detect(keys: Set<String>) -> ImportFormat {
        if keys.contains("authors_parsed") || keys.contains("versions") { return .arxivSnapshot }
        if keys.contains("authors_count") { return .dailyPapersSeed }
        return .quire
    }
}

/// Errors that stop an import (as opposed to rejected records).
public enum ImportError: Error, Equatable, CustomStringConvertible {
    case fileNotFound(path: String)
    case unreadable(path: String, reason: String)
    case cannotDetectFormat(path: String)
    case notAnArray(path: String, reason: String)

    public var description: String {
        switch self {
        case .fileNotFound(let path): return "\(path): no such file"
        case .unreadable(let path, let reason): return "\(path): cannot read: \(reason)"
        case .cannotDetectFormat(let path):
            return "\(path): cannot detect the format (no readable JSON record near the start); pass --format"
        case .notAnArray(let path, let reason): return "\(path): not a Hugging Face daily-papers array: \(reason)"
        }
    }
}
