import Foundation
import QuireCore
import Storage

/// Runs import files into a `PaperStore`: reads records one at a time,
/// validates each fully into a `Paper`, rejects the bad ones with FILE:LINE
/// and a reason, and upserts the good ones in batches. Used by `quire import`
/// and by the server's first-run fill.
public struct Importer: Sendable {
    public let store: any PaperStore
    /// Papers handed to `PaperStore.upsert` per call: one transaction each.
    public var batchSize: Int
    /// 5,000: each transaction costs a commit and becomes one full-text index
    /// segment that FTS5 merges later, so ten times 500 papers per transaction
    /// made an import's writes about a fifth cheaper (see migration 7).
    public static let defaultBatchSize = 5_000
    /// How many rejections the summary keeps in full (all are counted, and
    /// all are passed to `onRejection`).
    public var keptRejections: Int

    public init(store: any PaperStore, batchSize: Int = Importer.defaultBatchSize, keptRejections: Int = 1000) {
        self.store = store
        self.batchSize = max(1, batchSize)
        self.keptRejections = keptRejections
    }

    /// Imports one file. Throws `ImportError` when the file cannot be read or
    /// its format detected, and the store's error if a write fails; bad
    /// records never throw, they are counted in the summary.
    public func importFile(
        _ url: URL,
        format: ImportFormat = .auto,
        progress: ((ImportProgress) -> Void)? = nil,
        onRejection: ((ImportRejection) -> Void)? = nil
    ) async throws -> ImportSummary {
        let label = url.isFileURL ? url.relativePath : url.absoluteString
        try Importer.checkReadable(url)
        let resolved = format == .auto ? try ImportFormat.detect(url) : format
        guard let parser = resolved.makeParser() else { throw ImportError.cannotDetectFormat(path: label) }

        var run = Run(importer: self, label: label, summary: ImportSummary(file: label, format: resolved),
                      progress: progress, onRejection: onRejection)
        run.totalBytes = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? nil

        do {
            try await readRecords(url, label: label, format: resolved, parser: parser, into: &run)
            try await run.flush()
            try await run.finishWriting()
        } catch {
            await run.finishWritingAfterFailure()
            throw error
        }
        run.report(force: true)
        run.summary.duration = run.elapsed
        return run.summary
    }

    /// Reads the file's records, rejecting the bad ones and handing batches
    /// of good ones to `run`.
    private func readRecords(_ url: URL, label: String, format: ImportFormat, parser: RecordParser,
                             into run: inout Run) async throws {
        if format == .hfDaily {
            let data: Data
            do { data = try Data(contentsOf: url) } catch {
                throw ImportError.unreadable(path: label, reason: error.localizedDescription)
            }
            let elements: [JSONArraySplitter.Element]
            do { elements = try JSONArraySplitter.split(data) } catch let e as RecordError {
                throw ImportError.notAnArray(path: label, reason: e.reason)
            }
            run.bytesRead = data.count
            for element in elements {
                run.summary.lines += 1
                if element.truncated {
                    run.reject(line: element.line, RecordError("truncated JSON: the file ends before this element is closed"))
                } else {
                    run.accept(line: element.line, { try parser.paper(from: element.bytes) })
                }
                try await run.flushIfFull()
            }
        } else {
            let reader: LineReader
            do { reader = try LineReader(url: url) } catch {
                throw ImportError.unreadable(path: label, reason: error.localizedDescription)
            }
            while true {
                let next: LineReader.Line?
                do { next = try reader.next() } catch {
                    throw ImportError.unreadable(path: label, reason: error.localizedDescription)
                }
                guard let line = next else { break }
                run.summary.lines += 1
                run.bytesRead = reader.bytesRead
                if line.tooLong {
                    run.reject(line: line.number, RecordError("line longer than \(reader.maxLineLength) bytes; skipped"))
                } else if !line.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                    run.accept(line: line.number, { try parser.paper(from: line.bytes) })
                }
                try await run.flushIfFull()
            }
        }
    }

    /// Imports several files in order, stopping at the first fatal error.
    public func importFiles(
        _ urls: [URL],
        format: ImportFormat = .auto,
        progress: ((ImportProgress) -> Void)? = nil,
        onRejection: ((ImportRejection) -> Void)? = nil
    ) async throws -> [ImportSummary] {
        for url in urls { try Importer.checkReadable(url) }
        var summaries: [ImportSummary] = []
        for url in urls {
            summaries.append(try await importFile(url, format: format, progress: progress, onRejection: onRejection))
        }
        return summaries
    }

    /// Throws unless `url` names a readable regular file.
    public static func checkReadable(_ url: URL) throws {
        let path = url.path
        let label = url.isFileURL ? url.relativePath : url.absoluteString
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ImportError.fileNotFound(path: label)
        }
        if isDirectory.boolValue { throw ImportError.unreadable(path: label, reason: "is a directory") }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ImportError.unreadable(path: label, reason: "permission denied")
        }
    }

    /// The state of one file's import.
    private struct Run {
        let importer: Importer
        let label: String
        var summary: ImportSummary
        let progress: ((ImportProgress) -> Void)?
        let onRejection: ((ImportRejection) -> Void)?
        let started = Date()
        var totalBytes: Int?
        var bytesRead = 0
        var batch: [Paper] = []
        /// The previous batch, being written while this one is read and
        /// parsed, so the two overlap on two cores. One write at a time and in
        /// file order: a killed import still leaves whole batches, the file's first.
        var writing: Task<[UpsertOutcome], any Error>?
        var accepted = 0
        /// Line on which each id was first seen, to reject duplicates.
        var seen: [String: Int] = [:]
        var lastReport = 0

        init(importer: Importer, label: String, summary: ImportSummary,
             progress: ((ImportProgress) -> Void)?, onRejection: ((ImportRejection) -> Void)?) {
            self.importer = importer; self.label = label; self.summary = summary
            self.progress = progress; self.onRejection = onRejection
        }

        var elapsed: TimeInterval { Date().timeIntervalSince(started) }

        mutating func accept(line: Int, _ parse: () throws -> Paper) {
            do {
                let paper = try parse()
                if let first = seen[paper.id] {
                    reject(line: line, RecordError("duplicate id \(paper.id) (already on line \(first))"))
                    return
                }
                seen[paper.id] = line
                batch.append(paper)
                accepted += 1
            } catch let error as RecordError {
                reject(line: line, error)
            } catch {
                reject(line: line, RecordError("\(error)"))
            }
        }

        mutating func reject(line: Int, _ error: RecordError) {
            let rejection = ImportRejection(file: label, line: line, reason: error.reason)
            summary.rejected += 1
            if summary.rejections.count < importer.keptRejections { summary.rejections.append(rejection) }
            onRejection?(rejection)
        }

        mutating func flushIfFull() async throws {
            if batch.count >= importer.batchSize { try await flush() }
            if summary.lines - lastReport >= 1000 { report(force: false) }
        }

        /// Starts writing the batch once the previous write is done.
        mutating func flush() async throws {
            try await finishWriting()
            guard !batch.isEmpty else { return }
            let papers = batch, store = importer.store
            writing = Task { try await store.upsert(papers) }
            batch.removeAll(keepingCapacity: true)
        }

        /// Lets the batch being written finish before a fatal error is
        /// thrown, so nothing is still writing once `importFile` returns.
        mutating func finishWritingAfterFailure() async {
            _ = try? await writing?.value
            writing = nil
        }

        /// Waits for the batch being written and counts its outcomes.
        mutating func finishWriting() async throws {
            guard let write = writing else { return }
            writing = nil
            for outcome in try await write.value {
                switch outcome {
                case .inserted: summary.inserted += 1
                case .updated: summary.updated += 1
                case .unchanged: summary.unchanged += 1
                }
            }
            report(force: false)
        }

        mutating func report(force: Bool) {
            lastReport = summary.lines
            progress?(ImportProgress(file: label, linesRead: summary.lines, papersRead: accepted,
                                     rejected: summary.rejected, bytesRead: bytesRead, totalBytes: totalBytes,
                                     elapsed: elapsed))
        }
    }
}
