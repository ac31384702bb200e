import Apply
import Foundation
import Kube

/// Prints apply events as they happen: on a terminal one line per wave, rewritten in place (applied / ready / total,
/// elapsed); otherwise plain lines, one per wave and per pruned object; with --format json one JSON object per event
/// (for CI logs). Events arrive from parallel tasks, so the printer serialises them.
final class ApplyProgress: @unchecked Sendable {
    enum Style { case live, plain, json }

    private let style: Style
    private let lock = NSLock()
    private var wave = (index: 0, count: 0, name: "", total: 0, applied: 0, ready: 0, start: Date())

    init(format: OutputFormat) {
        style = format == .json ? .json : (isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb" ? .live : .plain)
    }

    /// Progress goes to standard error, so standard output holds only the result (the summary, or JSON lines).
    func record(_ event: ApplyEvent) {
        lock.withLock {
            if style == .json {
                emitJSON(event)
                return
            }
            switch event {
            case let .waveStarted(index, count, name, objects):
                wave = (index, count, name, objects, 0, 0, Date())
                if style == .plain { write("wave \(index)/\(count) \(name): \(objects) objects\n") } else { redraw() }
            case let .applied(ref, change):
                wave.applied += 1
                if change == .immutable || change == .recreated {
                    if style == .live { write("\r\u{1B}[2K") }
                    write(change == .recreated ? "recreated \(ref) (a field that cannot change in place changed)\n"
                          : "warning: \(ref): a field that cannot change in place would change; apply needs --force, which deletes and recreates it\n")
                }
                if style == .live { redraw() }
            case .ready:
                wave.ready += 1
                if style == .live { redraw() }
            case let .waveFinished(index, name, seconds):
                if style == .live { redraw(); write("\n") } else {
                    write("wave \(index)/\(wave.count) \(name): \(wave.applied) applied, ready in \(Self.seconds(seconds))\n")
                }
            case .willPrune(let refs):
                write("pruning \(refs.count) object(s) no longer in the config:\n" + refs.map { "  \($0)\n" }.joined())
            case .pruned(let ref):
                write("pruned \(ref)\n")
            case let .generated(ref, keys):
                if style == .live { write("\r\u{1B}[2K") }
                write("generated \(keys.joined(separator: ", ")) in \(ref) (once; read it with kubectl get secret)\n")
                if style == .live { redraw() }
            }
        }
    }

    private func redraw() {
        let elapsed = Self.seconds(Date().timeIntervalSince(wave.start))
        write("\r\u{1B}[2Kwave \(wave.index)/\(wave.count) \(wave.name): applied \(wave.applied)/\(wave.total), "
              + "ready \(wave.ready)/\(wave.total), \(elapsed)")
    }

    /// One line of `--format json` progress; absent fields are left out.
    struct EventLine: Encodable {
        var event: String
        var wave: Int?
        var waves: Int?
        var name: String?
        var objects: Int?
        var object: String?
        var change: String?
        var seconds: Double?
        var prune: [String]?
        var keys: [String]?
    }

    private func emitJSON(_ event: ApplyEvent) {
        var line: EventLine
        switch event {
        case let .waveStarted(index, count, name, objects):
            line = EventLine(event: "waveStarted", wave: index, waves: count, name: name, objects: objects)
        case let .applied(ref, change): line = EventLine(event: "applied", object: ref.description, change: change.rawValue)
        case .ready(let ref): line = EventLine(event: "ready", object: ref.description)
        case let .waveFinished(index, name, seconds):
            line = EventLine(event: "waveFinished", wave: index, name: name, seconds: (seconds * 1000).rounded() / 1000)
        case .willPrune(let refs): line = EventLine(event: "willPrune", prune: refs.map(\.description))
        case .pruned(let ref): line = EventLine(event: "pruned", object: ref.description)
        case let .generated(ref, keys): line = EventLine(event: "generated", object: ref.description, keys: keys)
        }
        printJSON(line, pretty: false)
    }

    private func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }

    static func seconds(_ value: Double) -> String { String(format: "%.1fs", value) }
}
