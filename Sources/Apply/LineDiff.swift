/// A unified diff of two texts, line by line (longest common subsequence), with three lines of context and
/// `@@ -a,b +c,d @@` hunk headers, as diff(1) and `kubectl diff` print them.
public enum LineDiff {
    public static func unified(_ old: String, _ new: String, oldName: String, newName: String, context: Int = 3) -> String {
        let a = lines(old), b = lines(new)
        guard a != b else { return "" }
        // LCS table, from the end.
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        // Each op with the line numbers (0-based) it sits at in both texts.
        enum Mark: Character { case same = " ", removed = "-", added = "+" }
        var ops: [(mark: Mark, line: String, i: Int, j: Int)] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] { ops.append((.same, a[i], i, j)); i += 1; j += 1 }
            // Removals before additions, as diff(1) prints them.
            else if i < a.count, j == b.count || table[i + 1][j] >= table[i][j + 1] { ops.append((.removed, a[i], i, j)); i += 1 }
            else { ops.append((.added, b[j], i, j)); j += 1 }
        }
        var out = "--- \(oldName)\n+++ \(newName)\n"
        let changed = ops.indices.filter { ops[$0].mark != .same }
        var k = 0
        while k < changed.count {
            let start = max(0, changed[k] - context)
            var end = min(ops.count, changed[k] + context + 1)
            while k + 1 < changed.count, changed[k + 1] - context <= end {
                k += 1
                end = min(ops.count, changed[k] + context + 1)
            }
            let hunk = ops[start..<end]
            let oldCount = hunk.filter { $0.mark != .added }.count, newCount = hunk.filter { $0.mark != .removed }.count
            out += "@@ -\(range(hunk.first!.i, oldCount)) +\(range(hunk.first!.j, newCount)) @@\n"
            for op in hunk { out += String(op.mark.rawValue) + op.line + "\n" }
            k += 1
        }
        return out
    }

    static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// `start,count` with 1-based start; an empty range names the line before it, as diff(1) does.
    static func range(_ start: Int, _ count: Int) -> String {
        count == 0 ? "\(start),0" : "\(start + 1),\(count)"
    }
}
