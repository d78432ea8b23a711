import ArgumentParser
import Foundation
import Ingest
import PostgresStorage
import Storage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ImportFormat: ExpressibleByArgument {}

/// `quire import`: loads paper files into the database. Bad records are
/// reported as FILE:LINE: reason and skipped; the exit status is 0 when the
/// import ran (even with rejections) and 1 when it could not (missing file,
/// unreadable file, undetectable format, database error).
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import papers from files (arXiv snapshot, Hugging Face daily papers, Quire JSON lines).",
        discussion: """
        Formats: quire (Quire's JSON lines, see docs/import-format.md), arxiv-snapshot \
        (the arXiv metadata snapshot, JSON lines), hf-daily (a Hugging Face /api/daily_papers \
        response), daily-papers-seed (data/seed-papers.jsonl). With auto (the default) each \
        file's format is detected from its content.

        Importing is idempotent: a paper already stored is merged with the new record and \
        counted as unchanged when nothing differs. Rejected records are printed as \
        FILE:LINE: reason on standard error; the exit status is 0 when the import ran \
        (rejections included) and 1 on a fatal error.
        """
    )

    @OptionGroup var storeOptions: StoreOptions

    @Option(name: .long, help: "File format: \(ImportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: ImportFormat = .auto

    @Option(name: .long, help: "Papers written per transaction.")
    var batchSize: Int = Importer.defaultBatchSize

    @Flag(name: .long, help: "Do not show progress even on a terminal.")
    var quiet = false

    @OptionGroup var model: ModelOptions

    @Flag(name: .long, help: "Do not embed the new papers (run `quire embed` later for semantic search).")
    var noEmbed = false

    @Argument(help: "Files to import, in order.")
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("Give at least one file to import.") }
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1.") }
    }

    func run() async throws {
        let urls = files.map { URL(fileURLWithPath: $0) }
        // Check every file before writing anything, so a typo in the last
        // path does not leave the first files half of a planned import.
        for url in urls {
            do { try Importer.checkReadable(url) } catch {
                printError("quire import: \(error)")
                throw ExitCode.failure
            }
        }

        do {
            try await storeOptions.withStore { store in try await importFiles(urls, into: store) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            // The database could not be opened.
            printError("quire import: \(error)")
            throw ExitCode.failure
        }
    }

    private func importFiles(_ urls: [URL], into store: any PaperStore & EmbeddingStore) async throws {
        let importer = Importer(store: store, batchSize: batchSize)
        let meter = ProgressMeter(enabled: !quiet && isatty(STDERR_FILENO) == 1)
        var total = ImportSummary(file: "total", format: format)
        var summaries: [ImportSummary] = []
        for url in urls {
            let summary: ImportSummary
            do {
                summary = try await importer.importFile(
                    url, format: format,
                    progress: { meter.show($0) },
                    onRejection: { rejection in
                        meter.clear()
                        printError(rejection.description)
                    })
            } catch {
                meter.clear()
                // A failed write on PostgreSQL says why only when asked (`postgresReason`).
                printError("quire import: \(postgresReason(error))")
                throw ExitCode.failure
            }
            meter.clear()
            print("\(summary.file) (\(summary.format.rawValue)): \(summary.lines) lines; \(summary.counts)")
            summaries.append(summary)
            total.lines += summary.lines
            total.inserted += summary.inserted
            total.updated += summary.updated
            total.unchanged += summary.unchanged
            total.rejected += summary.rejected
            total.duration += summary.duration
        }
        if summaries.count > 1 {
            print("total: \(total.lines) lines; \(total.counts)")
        }
        if !noEmbed { await model.embedNewPapers(store: store, quiet: quiet) }
    }
}

private func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Progress on one terminal line, rewritten in place with "\r" at most
/// a few times a second; silent when standard error is not a terminal.
private final class ProgressMeter: @unchecked Sendable { // the import calls `show` and `clear` from one task at a time
    let enabled: Bool
    private var lastDraw = Date.distantPast
    private var drawn = false

    init(enabled: Bool) { self.enabled = enabled }

    func show(_ p: ImportProgress) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.2 else { return }
        lastDraw = now
        var text = "\(p.file): \(p.linesRead) lines, \(p.papersRead) papers"
        if p.rejected > 0 { text += ", \(p.rejected) rejected" }
        text += String(format: ", %.0f papers/s", p.papersPerSecond)
        if let total = p.totalBytes, total > 0 {
            text += String(format: ", %.0f%%", 100 * Double(p.bytesRead) / Double(total))
        }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
        drawn = true
    }

    func clear() {
        guard enabled, drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        drawn = false
        lastDraw = .distantPast
    }
}
