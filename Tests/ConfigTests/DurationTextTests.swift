import Config
import Testing

struct DurationTextTests {
    @Test func readsDurationsAsKubectlWritesThem() {
        #expect(DurationText.seconds("5m") == 300)
        #expect(DurationText.seconds("30s") == 30)
        #expect(DurationText.seconds("1h30m") == 5400)
        #expect(DurationText.seconds("1.5h") == 5400)
        #expect(DurationText.seconds("250ms") == 0.25)
        #expect(DurationText.seconds("2m30s") == 150)
        #expect(DurationText.seconds("90") == 90, "a bare number is seconds, as kiln took before")
    }

    @Test func refusesWhatIsNotADuration() {
        for text in ["", "5x", "m", "-5m", "5 m", "1h-2m", "s5"] {
            #expect(DurationText.seconds(text) == nil, "\(text)")
        }
    }

    @Test func printsTheShortestForm() {
        #expect(DurationText.format(600) == "10m")
        #expect(DurationText.format(5400) == "1h30m")
        #expect(DurationText.format(45) == "45s")
        #expect(DurationText.format(0.25) == "250ms")
        #expect(DurationText.format(0) == "0s")
    }
}
