import ArgumentParser
import Bundle
import Foundation

struct BundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Offline bundles: create one from the registries, check it, push it into a private registry.",
        subcommands: [BundleCreateCommand.self, BundleVerify.self, BundlePushCommand.self]
    )
}

struct BundleVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a bundle: part checksums, the tar checksum, and the digest of every blob.",
        discussion: """
            DIR is a bundle directory (docker-images-<version>.tar or its parts .tar00, .tar01…, the .sha256sum files, \
            an OCI image layout in a subdirectory) or an OCI image layout itself. TAR is a docker-images-<version>.tar, \
            checked against the .sha256sum beside it. A tar (or the parts, in order) is read once, as a stream, never \
            extracted: its checksum and every blob inside it (blobs/sha256/<hex> must hash to <hex>) are checked in the \
            same pass. A layout's blobs are hashed one by one, and every blob its index and manifests refer to must be \
            there.

            Exit 0 when everything is intact; exit 1 naming the first corrupt file (a part before the tar it breaks, \
            the tar before a blob inside it) and listing every problem.
            """
    )

    @Argument(help: ArgumentHelp("The bundle directory, layout or tar.", valueName: "dir|tar"))
    var path: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        let report: VerifyReport
        do { report = try BundleVerifier.verify(path) } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
        if output.format == .json {
            printJSON(report)
        } else if report.intact {
            print("intact: \(report.blobs) blob(s) checked in \(report.checked.joined(separator: ", "))")
        }
        guard let first = report.firstCorrupt else { return }
        if output.format == .text {
            printError("corrupt: \(first.file)")
            for problem in report.problems { FileHandle.standardError.write(Data("  \(problem)\n".utf8)) }
        }
        throw ExitCode(1)
    }
}
