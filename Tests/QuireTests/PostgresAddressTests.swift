import PostgresStorage
import Testing

/// `--db` and `QUIRE_TEST_POSTGRES_URL` addresses: what is a PostgreSQL
/// address, and what is refused rather than guessed at.
@Suite struct PostgresAddressTests {
    @Test func anAddressNamesItsServerUserAndDatabase() throws {
        let address = try #require(PostgresAddress("postgres://quire:p%40ss@db.example.org:6543/papers?sslmode=require"))
        #expect(address.host == "db.example.org" && address.port == 6543)
        #expect(address.username == "quire" && address.password == "p@ss" && address.database == "papers")
        #expect(address.sslMode == "require")
        let plain = try #require(PostgresAddress("postgresql://quire@localhost/"))
        #expect(plain.port == 5432 && plain.password == nil && plain.database == nil && plain.sslMode == "prefer")
    }

    @Test(arguments: ["./quire.sqlite", "postgres://localhost/quire", "postgres://quire@/quire",
                      "postgres://quire@localhost:0/quire", "postgres://quire@localhost/quire?sslmode=verify-full", "mysql://quire@localhost/quire"])
    func whatIsNotAnAddressIsRefused(_ text: String) {
        #expect(PostgresAddress(text) == nil)
    }

    @Test func onlyPostgresSchemesAreAddresses() {
        #expect(PostgresAddress.isAddress("postgres://x@y/z") && PostgresAddress.isAddress("postgresql://x@y/z"))
        #expect(!PostgresAddress.isAddress("./postgres.sqlite"))
    }
}
