import Apply
import Testing

struct LineDiffTests {
    @Test func hunksCarryLineNumbersAndRemovalsComeFirst() {
        let old = (1...10).map { "line \($0)" }.joined(separator: "\n") + "\n"
        let new = old.replacingOccurrences(of: "line 5\n", with: "line five\n") + "line 11\n"
        let diff = LineDiff.unified(old, new, oldName: "a", newName: "b")
        #expect(diff == """
            --- a
            +++ b
            @@ -2,9 +2,10 @@
             line 2
             line 3
             line 4
            -line 5
            +line five
             line 6
             line 7
             line 8
             line 9
             line 10
            +line 11

            """)
        #expect(LineDiff.unified(old, old, oldName: "a", newName: "b").isEmpty)
    }

    @Test func aCreatedFileIsOneHunkFromNothing() {
        #expect(LineDiff.unified("", "x\ny\n", oldName: "/dev/null", newName: "b") == "--- /dev/null\n+++ b\n@@ -0,0 +1,2 @@\n+x\n+y\n")
    }
}
