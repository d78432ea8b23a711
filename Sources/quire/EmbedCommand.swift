import ArgumentParser
import Foundation
import Search
import Storage

struct EmbedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Give every paper without one its vector, then its summary and keyphrases. Resumes where an interrupted run stopped.",
        discussion: """
            On PostgreSQL any number of `quire embed` on any number of machines share the backlog: \
            each worker claims a batch for --lease seconds, so no two embed the same paper, and a \
            batch whose worker died is taken over when its lease runs out.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var model: ModelOptions
    @Option(help: "Papers embedded and stored per batch.") var batchSize = 256
    @Option(help: "Workers in this process, each claiming its own batches (PostgreSQL only; SQLite has one).") var workers = 1
    @Option(help: "Seconds a worker's claim on a batch holds (PostgreSQL): longer than a batch takes.") var lease = 300
    @Flag(inversion: .prefixedNo, help: "Also give every paper without one its summary and keyphrases.") var summaries = true

    func validate() throws {
        guard (1...10_000).contains(batchSize) else { throw ValidationError("--batch-size must be from 1 to 10000, not \(batchSize)") }
        guard (1...64).contains(workers) else { throw ValidationError("--workers must be from 1 to 64, not \(workers)") }
        guard (5...86_400).contains(lease) else { throw ValidationError("--lease must be from 5 to 86400 seconds, not \(lease)") }
    }

    func run() async throws {
        try await store.withStore { papers in
            let semantic = SemanticIndex(embedder: try model.loadEmbedder(), store: papers)
            let total = try await papers.stats().papers
            let start = Date()
            let counter = ProgressLine(total: total, start: start)
            let done: Int
            if let claims = papers as? any EmbeddingClaims {
                done = try await shared(semantic: semantic, claims: claims, progress: counter)
            } else {
                guard workers == 1 else {
                    throw ValidationError("--workers: a SQLite database has one worker (one file, one machine); several need PostgreSQL")
                }
                done = try await semantic.embedMissing(batchSize: batchSize) { counter.show($0) }
            }
            if done > 0 { FileHandle.standardError.write(Data("\n".utf8)) }
            print("embedded \(done) papers in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
            guard summaries else { return }
            let summaryStart = Date()
            // Each paper's own vector is where its summary starts: the stored ones save running the model again.
            try await semantic.refresh()
            let summarized = try await PaperSummaries(semantic: semantic, store: papers).summarizeMissing { done in
                FileHandle.standardError.write(Data("\rsummarised \(done) papers".utf8))
            }
            if summarized > 0 { FileHandle.standardError.write(Data("\n".utf8)) }
            print("summarised \(summarized) papers in \(String(format: "%.1f", Date().timeIntervalSince(summaryStart))) s")
        }
    }

    /// `workers` claim loops over the shared backlog; the papers they stored.
    private func shared(semantic: SemanticIndex, claims: any EmbeddingClaims, progress: ProgressLine) async throws -> Int {
        let process = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))"
        return try await withThrowingTaskGroup(of: Int.self) { group in
            for number in 1...workers {
                let backlog = SharedEmbeddingBacklog(semantic: semantic, claims: claims, worker: "\(process):\(number)", lease: TimeInterval(lease))
                group.addTask { try await backlog.run(batchSize: batchSize) { progress.add($0) } }
            }
            return try await group.reduce(0, +)
        }
    }
}

/// "embedded N papers (R/s) of at most T" on standard error, from any worker.
final class ProgressLine: @unchecked Sendable { // lock: done
    private let lock = NSLock()
    private var done = 0
    let total: Int
    let start: Date

    init(total: Int, start: Date) { self.total = total; self.start = start }

    func add(_ papers: Int) { show(lock.withLock { done += papers; return done }) }

    func show(_ done: Int) {
        let rate = Double(done) / max(Date().timeIntervalSince(start), 0.001)
        FileHandle.standardError.write(Data("\rembedded \(done) papers (\(Int(rate))/s) of at most \(total)".utf8))
    }
}
