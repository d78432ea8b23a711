/// FNV-1a (64 bits) of a text's UTF-8 bytes: the same on every run and
/// machine, unlike `Hasher`, which is seeded per process. For slugs of
/// unspellable names and for seeding a reader's model.
public func stableHash(_ text: some StringProtocol) -> UInt64 {
    var hash: UInt64 = 0xcbf29ce484222325
    for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
    return hash
}
