import Schema

/// Which config values are secrets, so that no message, snippet, log or diff shows them.
///
/// The schema marks its secret keys `writeOnly`; this list covers free-form maps (`chart_values`) too. The names are
/// those the reference's telemetry redacts (password, license_key, api_token, secret, token, authToken), plus the
/// storage and client keys of the schema.
public enum SecretKeys {
    static let fragments = ["password", "passwd", "secret", "token", "license_key", "licensekey", "account_key",
                            "accountkey", "private_key", "privatekey", "api_key", "apikey", "credentials"]

    public static func isSecret(_ path: KeyPath) -> Bool {
        guard let key = path.lastKey?.lowercased() else { return false }
        return fragments.contains { key.contains($0) }
    }

    public static func isSecret(key: String) -> Bool {
        isSecret(KeyPath([.key(key)]))
    }
}
