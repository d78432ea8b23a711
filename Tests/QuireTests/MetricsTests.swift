import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Search
import Storage
@testable import Telemetry
import Testing
@testable import Web

/// `GET /metrics` after real requests through the real router: counts by
/// route pattern and status class, search timings, and one registry per app.
@Suite struct MetricsTests {
    /// One sample of the text exposition: its name, labels and value.
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    /// Reads the text format (`name{a="b",c="d"} value` lines; `#` lines are
    /// comments). Enough for Quire's labels, which hold no quotes or commas.
    static func parse(_ text: String) -> [Sample] {
        text.split(separator: "\n").compactMap { line -> Sample? in
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { return nil }
            let series = line[..<space]
            guard let open = series.firstIndex(of: "{") else { return Sample(name: String(series), labels: [:], value: value) }
            var labels: [String: String] = [:]
            for pair in series[series.index(after: open)..<series.index(before: series.endIndex)].split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
            }
            return Sample(name: String(series[..<open]), labels: labels, value: value)
        }
    }

    static func scrape(_ prometheus: PrometheusMetrics) async throws -> [Sample] {
        try await Application(router: buildMetricsRouter(prometheus)).test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == PrometheusMetrics.contentType)
                return parse(String(buffer: response.body))
            }
        }
    }

    static func value(_ samples: [Sample], _ name: String, _ labels: [String: String]) -> Double? {
        samples.first { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }?.value
    }

    static func app(_ prometheus: PrometheusMetrics) async throws -> some ApplicationProtocol {
        let store = try await WebTests.filledStore()
        var dependencies = AppDependencies(store: store, now: { WebTests.now })
        dependencies.metrics = prometheus.metrics
        dependencies.search = SearchService(store: store, metrics: prometheus.metrics)
        return buildApplication(AppConfig(), dependencies: dependencies)
    }

    @Test func requestsAreCountedByRoutePatternAndStatusClass() async throws {
        let prometheus = PrometheusMetrics()
        try await Self.app(prometheus).test(.router) { client in
            for _ in 0..<3 { try await client.execute(uri: "/", method: .get) { #expect($0.status == .ok) } }
            for slug in ["someone", "someone-else", "a-third"] {
                try await client.execute(uri: "/authors/\(slug)", method: .get) { _ in }
            }
            try await client.execute(uri: "/no/such/page/12345", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/search?q=language+models", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/daily_papers", method: .init("BREW")!) { _ in }
        }
        let samples = try await Self.scrape(prometheus)
        #expect(Self.value(samples, "quire_http_requests_total", ["route": "/", "method": "GET", "status": "2xx"]) == 3)
        // Three different authors are one route, whatever each answered.
        let authors = samples.filter { $0.name == "quire_http_requests_total" && $0.labels["route"] == "/authors/{slug}" }
        #expect(authors.map(\.value).reduce(0, +) == 3)
        #expect(Self.value(samples, "quire_http_requests_total", ["route": "NotFound", "status": "4xx"]) == 1)
        // An invented method is `other`: strangers cannot add series.
        #expect(samples.contains { $0.labels["method"] == "other" })
        #expect(!samples.contains { $0.labels.values.contains { $0.contains("12345") || $0 == "BREW" || $0.contains("someone") } })
        // The latency histogram counts the same requests, with buckets.
        #expect(Self.value(samples, "quire_http_request_duration_seconds_count", ["route": "/", "status": "2xx"]) == 3)
        #expect(Self.value(samples, "quire_http_request_duration_seconds_bucket", ["route": "/", "le": "+Inf"]) == 3)
        #expect(Self.value(samples, "quire_search_duration_seconds_count", ["mode": "hybrid"]) == 1)
    }

    @Test func eachAppCountsInItsOwnRegistry() async throws {
        let first = PrometheusMetrics(), second = PrometheusMetrics()
        try await Self.app(first).test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
        }
        try await Self.app(second).test(.router) { client in
            for _ in 0..<2 { try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) } }
        }
        #expect(Self.value(try await Self.scrape(first), "quire_http_requests_total", ["route": "/health"]) == 1)
        #expect(Self.value(try await Self.scrape(second), "quire_http_requests_total", ["route": "/health"]) == 2)
    }

    @Test func withoutMetricsNothingIsRecordedAndTheReadersPortHasNoMetricsPage() async throws {
        let store = try await WebTests.filledStore()
        try await buildApplication(AppConfig(), dependencies: AppDependencies(store: store)).test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { #expect($0.status == .notFound) }
        }
    }

    @Test func harvestAndDigestCountersHaveTheirLabels() async throws {
        let prometheus = PrometheusMetrics()
        prometheus.metrics.harvestRuns(source: "arxiv", outcome: "failed").increment()
        prometheus.metrics.harvestedPapers(source: "huggingface", change: "inserted").increment(by: 8)
        prometheus.metrics.digests(outcome: "sent").increment(by: 2)
        prometheus.metrics.embeddingBacklog.record(40)
        let samples = try await Self.scrape(prometheus)
        #expect(Self.value(samples, "quire_harvest_runs_total", ["source": "arxiv", "outcome": "failed"]) == 1)
        #expect(Self.value(samples, "quire_harvested_papers_total", ["source": "huggingface", "change": "inserted"]) == 8)
        #expect(Self.value(samples, "quire_digests_total", ["outcome": "sent"]) == 2)
        #expect(Self.value(samples, "quire_embedding_backlog_papers", [:]) == 40)
    }

    @Test func figuresReadAtScrapeTimeAreFresh() async throws {
        let prometheus = PrometheusMetrics()
        let store = try TestSupport.temporaryStore()
        prometheus.readBeforeEachScrape { metrics in
            metrics.databaseReaderConnections.record(store.connectionUse.readerConnections)
        }
        #expect(Self.value(try await Self.scrape(prometheus), "quire_db_reader_connections", [:]) == 0)
        _ = try await store.stats()
        #expect(Self.value(try await Self.scrape(prometheus), "quire_db_reader_connections", [:]) == 1)
    }

    @Test(arguments: [(200, "2xx"), (304, "3xx"), (404, "4xx"), (503, "5xx"), (99, "other"), (600, "other")])
    func statusClasses(code: Int, label: String) {
        #expect(HTTPMetrics.statusClass(code) == label)
    }
}
