#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The key rate limits count a client under.
///
/// - Behind a proxy (`--trust-proxy`), the address is the last entry of
///   `X-Forwarded-For`: the one the proxy itself appended. Entries before it
///   were written by the client and can be anything.
/// - An IPv6 client usually owns a whole /64, so it is counted as one.
/// - Anything that is not an IP address counts under one shared key, so a
///   header cannot mint unlimited keys.
enum ClientAddress {
    static func key(remote: String?, forwardedFor: [String], trustProxy: Bool) -> String {
        if trustProxy, let header = forwardedFor.last,
           let hop = header.split(separator: ",").last?.trimmingCharacters(in: [" ", "\t"]) {
            return normalized(hop)
        }
        return remote.map(normalized) ?? "local"
    }

    /// "203.0.113.9" as it is; "2001:db8:1:2:3:4:5:6" as "2001:db8:1:2::/64";
    /// "::ffff:203.0.113.9" as "203.0.113.9"; anything else as "invalid".
    static func normalized(_ text: String) -> String {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return text }
        var v6 = in6_addr()
        guard text.utf8.count <= 64, inet_pton(AF_INET6, text, &v6) == 1 else { return "invalid" }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            return bytes[12..<16].map { String($0) }.joined(separator: ".")
        }
        let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
        return groups.joined(separator: ":") + "::/64"
    }
}
