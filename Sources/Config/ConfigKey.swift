import Schema

/// A key of schema 1.14 with the type its value is read as: `ConfigKey<Bool>.sslEnabled`, written `.sslEnabled` where
/// the type is known (`config.bool(.sslEnabled)`). Every key has one (`InstallConfigKeys.swift`, generated from the
/// schema; `ConfigKeyTests` checks it is complete), so a misspelt key is a compile error instead of a silent default.
public struct ConfigKey<Value>: Sendable, CustomStringConvertible {
    /// The dotted path, as `kiln explain` and diagnostics write it.
    public let path: String

    public init(_ path: String) { self.path = path }

    public var description: String { path }
}

/// A section with named keys (`email_notifications`): present or not, and its keys.
public enum Section {}
/// A free-form mapping (`global_pod_labels`, `image_building.registries`).
public enum ConfigMapping {}

extension ConfigView {
    public func bool(_ key: ConfigKey<Bool>) -> Bool { bool(key.path) }
    public func string(_ key: ConfigKey<String>) -> String? { string(key.path) }
    public func filled(_ key: ConfigKey<String>) -> String? { filled(key.path) }
    public func number(_ key: ConfigKey<Double>) -> Double? { number(key.path) }
    public func list(_ key: ConfigKey<[Instance]>) -> [Instance] { list(key.path) }
    public func instance<T>(_ key: ConfigKey<T>) -> Instance? { instance(key.path) }
    public func has<T>(_ key: ConfigKey<T>) -> Bool { has(key.path) }
    public func isNull<T>(_ key: ConfigKey<T>) -> Bool { isNull(key.path) }

    public func map(_ key: ConfigKey<ConfigMapping>) -> [String: String] { map(key.path) }
}
