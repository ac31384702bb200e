import Schema

/// Which config values are secrets, so that no message, snippet, log or diff shows them.
///
/// The schema marks its secret keys `writeOnly`; this list covers free-form maps (`chart_values`) too. The names are
/// those the reference's telemetry redacts (password, license_key, api_token, secret, token, authToken), plus the
/// storage and client keys of the schema.
public enum SecretKeys {
    static let fragments: [[UInt8]] = ["password", "passwd", "secret", "token", "license_key", "licensekey",
                                       "account_key", "accountkey", "private_key", "privatekey", "api_key", "apikey",
                                       "credentials"].map { Array($0.utf8) }

    /// Runs for every key of every config, so it compares bytes (ASCII, case-insensitively) rather than going
    /// through Foundation's string search.
    public static func isSecret(_ path: KeyPath) -> Bool {
        guard let key = path.lastKey else { return false }
        var bytes = Array(key.utf8)
        for i in bytes.indices where bytes[i] >= 0x41 && bytes[i] <= 0x5A { bytes[i] |= 0x20 }
        return fragments.contains { fragment in
            guard fragment.count <= bytes.count else { return false }
            for start in 0...(bytes.count - fragment.count) where bytes[start] == fragment[0] {
                if bytes[start..<start + fragment.count].elementsEqual(fragment) { return true }
            }
            return false
        }
    }

    public static func isSecret(key: String) -> Bool {
        isSecret(KeyPath([.key(key)]))
    }
}
