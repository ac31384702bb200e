/// Install order from release dependencies: a release comes after everything it depends on that is installed.
/// Ties break by name, so the order never depends on the catalog's order.
public enum DependencyGraph {
    /// Topological order of `releases` (Kahn's algorithm, taking the ready release first in name order).
    /// Dependencies outside the set are ignored.
    public static func order(_ releases: [Release]) -> [Release] {
        let sorted = releases.sorted { $0.name < $1.name }
        let index = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1.name, $0) })
        var waitingOn = [Int](repeating: 0, count: sorted.count)
        var dependents = [[Int]](repeating: [], count: sorted.count)
        for (i, release) in sorted.enumerated() {
            for dependency in release.dependencies {
                guard let d = index[dependency] else { continue }
                waitingOn[i] += 1
                dependents[d].append(i)
            }
        }
        var done = [Bool](repeating: false, count: sorted.count)
        var ordered: [Release] = []
        ordered.reserveCapacity(sorted.count)
        while ordered.count < sorted.count {
            // Indices are in name order, so the first ready one is the first by name.
            guard let next = waitingOn.indices.first(where: { !done[$0] && waitingOn[$0] == 0 }) else {
                // A cycle (the catalog tests forbid one): keep going in name order rather than drop releases.
                ordered += sorted.indices.filter { !done[$0] }.map { sorted[$0] }
                break
            }
            done[next] = true
            ordered.append(sorted[next])
            for dependent in dependents[next] { waitingOn[dependent] -= 1 }
        }
        return ordered
    }

    /// A dependency cycle among `releases`, if there is one (as release names, first repeated last).
    public static func cycle(in releases: [Release]) -> [String]? {
        let byName = Dictionary(uniqueKeysWithValues: releases.map { ($0.name, $0) })
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        var stack: [String] = []
        func visit(_ name: String) -> [String]? {
            if state[name] == 2 { return nil }
            if state[name] == 1 { return Array(stack.drop { $0 != name }) + [name] }
            state[name] = 1
            stack.append(name)
            for dependency in byName[name]?.dependencies ?? [] where byName[dependency] != nil {
                if let found = visit(dependency) { return found }
            }
            stack.removeLast()
            state[name] = 2
            return nil
        }
        for name in byName.keys.sorted() {
            if let found = visit(name) { return found }
        }
        return nil
    }
}
