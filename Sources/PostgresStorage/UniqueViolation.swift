import PostgresNIO

/// The constraint a statement broke, when PostgreSQL refused it as a
/// duplicate (SQLSTATE 23505): how a write that raced another one learns it
/// lost, to answer with the same `Refusal.conflict` as the check before it.
func uniqueViolation(_ error: any Error) -> String? {
    guard let error = error as? PSQLError, let info = error.serverInfo,
          info[.sqlState] == PostgresError.Code.uniqueViolation.raw else { return nil }
    return info[.constraintName] ?? ""
}
