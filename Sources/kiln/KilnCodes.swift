import Config
import Manifests
import Platform

/// Every code kiln reports, from every module, for `kiln explain CODE` and `--list-codes`.
enum KilnCodes {
    static var all: [CodeExplanation] {
        CodeExplanation.all
            + PlatformCode.summaries.map { CodeExplanation(code: $0.code, summary: $0.summary,
                                                           reference: "admin_guide/configuration/core-catalog.txt", kind: "release catalog") }
            + RenderCode.summaries.map { CodeExplanation(code: $0.code, summary: $0.summary, reference: nil, kind: "render") }
    }

    static func explain(_ code: String) -> CodeExplanation? {
        all.first { $0.code == code.uppercased() }
    }
}
