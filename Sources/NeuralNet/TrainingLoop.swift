import Dispatch
import Foundation

/// Epochs of training with early stopping on a validation metric (higher is better, e.g. NDCG@10):
/// after every `validationInterval` epochs the metric is measured; the best epoch's weights are
/// kept in memory (and written as a safetensors checkpoint when `checkpointURL` is set); training
/// stops after `patience` epochs without improvement or at `maxEpochs`, and the best weights are
/// restored.
public struct TrainingLoop: Sendable {
    /// Upper bound on epochs.
    public var maxEpochs: Int
    /// Epochs without a better validation metric before stopping.
    public var patience: Int
    /// Validate every this many epochs (and after the last one).
    public var validationInterval: Int
    /// Where to write the best weights as safetensors, or nil for memory only.
    public var checkpointURL: URL?

    /// A loop with the given limits.
    public init(maxEpochs: Int, patience: Int, validationInterval: Int = 1, checkpointURL: URL? = nil) {
        precondition(maxEpochs > 0 && patience > 0 && validationInterval > 0, "limits must be positive")
        self.maxEpochs = maxEpochs
        self.patience = patience
        self.validationInterval = validationInterval
        self.checkpointURL = checkpointURL
    }

    /// What happened in one epoch.
    public struct Epoch: Codable, Equatable, Sendable {
        /// 1-based epoch number.
        public var epoch: Int
        /// Mean training loss over the epoch.
        public var loss: Double
        /// Validation metric, when validated this epoch.
        public var metric: Double?
        /// Seconds spent training (forward, backward, optimizer).
        public var trainSeconds: Double
        /// Seconds spent validating.
        public var validationSeconds: Double
    }

    /// The outcome of `run`.
    public struct Summary: Codable, Equatable, Sendable {
        /// Every epoch run, in order.
        public var epochs: [Epoch]
        /// The epoch whose weights were restored (0 when validation never improved on -∞).
        public var bestEpoch: Int
        /// Its validation metric.
        public var bestMetric: Double

        /// Epochs run.
        public var epochsRun: Int { epochs.count }
        /// Mean training seconds per epoch.
        public var secondsPerEpoch: Double { epochs.isEmpty ? 0 : epochs.reduce(0) { $0 + $1.trainSeconds } / Double(epochs.count) }
    }

    /// Training in progress: what `advance` has done so far and the best weights seen.
    public struct State: Sendable {
        /// Epochs run so far and the best one.
        public fileprivate(set) var summary = Summary(epochs: [], bestEpoch: 0, bestMetric: -.infinity)
        /// Whether training is over: `patience` ran out or `maxEpochs` were run.
        public fileprivate(set) var isFinished = false
        fileprivate var best: [[Float]]
    }

    /// The state before the first epoch of `parameters` (whose current values count as the best
    /// weights until validation improves on -∞).
    public func start(parameters: [Parameter]) -> State {
        State(best: parameters.snapshot())
    }

    /// Runs up to `epochs` more epochs of `trainEpoch` (given the 1-based epoch, returns its mean
    /// loss), validating with `validate`, and stops early when the loop is finished. The
    /// parameters keep the last epoch's weights (so a later `advance` continues exactly where this
    /// one stopped: advancing by 3 then 5 equals advancing by 8); `finish` restores the best.
    public func advance(_ state: inout State, epochs: Int, parameters: [Parameter], trainEpoch: (Int) throws -> Double,
                        validate: () throws -> Double, onEpoch: ((Epoch) -> Void)? = nil) throws {
        var remaining = epochs
        while remaining > 0 && !state.isFinished {
            remaining -= 1
            let epoch = state.summary.epochsRun + 1
            let trainStart = DispatchTime.now().uptimeNanoseconds
            let loss = try trainEpoch(epoch)
            let validationStart = DispatchTime.now().uptimeNanoseconds
            var record = Epoch(epoch: epoch, loss: loss, metric: nil,
                               trainSeconds: Double(validationStart - trainStart) / 1e9, validationSeconds: 0)
            if epoch % validationInterval == 0 || epoch == maxEpochs {
                let metric = try validate()
                record.metric = metric
                record.validationSeconds = Double(DispatchTime.now().uptimeNanoseconds - validationStart) / 1e9
                if metric > state.summary.bestMetric {
                    state.summary.bestMetric = metric
                    state.summary.bestEpoch = epoch
                    state.best = parameters.snapshot()
                    if let checkpointURL {
                        try Safetensors.write(parameters.safetensorsContents(metadata: ["epoch": String(epoch),
                                                                                        "metric": String(metric)]),
                                              to: checkpointURL)
                    }
                }
            }
            state.summary.epochs.append(record)
            onEpoch?(record)
            state.isFinished = epoch >= maxEpochs || epoch - state.summary.bestEpoch >= patience
        }
    }

    /// Restores the best epoch's weights into `parameters` and returns the summary.
    public func finish(_ state: State, parameters: [Parameter]) -> Summary {
        parameters.restore(state.best)
        return state.summary
    }

    /// Trains `parameters` with `trainEpoch` (given the 1-based epoch, returns its mean loss),
    /// validating with `validate`; leaves the best epoch's weights in `parameters`.
    public func run(parameters: [Parameter], trainEpoch: (Int) throws -> Double, validate: () throws -> Double,
                    onEpoch: ((Epoch) -> Void)? = nil) throws -> Summary {
        var state = start(parameters: parameters)
        try advance(&state, epochs: maxEpochs, parameters: parameters, trainEpoch: trainEpoch, validate: validate,
                    onEpoch: onEpoch)
        return finish(state, parameters: parameters)
    }
}
