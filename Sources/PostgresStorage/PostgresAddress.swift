import Foundation
import Logging
import PostgresNIO

/// A database address, `postgres://user:password@host:port/name`, as the
/// client's configuration. The same string `--db` and `QUIRE_DB` take, so one
/// flag chooses between SQLite (a path) and PostgreSQL (an address).
public struct PostgresAddress: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String?
    /// `?sslmode=disable|prefer|require`, as libpq spells it; prefer by default.
    public var sslMode: String

    /// True for the addresses this store opens, so callers can tell a path from one.
    public static func isAddress(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Nil when `text` is not a postgres:// address with a user and a host.
    public init?(_ text: String) {
        guard Self.isAddress(text), let parts = URLComponents(string: text),
              let host = parts.host, !host.isEmpty, let user = parts.user, !user.isEmpty else { return nil }
        let port = parts.port ?? 5432
        guard (1...65535).contains(port) else { return nil }
        let mode = parts.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "prefer"
        guard ["disable", "prefer", "require"].contains(mode) else { return nil }
        self.host = host
        self.port = port
        self.username = user
        self.password = parts.password
        let name = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        self.database = name.isEmpty ? nil : name
        self.sslMode = mode
    }

    /// One connection made and closed: how a command learns at once, with
    /// the server's reason, that the server is not there or refuses the login
    /// or the database (the pool would keep trying quietly instead).
    public func checkReachable() async throws {
        var configuration = PostgresConnection.Configuration(host: host, port: port, username: username, password: password,
                                                             database: database, tls: try connectionTLS)
        configuration.options.connectTimeout = .seconds(10)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: Logger(label: "quire.postgres.check"))
        try await connection.close()
    }

    private var connectionTLS: PostgresConnection.Configuration.TLS {
        get throws {
            switch sslMode {
            case "disable": .disable
            case "require": .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            default: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        }
    }

    /// The client's configuration; `searchPath`, when given, is set on every
    /// connection at its start (the tests give each test its own schema), and
    /// `applicationName` names the connections in `pg_stat_activity`.
    func configuration(searchPath: String?, maximumConnections: Int, applicationName: String? = nil) throws -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS = switch sslMode {
        case "disable": .disable
        case "require": .require(.makeClientConfiguration())
        default: .prefer(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(host: host, port: port, username: username,
                                                         password: password, database: database, tls: tls)
        configuration.options.maximumConnections = maximumConnections
        if let searchPath { configuration.options.additionalStartupParameters.append(("search_path", searchPath)) }
        if let applicationName { configuration.options.additionalStartupParameters.append(("application_name", applicationName)) }
        return configuration
    }
}
