import Foundation
import QuireCore
import Storage

/// Refreshes the GitHub stars of papers with a repository, for "Trending
/// code" (`CodeTrending`): `GET /repos/{owner}/{name}` of GitHub's REST API,
/// the repositories least recently asked about first. Polite: one request at
/// a time through `PoliteHTTPClient`, conditional (`If-None-Match` with the
/// last ETag: a 304 costs nothing against GitHub's rate limit), an optional
/// token (60 requests an hour without one, 5,000 with), and the run stops at
/// the first sign of a rate limit rather than hammering on.
public struct GitHubStarsHarvester: Sendable {
    public struct Options: Sendable {
        public var baseURL: URL
        public var token: String?
        /// Repositories asked about in one run.
        public var limit: Int
        /// A repository is asked about again only this long after its last check.
        public var recheckAfter: TimeInterval

        public init(baseURL: URL = HarvestEndpoints.gitHubAPI, token: String? = nil, limit: Int = 50, recheckAfter: TimeInterval = 12 * 3600) {
            self.baseURL = baseURL; self.token = token; self.limit = limit; self.recheckAfter = recheckAfter
        }
    }

    /// What a run did.
    public struct Summary: Sendable, Codable, Equatable, CustomStringConvertible {
        public var counted = 0, unchanged = 0, gone = 0, failed = 0
        /// Why the run stopped before its last repository (a rate limit), if it did.
        public var stoppedEarly: String?
        public var description: String {
            "github: \(counted) counted, \(unchanged) unchanged (304), \(gone) gone, \(failed) failed"
                + (stoppedEarly.map { "; stopped early: \($0)" } ?? "")
        }
    }

    let options: Options
    let store: any CodeTrendStore
    let http: any HTTPFetching
    let log: HarvestLog
    let now: @Sendable () -> Date

    public init(options: Options, store: any CodeTrendStore, http: any HTTPFetching, log: @escaping HarvestLog = { _ in },
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.options = options; self.store = store; self.http = http; self.log = log; self.now = now
    }

    public func run() async throws -> Summary {
        var summary = Summary()
        let due = try await store.repositoriesToCheck(checkedBefore: now().addingTimeInterval(-options.recheckAfter), limit: options.limit)
        for repository in due {
            try Task.checkCancellation()
            guard let repo = GitHubRepository(address: repository.address) else {
                // Not on GitHub (GitLab, a project page): nothing to ask; asked about again last.
                try await store.recordCheck(RepositoryCheck(address: repository.address, outcome: .gone), now: now())
                summary.gone += 1
                continue
            }
            let url = Query.appending(Query.appending(Query.appending(options.baseURL, path: "repos"), path: repo.owner), path: repo.name)
            var headers = ["Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"]
            if let etag = repository.etag { headers["If-None-Match"] = etag }
            if let token = options.token { headers["Authorization"] = "Bearer \(token)" }
            let outcome: RepositoryCheck.Outcome
            do {
                let response = try await http.get(url, headers: headers)
                if response.status == 304 {
                    outcome = .unchanged
                    summary.unchanged += 1
                } else {
                    outcome = .stars(try Self.stars(response.body, url: url), etag: response.headers["etag"])
                    summary.counted += 1
                }
            } catch HarvestError.http(_, let status, _, _, _) where [404, 410, 451].contains(status) {
                outcome = .gone
                summary.gone += 1
            } catch HarvestError.http(_, let status, _, let detail, _) where status == 403 || status == 429 {
                // GitHub's rate limits answer 403 (or 429): the rest waits for the next run.
                summary.stoppedEarly = "GitHub answered \(status) (rate limit or forbidden): \(detail)"
                log(summary.stoppedEarly ?? "")
                break
            } catch let error as HarvestError {
                summary.failed += 1
                log("\(repo.fullName): \(error)")
                continue
            }
            try await store.recordCheck(RepositoryCheck(address: repository.address, outcome: outcome), now: now())
        }
        log(summary.description)
        return summary
    }

    /// `stargazers_count` of a repository answer: a whole number, 0 or more.
    static func stars(_ body: Data, url: URL) throws -> Int {
        struct Repository: Decodable { var stargazers_count: Int }
        // Decoding as Int refuses true, 1.5 and numbers past Int's range.
        guard let stars = try? JSONDecoder().decode(Repository.self, from: body).stargazers_count, stars >= 0 else {
            throw HarvestError.malformed(url: url, reason: "no whole stargazers_count of 0 or more in \(body.count) bytes")
        }
        return stars
    }
}
