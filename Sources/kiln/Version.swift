import ArgumentParser
import Config
import Foundation

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print kiln's version and the config schema it reads.")

    @OptionGroup var output: OutputOptions

    func run() {
        if output.format == .json {
            printJSON(["version": KilnVersion.current, "schema": InstallConfigSchema.currentVersion])
        } else {
            print("kiln \(KilnVersion.current) (install-config schema \(InstallConfigSchema.currentVersion))")
        }
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
}
