import NeuralNet

/// A recommender whose fitted state can be saved once after `fit` and restored without fitting,
/// so that `llmrec train` fits a model once and `recommend`, `export` and `simulate` serve exactly
/// that model.
///
/// The state is a set of named float32 tensors (safetensors; integers such as item ids and counts
/// are stored as floats, exact below 2²⁴) plus string metadata. It does not include the
/// configuration: the caller rebuilds the model from its configuration, then restores the state.
public protocol PersistentRecommender: Recommender {
    /// Everything `fit` computed that scoring needs. Call only after `fit`.
    func fittedState() throws -> Safetensors.Contents

    /// Restores the state written by `fittedState()` of a model with the same configuration into
    /// this model, which has not been fit; afterwards it scores exactly as the saved model did
    /// (the same scores, bit for bit, for every history).
    /// - Throws: `SafetensorsError.missingTensor` or `.shapeMismatch` naming the tensor when the
    ///   state does not fit this model.
    func restoreFittedState(_ state: Safetensors.Contents) throws
}
