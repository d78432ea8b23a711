import Foundation

/// One rejected record: where it is and why.
public struct ImportRejection: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var reason: String
    public init(file: String, line: Int, reason: String) { self.file = file; self.line = line; self.reason = reason }
    /// "FILE:LINE: reason", the form compilers use, so editors can jump to it.
    public var description: String { "\(file):\(line): \(reason)" }
}

/// Where an import stands; handed to the progress callback.
public struct ImportProgress: Sendable {
    public var file: String
    public var linesRead: Int
    public var papersRead: Int
    public var rejected: Int
    public var bytesRead: Int
    public var totalBytes: Int?
    public var elapsed: TimeInterval
    public var papersPerSecond: Double { elapsed > 0 ? Double(papersRead) / elapsed : 0 }
}

/// What an import did.
public struct ImportSummary: Sendable, Equatable {
    public var file: String
    /// The format used (never `.auto`).
    public var format: ImportFormat
    /// Lines read (for hf-daily: array elements).
    public var lines: Int = 0
    public var inserted: Int = 0
    public var updated: Int = 0
    public var unchanged: Int = 0
    /// Number of rejected records; `rejections` holds the first of them.
    public var rejected: Int = 0
    public var rejections: [ImportRejection] = []
    public var duration: TimeInterval = 0

    public init(file: String, format: ImportFormat) { self.file = file; self.format = format }

    /// Papers stored (whatever the outcome).
    public var papers: Int { inserted + updated + unchanged }
    public var papersPerSecond: Double { duration > 0 ? Double(papers) / duration : 0 }

    /// One line: "inserted 198, updated 0, unchanged 0, rejected 2 in 0.4 s (495 papers/s)".
    public var counts: String {
        "inserted \(inserted), updated \(updated), unchanged \(unchanged), rejected \(rejected) in "
            + String(format: "%.2f s (%.0f papers/s)", duration, papersPerSecond)
    }
}
