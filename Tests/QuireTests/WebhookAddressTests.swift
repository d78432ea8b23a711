import Foundation
import ReaderActions
import Testing

/// The webhook address check: https only, public addresses only, judged
/// after resolution, whatever the spelling. No case here needs the network:
/// every host is an IP literal or `localhost`.
@Suite struct WebhookAddressTests {
    static let strict = WebhookAddressCheck()
    static let forTests = WebhookAddressCheck(allowInsecureLoopback: true)

    /// Every SSRF case the issue lists, and more, refused without the test flag.
    @Test(arguments: [
        ("https://127.0.0.1/hook", "127.0.0.1 is a loopback address"),
        ("https://127.8.9.10/hook", "127.8.9.10 is a loopback address"),
        ("https://10.0.0.1/hook", "10.0.0.1 is a private address (10.0.0.0/8)"),
        ("https://10.255.255.255/", "10.255.255.255 is a private address (10.0.0.0/8)"),
        ("https://172.16.0.1/", "172.16.0.1 is a private address (172.16.0.0/12)"),
        ("https://172.31.255.254/", "172.31.255.254 is a private address (172.16.0.0/12)"),
        ("https://192.168.1.1/", "192.168.1.1 is a private address (192.168.0.0/16)"),
        ("https://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address (169.254.0.0/16, cloud metadata among them)"),
        ("https://100.64.0.1/", "100.64.0.1 is a shared (carrier-grade NAT) address (100.64.0.0/10)"),
        ("https://100.127.255.255/", "100.127.255.255 is a shared (carrier-grade NAT) address (100.64.0.0/10)"),
        ("https://0.0.0.0/", "0.0.0.0 is the unspecified address (0.0.0.0)"),
        ("https://224.0.0.1/", "224.0.0.1 is a multicast address (224.0.0.0/4)"),
        ("https://255.255.255.255/", "255.255.255.255 is the broadcast address"),
        ("https://198.18.0.1/", "198.18.0.1 is a benchmarking address (198.18.0.0/15)"),
        ("https://[::1]/hook", "::1 is a loopback address"),
        ("https://[::]/hook", ":: is the unspecified address"),
        ("https://[fe80::1]/", "fe80::1 is a link-local address (fe80::/10)"),
        ("https://[febf::1]/", "febf::1 is a link-local address (fe80::/10)"),
        ("https://[fc00::1]/", "fc00::1 is a private (unique local) address (fc00::/7)"),
        ("https://[fd12:3456::1]/", "fd12:3456::1 is a private (unique local) address (fc00::/7)"),
        ("https://[ff02::1]/", "ff02::1 is a multicast address (ff00::/8)"),
        ("https://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1 is an IPv4-mapped address of a loopback address"),
        ("https://[::ffff:10.1.2.3]/", "::ffff:10.1.2.3 is an IPv4-mapped address of a private address (10.0.0.0/8)"),
        ("https://[::ffff:169.254.169.254]/", "::ffff:169.254.169.254 is an IPv4-mapped address of a link-local address (169.254.0.0/16, cloud metadata among them)"),
        ("https://[64:ff9b::7f00:1]/", "64:ff9b::7f00:1 is a NAT64 address of a loopback address"),
        ("https://[2001:db8::1]/", "2001:db8::1 is a documentation address (2001:db8::/32)"),
        ("https://[2002:7f00:1::1]/", "2002:7f00:1::1 is a 6to4 address (2002::/16)"),
        // Spellings the C library reads as 127.0.0.1: judged by what they resolve to.
        ("https://2130706433/", "'2130706433' resolves to 127.0.0.1, a loopback address"),
        ("https://0177.0.0.1/", "'0177.0.0.1' resolves to 127.0.0.1, a loopback address"),
        ("https://0x7f.1/", "'0x7f.1' resolves to 127.0.0.1, a loopback address"),
        ("https://017700000001/", "'017700000001' resolves to 127.0.0.1, a loopback address"),
        ("https://0/", "'0' resolves to 0.0.0.0, the unspecified address (0.0.0.0)"),
    ])
    func specialAddressesAreRefused(_ url: String, _ reason: String) async throws {
        #expect(await Self.problem(url) == reason + ": webhooks go only to public internet addresses")
    }

    /// Why the strict check refuses `url` (nil when it passes).
    static func problem(_ url: String) async -> String? {
        do {
            _ = try await strict.check(url)
            return nil
        } catch {
            return error.description
        }
    }

    /// A name is judged by every address it resolves to: `localhost` is loopback.
    @Test func aNameResolvingToLoopbackIsRefused() async throws {
        await #expect(throws: WebhookAddressCheck.Problem.self) { try await Self.strict.check("https://localhost/hook") }
        let reason = await Self.problem("https://localhost:8443/hook") ?? "passed"
        #expect(reason.hasPrefix("'localhost' resolves to ") && reason.contains("a loopback address"))
    }

    @Test(arguments: [
        ("http://hooks.example.com/x", "webhooks go over https only, not http://"),
        ("http://8.8.8.8/x", "webhooks go over https only, not http://"),
        ("ftp://8.8.8.8/x", "webhooks go over https only, not ftp://"),
        ("hooks.slack.com/services/x", "webhooks go over https only, not an address without https://"),
        ("", "that is not a web address: paste the webhook URL the service gave you, starting with https://"),
        ("https://", "that is not a web address: paste the webhook URL the service gave you, starting with https://"),
        ("https://user:secret@8.8.8.8/x", "a webhook address may not hold a user name or password before the host"),
        ("https://8.8.8.8:0/x", "the port of the webhook address is not a number from 1 to 65535"),
        ("https://8.8.8.8:70000/x", "the port of the webhook address is not a number from 1 to 65535"),
    ])
    func malformedAddressesAreRefusedBeforeAnyLookup(_ url: String, _ reason: String) async throws {
        #expect(await Self.problem(url) == reason)
    }

    @Test func tooLongIsRefused() async throws {
        await #expect(throws: WebhookAddressCheck.Problem.tooLong(2000)) {
            try await Self.strict.check("https://8.8.8.8/" + String(repeating: "a", count: 2000))
        }
    }

    /// Public addresses pass, and the target names the address checked (what the poster connects to).
    @Test func publicAddressesPass() async throws {
        let v4 = try await Self.strict.check("https://8.8.8.8/services/T0/B0/x?y=1")
        #expect(v4 == .init(host: "8.8.8.8", port: 443, useTLS: true, pathAndQuery: "/services/T0/B0/x?y=1", address: "8.8.8.8"))
        let v6 = try await Self.strict.check("https://[2606:4700:4700::1111]:8443/hook")
        #expect(v6.address == "2606:4700:4700::1111" && v6.port == 8443 && v6.useTLS)
        let mapped = try await Self.strict.check("https://[::ffff:8.8.4.4]/")
        #expect(mapped.address == "::ffff:8.8.4.4")
        for address in ["1.1.1.1", "100.63.255.255", "100.128.0.0", "172.15.255.255", "172.32.0.0", "169.253.0.1", "11.0.0.1", "223.255.255.254"] {
            #expect(Self.strict.range(of: try #require(WebhookAddressCheck.IPAddress(address))) == nil, "\(address)")
        }
    }

    /// The test flag allows http and loopback, and nothing else.
    @Test func theTestFlagAllowsLoopbackOnly() async throws {
        let local = try await Self.forTests.check("http://127.0.0.1:8080/hook")
        #expect(local.address == "127.0.0.1" && !local.useTLS && local.port == 8080)
        #expect(try await Self.forTests.check("http://[::1]:9/x").address == "::1")
        for url in ["http://10.0.0.1/", "http://169.254.169.254/", "http://192.168.0.1/", "http://[fe80::1]/", "http://0.0.0.0/", "http://[::ffff:10.0.0.1]/"] {
            await #expect(throws: WebhookAddressCheck.Problem.self, "\(url)") { try await Self.forTests.check(url) }
        }
    }
}
