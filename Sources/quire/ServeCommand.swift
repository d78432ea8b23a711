import ArgumentParser
import Hummingbird
import Logging
import Web

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve the pages and the API.")

    @OptionGroup var store: StoreOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535, not \(port)") }
    }

    func run() async throws {
        let papers = try store.openStore()
        let logger = Logger(label: "quire")
        let app = buildApplication(AppConfig(host: host, port: port), dependencies: AppDependencies(store: papers), logger: logger)
        logger.info("Quire serving \(store.db) at http://\(host):\(port)")
        try await app.runService()
    }
}
