/// Install order from release dependencies: a release comes after everything it depends on that is installed.
/// Ties break by name, so the order never depends on the catalog's order.
public enum DependencyGraph {
    /// Topological order of `releases`, level by level: first every release with nothing to wait for, in name order,
    /// then every release that waited only on those, and so on. Dependencies outside the set are ignored.
    public static func order(_ releases: [Release]) -> [Release] {
        levels(releases).flatMap { $0 }
    }

    /// The levels themselves (Kahn's algorithm, one round per level).
    public static func levels(_ releases: [Release]) -> [[Release]] {
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
        var levels: [[Release]] = []
        var placed = 0
        while placed < sorted.count {
            // Indices are in name order, so each level comes out in name order.
            let ready = sorted.indices.filter { !done[$0] && waitingOn[$0] == 0 }
            guard !ready.isEmpty else {
                // A cycle (the catalog tests forbid one): keep going in name order rather than drop releases.
                levels.append(sorted.indices.filter { !done[$0] }.map { sorted[$0] })
                break
            }
            for i in ready { done[i] = true }
            for i in ready { for dependent in dependents[i] { waitingOn[dependent] -= 1 } }
            levels.append(ready.map { sorted[$0] })
            placed += ready.count
        }
        return levels
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
