import PostgresNIO

/// What went wrong with PostgreSQL, for a person: the server's own message
/// when it sent one ("password authentication failed for user …", "database
/// … does not exist"), else the connection's error. The client's description
/// of its errors is deliberately vague (it may not repeat what a query held),
/// which leaves a command's user nothing to act on.
public func postgresReason(_ error: any Error) -> String {
    guard let error = error as? PSQLError else { return "\(error)" }
    if let message = error.serverInfo?[.message] { return message }
    if let underlying = error.underlying { return "\(underlying)" }
    return "\(error.code)"
}
