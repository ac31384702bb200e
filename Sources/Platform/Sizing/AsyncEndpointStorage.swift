import Config

/// The MongoDB and RabbitMQ storage that asynchronous endpoints need, by the reference's formulas.
///
/// The default volumes (MongoDB 100 GiB, RabbitMQ 25 GiB) support the default load (100 endpoints × 5,000 requests a
/// day, 10 KiB documents and messages, kept 2 days), whose need the formulas put at ≈ 10 GiB and ≈ 20 GiB. A volume
/// grows by what a larger load needs beyond the default's, rounded up to a whole GiB; a smaller load keeps the default.
public struct AsyncEndpointStorage: Sendable, Equatable {
    public var endpoints: Double = 100
    public var requestsPerEndpointPerDay: Double = 5000
    public var documentSize: Memory = Memory(bytes: 10 << 10)
    public var documentRetentionDays: Double = 2
    public var requestMessageSize: Memory = Memory(bytes: 10 << 10)
    public var responseMessageSize: Memory = Memory(bytes: 10 << 10)
    public var requestQueueRetentionDays: Double = 2
    public var responseQueueRetentionDays: Double = 2

    public static let mongoDefaultVolume = Memory.gi(100)
    public static let rabbitDefaultVolume = Memory.gi(25)
    public static let defaults = AsyncEndpointStorage()

    public init() {}

    /// The load from `sizing.async_endpoints` (defaults for what it leaves out).
    public init(_ config: ConfigView) {
        let p = "sizing.async_endpoints."
        func number(_ key: String, _ fallback: Double) -> Double { config.number(p + key) ?? fallback }
        func size(_ key: String, _ fallback: Memory) -> Memory { config.string(p + key).flatMap(Memory.init) ?? fallback }
        endpoints = number("endpoints", endpoints)
        requestsPerEndpointPerDay = number("requests_per_endpoint_per_day", requestsPerEndpointPerDay)
        documentSize = size("document_size", documentSize)
        documentRetentionDays = number("document_retention_days", documentRetentionDays)
        requestMessageSize = size("request_message_size", requestMessageSize)
        responseMessageSize = size("response_message_size", responseMessageSize)
        requestQueueRetentionDays = number("request_queue_retention_days", requestQueueRetentionDays)
        responseQueueRetentionDays = number("response_queue_retention_days", responseQueueRetentionDays)
    }

    /// endpoints × documents per endpoint per day (= requests) × document size × retention.
    public var mongoBytes: Double {
        endpoints * requestsPerEndpointPerDay * Double(documentSize.bytes) * documentRetentionDays
    }

    /// request input queue + response output queue (one response per request).
    public var rabbitBytes: Double {
        endpoints * requestsPerEndpointPerDay * Double(requestMessageSize.bytes) * requestQueueRetentionDays
            + endpoints * requestsPerEndpointPerDay * Double(responseMessageSize.bytes) * responseQueueRetentionDays
    }

    public var mongoVolume: Memory { Self.grow(Self.mongoDefaultVolume, need: mongoBytes, covered: Self.defaults.mongoBytes) }
    public var rabbitVolume: Memory { Self.grow(Self.rabbitDefaultVolume, need: rabbitBytes, covered: Self.defaults.rabbitBytes) }

    static func grow(_ base: Memory, need: Double, covered: Double) -> Memory {
        guard need > covered else { return base }
        return Memory(bytes: base.bytes + Int64((need - covered).rounded(.up))).roundedUpToGi
    }
}
