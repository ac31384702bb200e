import ArgumentParser
import Config

/// A command-line duration (`5m`, `30s`, `1h30m`, or seconds), as kubectl takes `--timeout` and `--request-timeout`.
struct DurationArgument: ExpressibleByArgument, CustomStringConvertible, Sendable {
    let seconds: Double

    init(seconds: Double) { self.seconds = seconds }

    init?(argument: String) {
        guard let seconds = DurationText.seconds(argument) else { return nil }
        self.seconds = seconds
    }

    var description: String { DurationText.format(seconds) }
    var defaultValueDescription: String { description }
}
