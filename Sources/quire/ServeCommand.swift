import ArgumentParser
import Hummingbird
import Logging
import Search
import ServiceLifecycle
import Web

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve the pages and the API.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var model: ModelOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Flag(help: "Keyword search only: do not load the embedding model.") var noSemantic = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535, not \(port)") }
    }

    func run() async throws {
        let papers = try store.openStore()
        var logger = Logger(label: "quire")
        logger.logLevel = .info
        var services: [any Service] = []
        var semantic: SemanticIndex?
        if !noSemantic {
            do {
                let index = try await model.loadSemanticIndex(store: papers)
                logger.info("semantic search on: \(index.index.count) vectors loaded")
                services.append(EmbeddingWorker(semantic: index, interval: .seconds(5), logger: logger))
                semantic = index
            } catch {
                logger.warning("semantic search off, keyword search only: \(error)")
            }
        }
        let app = buildApplication(AppConfig(host: host, port: port), dependencies: AppDependencies(store: papers, semantic: semantic),
                                   services: services, logger: logger)
        logger.info("Quire serving \(store.db) at http://\(host):\(port)")
        try await app.runService()
    }
}
