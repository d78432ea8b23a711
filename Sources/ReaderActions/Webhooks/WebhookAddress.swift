import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one check every webhook address passes, when it is added and at each
/// hop of every post: https only, and never an address inside this network
/// (loopback, private, link-local, shared, multicast, reserved, documentation
/// ranges, IPv4 and IPv6 alike, IPv4-mapped IPv6 by the IPv4 it maps).
/// Names are checked after DNS resolution, and the poster connects to the
/// very address checked here, so a second lookup (DNS rebinding) cannot
/// swap it. Odd spellings (`2130706433`, `0177.0.0.1`, `0x7f.1`) resolve to
/// what they mean first and are judged by that.
public struct WebhookAddressCheck: Sendable {
    /// For tests only (`--webhook-allow-insecure-loopback`): also allows
    /// http and the loopback range, so a test can post to a fake endpoint on
    /// 127.0.0.1. Every other special range is refused even then.
    public var allowInsecureLoopback: Bool

    public init(allowInsecureLoopback: Bool = false) { self.allowInsecureLoopback = allowInsecureLoopback }

    /// An address a post may go to: the URL's parts and the IP checked.
    public struct Target: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var useTLS: Bool
        /// Path and query, "/services/T0/B0/x".
        public var pathAndQuery: String
        /// The resolved address that passed the check, "203.0.113.9" or "2001:db8::1".
        public var address: String

        public init(host: String, port: Int, useTLS: Bool, pathAndQuery: String, address: String) {
            self.host = host; self.port = port; self.useTLS = useTLS; self.pathAndQuery = pathAndQuery; self.address = address
        }
    }

    /// Why an address is refused, in words for the reader.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case notAURL
        case tooLong(Int)
        case notHTTPS(String)
        case credentials
        case badPort
        case cannotResolve(String)
        case special(host: String, address: String, range: String)

        public var description: String {
            switch self {
            case .notAURL: "that is not a web address: paste the webhook URL the service gave you, starting with https://"
            case .tooLong(let most): "a webhook address is at most \(most) characters"
            case .notHTTPS(let scheme): "webhooks go over https only, not \(scheme.isEmpty ? "an address without https://" : scheme + "://")"
            case .credentials: "a webhook address may not hold a user name or password before the host"
            case .badPort: "the port of the webhook address is not a number from 1 to 65535"
            case .cannotResolve(let host): "the host '\(host.prefix(100))' has no address (DNS found none)"
            case .special(let host, let address, let range):
                host == address ? "\(address) is \(range): webhooks go only to public internet addresses"
                    : "'\(host.prefix(100))' resolves to \(address), \(range): webhooks go only to public internet addresses"
            }
        }
    }

    public static let maxLength = 2000

    /// The form of the address, before any lookup: scheme, host, port.
    public func parse(_ text: String) throws(Problem) -> (host: String, port: Int, useTLS: Bool, pathAndQuery: String) {
        guard text.count <= Self.maxLength else { throw .tooLong(Self.maxLength) }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let parts = URLComponents(string: trimmed), let scheme = parts.scheme?.lowercased() else {
            throw trimmed.contains("://") || trimmed.isEmpty ? .notAURL : .notHTTPS("")
        }
        guard scheme == "https" || (scheme == "http" && allowInsecureLoopback) else { throw .notHTTPS(scheme) }
        guard parts.user == nil, parts.password == nil else { throw .credentials }
        var host = parts.percentEncodedHost ?? ""
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, host.removingPercentEncoding == host else { throw .notAURL }
        let port = parts.port ?? (scheme == "https" ? 443 : 80)
        guard (1...65535).contains(port) else { throw .badPort }
        var path = parts.percentEncodedPath.isEmpty ? "/" : parts.percentEncodedPath
        if let query = parts.percentEncodedQuery { path += "?" + query }
        return (host.lowercased(), port, scheme == "https", path)
    }

    /// Parses, resolves and checks `text`: the target to connect to, or the problem.
    public func check(_ text: String) async throws(Problem) -> Target {
        let (host, port, useTLS, path) = try parse(text)
        let addresses = await Self.resolve(host)
        guard !addresses.isEmpty else { throw .cannotResolve(host) }
        // Every address the name has must pass: a name with one public and one
        // private address could otherwise be steered to the private one.
        for address in addresses {
            if let range = range(of: address) { throw .special(host: host, address: address.text, range: range) }
        }
        return Target(host: host, port: port, useTLS: useTLS, pathAndQuery: path, address: addresses[0].text)
    }

    /// The special range `address` is in (refused), or nil for a public one.
    public func range(of address: IPAddress) -> String? {
        guard let range = Self.specialRange(address) else { return nil }
        if allowInsecureLoopback, range == Self.loopback { return nil }
        return range
    }

    static let loopback = "a loopback address"

    // MARK: Addresses

    /// An IPv4 (4 bytes) or IPv6 (16 bytes) address.
    public struct IPAddress: Sendable, Equatable {
        public var bytes: [UInt8]

        public init?(_ text: String) {
            var v4 = in_addr(), v6 = in6_addr()
            // inet_pton takes only the plain dotted form; other spellings go through resolve().
            if inet_pton(AF_INET, text, &v4) == 1 {
                bytes = withUnsafeBytes(of: &v4) { Array($0) }
            } else if inet_pton(AF_INET6, text, &v6) == 1 {
                bytes = withUnsafeBytes(of: &v6) { Array($0) }
            } else {
                return nil
            }
        }

        init(bytes: [UInt8]) { self.bytes = bytes }

        public var text: String {
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            let family = bytes.count == 4 ? AF_INET : AF_INET6
            let ok = bytes.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &buffer, socklen_t(buffer.count)) } != nil
            return ok ? String(cString: buffer) : "?"
        }
    }

    /// What a name resolves to (getaddrinfo, as the system would connect):
    /// numeric spellings included, since the C library reads them.
    static func resolve(_ host: String) async -> [IPAddress] {
        await withCheckedContinuation { continuation in
            // getaddrinfo blocks: off the cooperative threads.
            DispatchQueue.global().async {
                var hints = addrinfo()
                hints.ai_family = AF_UNSPEC
                #if canImport(Glibc)
                hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
                #else
                hints.ai_socktype = SOCK_STREAM
                #endif
                var list: UnsafeMutablePointer<addrinfo>?
                guard getaddrinfo(host, nil, &hints, &list) == 0 else { return continuation.resume(returning: []) }
                defer { freeaddrinfo(list) }
                var found: [IPAddress] = []
                var next = list
                while let entry = next?.pointee {
                    if entry.ai_family == AF_INET, let raw = entry.ai_addr {
                        raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { var a = $0.pointee.sin_addr; found.append(IPAddress(bytes: withUnsafeBytes(of: &a) { Array($0) })) }
                    } else if entry.ai_family == AF_INET6, let raw = entry.ai_addr {
                        raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { var a = $0.pointee.sin6_addr; found.append(IPAddress(bytes: withUnsafeBytes(of: &a) { Array($0) })) }
                    }
                    next = entry.ai_next
                }
                var unique: [IPAddress] = []
                for address in found where !unique.contains(address) { unique.append(address) }
                continuation.resume(returning: unique)
            }
        }
    }

    /// The IANA special-purpose range an address falls in, named for the
    /// reader; nil for a global unicast address.
    static func specialRange(_ address: IPAddress) -> String? {
        let b = address.bytes
        if b.count == 4 { return specialIPv4(b) }
        guard b.count == 16 else { return "not an IP address" }
        let prefix10 = b[0..<10].allSatisfy { $0 == 0 }
        if prefix10 && b[10] == 0xff && b[11] == 0xff {
            return specialIPv4(Array(b[12..<16])).map { "an IPv4-mapped address of \($0)" }
        }
        if b.allSatisfy({ $0 == 0 }) { return "the unspecified address" }
        if b[0..<15].allSatisfy({ $0 == 0 }) && b[15] == 1 { return loopback }
        // NAT64 (64:ff9b::/96) reaches the IPv4 address it embeds: judged by that.
        if b[0...3] == [0x00, 0x64, 0xff, 0x9b], b[4..<12].allSatisfy({ $0 == 0 }) {
            return specialIPv4(Array(b[12..<16])).map { "a NAT64 address of \($0)" }
        }
        if b[0...3] == [0x00, 0x64, 0xff, 0x9b] { return "a local-use NAT64 address (64:ff9b:1::/48)" }
        // The rest of ::/8 (IPv4-compatible and reserved) is nowhere on the internet.
        if b[0] == 0 { return "a reserved IPv6 address (::/8, IPv4-compatible)" }
        if b[0] == 0x01, b[1] == 0x00, b[2..<8].allSatisfy({ $0 == 0 }) { return "a discard-only address (100::/64)" }
        if b[0] == 0x20, b[1] == 0x01, b[2] == 0x0d, b[3] == 0xb8 { return "a documentation address (2001:db8::/32)" }
        if b[0] == 0x20, b[1] == 0x01, b[2] < 0x02 { return "an IETF protocol address (2001::/23, Teredo among them)" }
        if b[0] == 0x20, b[1] == 0x02 { return "a 6to4 address (2002::/16)" }
        if b[0] == 0x3f, b[1] == 0xff, b[2] < 0x10 { return "a documentation address (3fff::/20)" }
        if b[0] & 0xfe == 0xfc { return "a private (unique local) address (fc00::/7)" }
        if b[0] == 0xfe, b[1] & 0xc0 == 0x80 { return "a link-local address (fe80::/10)" }
        if b[0] == 0xfe, b[1] & 0xc0 == 0xc0 { return "a site-local address (fec0::/10)" }
        if b[0] == 0xff { return "a multicast address (ff00::/8)" }
        // Only global unicast (2000::/3) is on the internet.
        if b[0] & 0xe0 != 0x20 { return "a reserved IPv6 address (outside 2000::/3)" }
        return nil
    }

    static func specialIPv4(_ b: [UInt8]) -> String? {
        switch (b[0], b[1], b[2]) {
        case (0, _, _): return b == [0, 0, 0, 0] ? "the unspecified address (0.0.0.0)" : "a \"this network\" address (0.0.0.0/8)"
        case (10, _, _): return "a private address (10.0.0.0/8)"
        case (100, 64...127, _): return "a shared (carrier-grade NAT) address (100.64.0.0/10)"
        case (127, _, _): return loopback
        case (169, 254, _): return "a link-local address (169.254.0.0/16, cloud metadata among them)"
        case (172, 16...31, _): return "a private address (172.16.0.0/12)"
        case (192, 0, 0): return "an IETF protocol address (192.0.0.0/24)"
        case (192, 0, 2), (198, 51, 100), (203, 0, 113): return "a documentation address"
        case (192, 88, 99): return "a 6to4 relay address (192.88.99.0/24)"
        case (192, 168, _): return "a private address (192.168.0.0/16)"
        case (198, 18...19, _): return "a benchmarking address (198.18.0.0/15)"
        case (224...239, _, _): return "a multicast address (224.0.0.0/4)"
        case (240...255, _, _): return b == [255, 255, 255, 255] ? "the broadcast address" : "a reserved address (240.0.0.0/4)"
        default: return nil
        }
    }
}
