import Foundation

/// Where an export stands, reported after every block the writer finishes and once per reused part.
public struct ExportProgress: Sendable {
    /// Users of this shard done so far (computed or found finished), and in total.
    public var usersDone: Int
    public var usersTotal: Int
    /// Users found in finished parts of an earlier run (not recomputed).
    public var usersReused: Int
    /// Seconds since the export started.
    public var elapsedSeconds: Double

    /// Users computed per second in this run.
    public var usersPerSecond: Double {
        elapsedSeconds > 0 ? Double(usersDone - usersReused) / elapsedSeconds : 0
    }

    /// Seconds left at the current rate, nil before the first block.
    public var etaSeconds: Double? {
        usersPerSecond > 0 ? Double(usersTotal - usersDone) / usersPerSecond : nil
    }
}

/// The outcome of a finished export of one shard.
public struct ExportSummary: Sendable {
    /// The manifest written (or found complete).
    public var manifest: ExportManifest
    /// Where it is.
    public var manifestURL: URL
    /// Parts computed by this run and parts reused from an earlier one.
    public var partsWritten: Int
    public var partsReused: Int
    /// Users computed by this run.
    public var usersComputed: Int
    /// Wall-clock seconds of this run.
    public var seconds: Double
}

/// The number of cores to spread work over.
enum ProcessInfoCores {
    static let active = max(1, ProcessInfo.processInfo.activeProcessorCount)
}
