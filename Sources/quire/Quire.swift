import ArgumentParser

/// The one binary. Every job (serving, importing, harvesting, embedding,
/// sending digests) is a subcommand, so a scheduler or cron only calls them.
@main
struct Quire: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quire",
        abstract: "A self-hosted research-paper discovery server.",
        subcommands: [
            ServeCommand.self,
            StatsCommand.self,
            EmbedCommand.self,
            SearchCommand.self,
            EvalCommand.self,
            RecommendCommand.self,
            ImportCommand.self,
            IngestCommand.self,
            UserCommand.self,
            DigestCommand.self,
            BackupCommand.self,
            DBCommand.self,
        ]
    )
}
