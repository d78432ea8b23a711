import Foundation
import HummingbirdBcrypt

/// bcrypt, off the request threads: a hash at cost 12 takes a quarter of a
/// second of CPU, which must not stall the event loops or the cooperative pool.
public struct PasswordHasher: Sendable {
    public var cost: UInt8
    public init(cost: UInt8) { self.cost = cost }

    /// bcrypt reads at most 72 bytes; longer passwords are refused rather than silently cut.
    public static let maxBytes = 72
    public static let minLength = 10

    public func hash(_ password: String) async -> String {
        let cost = self.cost
        return await Self.offload { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, hash: String) async -> Bool {
        await Self.offload { Bcrypt.verify(password, hash: hash) }
    }

    /// Checks `password` against a real hash made at this hasher's cost, for a
    /// login that names nobody: an unknown username takes as long as a wrong password.
    func verifyDecoy(_ password: String) async {
        let cost = self.cost
        let decoy = await Self.offload { Decoys.shared.hash(cost: cost) }
        _ = await verify(password, hash: decoy)
    }

    /// One decoy hash per cost, made on first use.
    private final class Decoys: @unchecked Sendable { // `lock` guards `hashes`
        static let shared = Decoys()
        private let lock = NSLock()
        private var hashes: [UInt8: String] = [:]
        func hash(cost: UInt8) -> String {
            lock.withLock {
                if let hash = hashes[cost] { return hash }
                let hash = Bcrypt.hash("decoy password that matches nothing", cost: cost)
                hashes[cost] = hash
                return hash
            }
        }
    }

    private static func offload<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }

    /// Nil if the password is acceptable, else the reason to show.
    public static func problem(with password: String) -> String? {
        if password.count < minLength { return "Use a password of at least \(minLength) characters." }
        if password.utf8.count > maxBytes { return "Use a password of at most \(maxBytes) bytes (bcrypt ignores the rest)." }
        return nil
    }
}
