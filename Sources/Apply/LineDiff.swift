/// A unified diff of two texts, line by line (longest common subsequence), with three lines of context.
public enum LineDiff {
    public static func unified(_ old: String, _ new: String, oldName: String, newName: String, context: Int = 3) -> String {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard a != b else { return "" }
        // LCS table, from the end.
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        enum Op { case same(String), removed(String), added(String) }
        var ops: [Op] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] { ops.append(.same(a[i])); i += 1; j += 1 }
            // Removals before additions, as diff(1) prints them.
            else if i < a.count, j == b.count || table[i + 1][j] >= table[i][j + 1] { ops.append(.removed(a[i])); i += 1 }
            else { ops.append(.added(b[j])); j += 1 }
        }
        var out = "--- \(oldName)\n+++ \(newName)\n"
        let changed = ops.indices.filter { if case .same = ops[$0] { return false } else { return true } }
        var k = 0
        while k < changed.count {
            var start = max(0, changed[k] - context)
            var end = min(ops.count, changed[k] + context + 1)
            while k + 1 < changed.count, changed[k + 1] - context <= end {
                k += 1
                end = min(ops.count, changed[k] + context + 1)
            }
            start = max(0, start)
            out += "@@\n"
            for op in ops[start..<end] {
                switch op {
                case .same(let l): out += " " + l + "\n"
                case .removed(let l): out += "-" + l + "\n"
                case .added(let l): out += "+" + l + "\n"
                }
            }
            k += 1
        }
        return out
    }
}
