/// The 512-byte ustar header block, and the pax extended header that carries what ustar cannot (a path over 100
/// bytes, a size of 8 GiB or more). Every archive kiln writes is deterministic: mtime 0, uid/gid 0, no user names.
struct TarHeader {
    static let block = 512
    static let ustarSizeLimit: Int64 = 0o77777777777

    enum Kind: UInt8 {
        case file = 0x30        // '0'
        case directory = 0x35   // '5'
        case pax = 0x78         // 'x'
    }

    var name: String
    var size: Int64
    var mode: Int
    var kind: Kind

    /// The blocks for this entry's header: a pax header first when ustar's fields cannot hold it.
    func blocks() -> [UInt8] {
        let nameBytes = Array(name.utf8)
        var records = ""
        if nameBytes.count > 100 { records += Self.paxRecord("path", name) }
        if size > Self.ustarSizeLimit { records += Self.paxRecord("size", String(size)) }
        guard !records.isEmpty else { return ustar(nameBytes, size: size) }
        let content = Array(records.utf8)
        let paxName = Array("PaxHeaders/\(nameBytes.count > 100 ? "long-name" : name)".utf8.prefix(100))
        var out = TarHeader(name: "", size: Int64(content.count), mode: 0o644, kind: .pax).ustar(paxName, size: Int64(content.count))
        out += content + [UInt8](repeating: 0, count: Self.padding(Int64(content.count)))
        out += ustar(Array(nameBytes.prefix(100)), size: min(size, Self.ustarSizeLimit))
        return out
    }

    private func ustar(_ nameField: [UInt8], size: Int64) -> [UInt8] {
        var h = [UInt8](repeating: 0, count: Self.block)
        func put(_ bytes: [UInt8], at offset: Int) { for (i, b) in bytes.enumerated() { h[offset + i] = b } }
        func octal(_ value: Int64, width: Int, at offset: Int) {
            let digits = String(value, radix: 8)
            put(Array((String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits).utf8), at: offset)
        }
        put(nameField, at: 0)
        octal(Int64(mode), width: 8, at: 100)
        octal(0, width: 8, at: 108)          // uid
        octal(0, width: 8, at: 116)          // gid
        octal(size, width: 12, at: 124)
        octal(0, width: 12, at: 136)         // mtime
        h[156] = kind.rawValue
        put(Array("ustar\0".utf8), at: 257)
        put(Array("00".utf8), at: 263)
        // The checksum is taken with its own field as spaces, then written as six octal digits, NUL, space.
        put([UInt8](repeating: 0x20, count: 8), at: 148)
        let sum = h.reduce(0) { $0 + Int64($1) }
        octal(sum, width: 7, at: 148)
        h[155] = 0x20
        return h
    }

    /// `<length> <key>=<value>\n`, where the length counts itself.
    static func paxRecord(_ key: String, _ value: String) -> String {
        let body = " \(key)=\(value)\n"
        var length = body.utf8.count + 1
        while String(length).count + body.utf8.count != length { length += 1 }
        return "\(length)\(body)"
    }

    static func padding(_ size: Int64) -> Int {
        let rest = Int(size % Int64(block))
        return rest == 0 ? 0 : block - rest
    }
}
