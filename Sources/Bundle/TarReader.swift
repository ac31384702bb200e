/// Reads a tar stream entry by entry without extracting it: for each file, a callback gets its name and its bytes in
/// chunks. Understands ustar, pax extended headers (`path`, `size`) and GNU long names, which is what kiln and the
/// usual tools write.
enum TarReader {
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    /// Calls `file(name)` for each regular file; the returned closure, if any, receives its bytes.
    static func read(_ input: ChainedReader, file: (String) throws -> ((UnsafeRawBufferPointer) -> Void)?) throws {
        let header = UnsafeMutableRawBufferPointer.allocate(byteCount: TarHeader.block, alignment: 16)
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: FileChunks.size, alignment: 16)
        defer { header.deallocate(); chunk.deallocate() }
        var pending: [String: String] = [:]
        var longName: String?
        while true {
            guard try input.readExactly(TarHeader.block, into: header) else { throw Malformed(description: "the archive ends inside a header") }
            let bytes = Array(header)
            if bytes.allSatisfy({ $0 == 0 }) { return }
            guard verifyChecksum(bytes) else { throw Malformed(description: "a header's checksum is wrong (the archive is corrupt)") }
            var name = longName ?? pending["path"] ?? fullName(bytes)
            let size = try pending["size"].flatMap { Int64($0) } ?? octal(bytes[124..<136])
            let kind = bytes[156]
            longName = nil
            if kind != UInt8(ascii: "x") && kind != UInt8(ascii: "g") && kind != UInt8(ascii: "L") { pending = [:] }
            if name.hasPrefix("./") { name.removeFirst(2) }
            var sink: ((UnsafeRawBufferPointer) -> Void)?
            var collected: [UInt8]?
            switch kind {
            case UInt8(ascii: "x"), UInt8(ascii: "L"): collected = []
            case UInt8(ascii: "0"), 0: sink = try file(name)
            default: break
            }
            var remaining = size + Int64(TarHeader.padding(size))
            var content = size
            while remaining > 0 {
                let n = Int(min(remaining, Int64(chunk.count)))
                guard try input.readExactly(n, into: chunk) else { throw Malformed(description: "the archive ends inside \(name)") }
                let useful = Int(min(content, Int64(n)))
                if useful > 0 {
                    let piece = UnsafeRawBufferPointer(rebasing: chunk[0..<useful])
                    sink?(piece)
                    collected?.append(contentsOf: piece)
                }
                content -= Int64(useful)
                remaining -= Int64(n)
            }
            if kind == UInt8(ascii: "x"), let collected { pending = parsePax(collected) }
            if kind == UInt8(ascii: "L"), let collected { longName = String(decoding: collected.prefix { $0 != 0 }, as: UTF8.self) }
        }
    }

    static func fullName(_ h: [UInt8]) -> String {
        func field(_ range: Range<Int>) -> String { String(decoding: h[range].prefix { $0 != 0 }, as: UTF8.self) }
        let name = field(0..<100)
        let isUstar = h[257..<262].elementsEqual("ustar".utf8)
        let prefix = isUstar ? field(345..<500) : ""
        return prefix.isEmpty ? name : "\(prefix)/\(name)"
    }

    static func octal(_ field: ArraySlice<UInt8>) throws -> Int64 {
        // GNU base-256 for sizes beyond the octal field.
        if let first = field.first, first & 0x80 != 0 {
            return field.dropFirst().reduce(Int64(first & 0x7f)) { $0 << 8 | Int64($1) }
        }
        let digits = field.filter { $0 >= 0x30 && $0 <= 0x37 }
        guard !digits.isEmpty, let value = Int64(String(decoding: digits, as: UTF8.self), radix: 8) else {
            throw Malformed(description: "a header's size field is not a number")
        }
        return value
    }

    static func verifyChecksum(_ h: [UInt8]) -> Bool {
        var sum: Int64 = 0
        for (i, b) in h.enumerated() { sum += (148..<156).contains(i) ? 0x20 : Int64(b) }
        return (try? octal(h[148..<156])) == sum
    }

    static func parsePax(_ bytes: [UInt8]) -> [String: String] {
        var records: [String: String] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            guard let space = line.firstIndex(of: " "), let equals = line.firstIndex(of: "=") else { continue }
            records[String(line[line.index(after: space)..<equals])] = String(line[line.index(after: equals)...])
        }
        return records
    }
}
