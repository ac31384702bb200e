/// kiln's own version, printed by `kiln version`.
public enum KilnVersion {
    public static let current = "0.1.0"
}
