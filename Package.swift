// swift-tools-version:6.0
import PackageDescription

// One executable, `quire`, over libraries whose names are the architecture:
// QuireCore (the domain), Storage (databases), ReaderActions (the rules of
// what readers and admins do), Ingest (importers and harvesters), Embedding
// (the sentence model), Search (ranking), Web (HTTP).
let package = Package(
    name: "Quire",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "quire", targets: ["quire"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .target(name: "QuireCore"),
        // What operators watch: the metrics Quire records (swift-metrics,
        // read out in Prometheus's text format) and the JSON log lines.
        .target(name: "Telemetry", dependencies: [
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The 8-bit vector scan in C, with an AVX2 path picked at run time.
        .target(name: "CKernels"),
        // TeX formulas in titles and abstracts as MathML, for pages.
        .target(name: "MathMarkup", dependencies: ["QuireCore"]),
        .target(name: "Storage", dependencies: [
            "QuireCore", "CSQLite",
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        // The PostgreSQL store, apart so that only what opens a `postgres://`
        // address compiles and links postgres-nio (Storage stays SQLite-only).
        .target(name: "PostgresStorage", dependencies: [
            "QuireCore", "Storage",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // Every rule of what readers and admins do, over the store protocols
        // (never a database, never HTTP): the web pages, the API and the CLI
        // are adapters over it. Search tells it what a saved search may be.
        // Recommendations is the reader's model the "For you" feed runs.
        .target(name: "ReaderActions", dependencies: [
            "QuireCore", "Storage", "Mail", "Search", "Recommendations",
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "Ingest", dependencies: [
            "QuireCore", "Storage", "Telemetry",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // The model's inner loops are optimised in every build, so debug test
        // runs embed at release speed (unsafeFlags are fine in a root package).
        .target(name: "Embedding", dependencies: ["QuireCore", "CBLAS"], swiftSettings: [.unsafeFlags(["-O"])]),
        .target(name: "Mail", dependencies: [
            "QuireCore",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Optimized in debug builds too: tests and `make run` tokenize and
        // rank whole corpora (the keyword tokenizer is ~40 times slower unoptimized).
        .target(name: "Search", dependencies: [
            "QuireCore", "Storage", "Embedding", "CBLAS", "CKernels", "Telemetry",
            .product(name: "NIOPosix", package: "swift-nio"),
        ], swiftSettings: [.unsafeFlags(["-O"])]),
        // "For you": a reader's model over the semantic index's vectors.
        .target(name: "Recommendations", dependencies: ["QuireCore", "Search", "CBLAS"], swiftSettings: [.unsafeFlags(["-O"])]),
        .target(name: "Digest", dependencies: [
            "QuireCore", "Storage", "Search", "Mail", "ReaderActions", "Recommendations", "Telemetry",
            .product(name: "Crypto", package: "swift-crypto"),
            // The webhook poster: HTTP/1.1 over TLS to the address it checked.
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .target(name: "Web", dependencies: [
            "QuireCore", "Storage", "ReaderActions", "Search", "Mail", "Digest", "MathMarkup", "Recommendations", "Telemetry",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .executableTarget(name: "EmbedBenchmark", dependencies: ["Embedding"]),
        .executableTarget(name: "SearchBenchmark", dependencies: ["Embedding", "Search", "Storage", "QuireCore"]),
        .executableTarget(name: "quire", dependencies: [
            "QuireCore", "Storage", "PostgresStorage", "ReaderActions", "Ingest", "Search", "Embedding", "Mail", "Digest", "Web", "Recommendations", "Telemetry",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // One function per fuzz target, over the parsers of outside input; the
        // libFuzzer shell runs them (scripts/fuzz.sh) and the tests replay
        // fuzz/regressions through them.
        .target(name: "FuzzTargets", dependencies: [
            "QuireCore", "Ingest", "Search", "Mail", "Web", "MathMarkup",
            .product(name: "HummingbirdCore", package: "hummingbird"),
        ]),
        .executableTarget(name: "QuireFuzz", dependencies: ["FuzzTargets"]),
        // Fixtures are read from disk by path (TestSupport.repoRoot), not bundled.
        .testTarget(name: "QuireTests", dependencies: [
            "QuireCore", "Storage", "PostgresStorage", "ReaderActions", "Ingest", "Search", "Embedding", "Mail", "Digest", "Web", "FuzzTargets", "MathMarkup", "Recommendations", "Telemetry",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            // A real local HTTP server for the webhook poster's tests.
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Logging", package: "swift-log"),
        ], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
