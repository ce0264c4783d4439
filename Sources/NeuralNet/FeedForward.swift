import SeededRandom

/// The position-wise feed-forward network of a transformer block (Vaswani et al. 2017, §3.3):
/// `Linear(dim -> hidden) -> activation -> dropout -> Linear(hidden -> dim)`.
///
/// Shapes: input and output `[rows, dim]`.
public struct FeedForward {
    /// Expansion, `dim -> hidden`.
    public var expand: Linear
    /// The nonlinearity.
    public var activation: Activation
    /// Dropout after the nonlinearity.
    public var dropout: Dropout
    /// Projection back, `hidden -> dim`.
    public var contract: Linear

    /// A network named `name` (`name.expand`, `name.contract`).
    public init(name: String, dim: Int, hidden: Int, activation: ActivationFunction, dropoutRate: Float,
                random: inout SplitMix64) {
        expand = Linear(name: name + ".expand", inputSize: dim, outputSize: hidden, random: &random)
        self.activation = Activation(activation)
        dropout = Dropout(rate: dropoutRate, seed: random.next())
        contract = Linear(name: name + ".contract", inputSize: hidden, outputSize: dim, random: &random)
    }

    /// The network's parameters.
    public var parameters: [Parameter] { expand.parameters + contract.parameters }

    /// `[rows, dim] -> [rows, dim]`; dropout only when `training`.
    public mutating func forward(_ x: [Float], training: Bool) -> [Float] {
        contract.forward(dropout.forward(activation.forward(expand.forward(x)), training: training))
    }

    /// dLoss/dx from dLoss/dy `[rows, dim]`, accumulating both layers' gradients.
    public mutating func backward(_ dy: [Float]) -> [Float] {
        expand.backward(activation.backward(dropout.backward(contract.backward(dy))))
    }
}
