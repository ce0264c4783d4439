import Foundation

/// How far an evaluation has got; passed to the progress callback after every batch.
public struct EvaluationProgress: Sendable {
    /// Cases ranked so far.
    public var casesDone: Int
    /// Cases in the whole evaluation.
    public var totalCases: Int
    /// Seconds since the evaluation started.
    public var elapsedSeconds: Double

    /// A progress snapshot.
    public init(casesDone: Int, totalCases: Int, elapsedSeconds: Double) {
        self.casesDone = casesDone
        self.totalCases = totalCases
        self.elapsedSeconds = elapsedSeconds
    }

    /// Cases ranked per second so far.
    public var casesPerSecond: Double { elapsedSeconds > 0 ? Double(casesDone) / elapsedSeconds : 0 }

    /// Estimated seconds left at the current rate.
    public var secondsLeft: Double {
        casesPerSecond > 0 ? Double(totalCases - casesDone) / casesPerSecond : 0
    }

    /// One line: `"evaluated 2560/6040 users (1234 users/s, ETA 2.8 s)"`.
    public var line: String {
        String(format: "evaluated %d/%d users (%.0f users/s, ETA %.1f s)",
               casesDone, totalCases, casesPerSecond, secondsLeft)
    }

    /// A progress callback that rewrites one line on stderr, ending it when the evaluation is done.
    public static let standardErrorPrinter: @Sendable (EvaluationProgress) -> Void = { progress in
        let end = progress.casesDone == progress.totalCases ? "\n" : ""
        FileHandle.standardError.write(Data("\r\(progress.line)\(end)".utf8))
    }
}
