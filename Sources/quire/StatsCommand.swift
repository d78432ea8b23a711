import ArgumentParser
import Foundation

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Print what the database holds.")

    @OptionGroup var store: StoreOptions
    @Flag(help: "Print JSON instead of text.") var json = false

    func run() async throws {
        let stats = try await store.withStore { try await $0.stats() }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(stats), as: UTF8.self))
        } else {
            print("papers:         \(stats.papers)")
            print("on daily list:  \(stats.onDailyList)")
            print("authors:        \(stats.authors)")
            print("organizations:  \(stats.organizations)")
            print("days:           \(stats.firstDay ?? "-") to \(stats.lastDay ?? "-")")
        }
    }
}
