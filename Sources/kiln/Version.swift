import ArgumentParser
import Config
import Foundation

struct Version: ParsableCommand {
    // An explicit name: deriving it from the type takes a reflection pass at every start.
    static let configuration = CommandConfiguration(commandName: "version",
                                                    abstract: "Print kiln's version and the config schema it reads.")

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
