import Dispatch
import LinearAlgebra

extension IALS {
    /// `fixedᵀ fixed + λI`, `[factors, factors]`.
    func regularizedGram(_ fixed: Matrix) -> Matrix {
        var gram = Matrix.gram(fixed)
        for i in 0..<gram.rows { gram[i, i] += config.regularization }
        return gram
    }

    /// One half-step: every row of `solved` (`[interactions.rowCount, factors]`) becomes the exact
    /// minimiser given the `fixed` factors, in parallel over chunks of rows.
    func solveRows(of solved: inout Matrix, interactions: SparseRows, fixed: Matrix) throws {
        let gram = regularizedGram(fixed)
        let k = config.factors
        let alpha = config.alpha
        let rowCount = interactions.rowCount
        let chunkCount = min(rowCount, 64)
        var firstError: Error?
        let errorLock = DispatchQueue(label: "ials.solve-error")
        solved.values.withUnsafeMutableBufferPointer { output in
            let base = output.baseAddress!
            DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                var workspace = RowSolveWorkspace(factors: k)
                for r in stride(from: chunk, to: rowCount, by: chunkCount) {
                    do {
                        try workspace.solve(row: interactions.row(r), fixed: fixed, gram: gram, alpha: alpha, into: base + r * k)
                    } catch {
                        errorLock.sync { firstError = firstError ?? error }
                        return
                    }
                }
            }
        }
        if let firstError { throw firstError }
    }

    /// The training objective `Σ c_ui (p_ui - x_uᵀy_i)² + λ(|X|² + |Y|²)` over all user-item pairs,
    /// as `Σ_u x_uᵀ(YᵀY)x_u + Σ_observed [(1+α)(1 - s)² - s²] + λ(|X|² + |Y|²)` with `s = x_uᵀy_i`.
    func loss(users x: Matrix, items y: Matrix, interactions: SparseRows) -> Double {
        let k = config.factors
        let itemGram = Matrix.gram(y)
        let projected = Matrix.product(x, itemGram)
        var total = 0.0
        x.values.withUnsafeBufferPointer { xs in
            projected.values.withUnsafeBufferPointer { ps in
                y.values.withUnsafeBufferPointer { ys in
                    for u in 0..<x.rows {
                        let xu = UnsafeBufferPointer(rebasing: xs[u * k..<(u + 1) * k])
                        total += Double(SIMDKernels.dot(xu, UnsafeBufferPointer(rebasing: ps[u * k..<(u + 1) * k])))
                        for i in interactions.row(u) {
                            let s = Double(SIMDKernels.dot(xu, UnsafeBufferPointer(rebasing: ys[Int(i) * k..<(Int(i) + 1) * k])))
                            total += Double(1 + config.alpha) * (1 - s) * (1 - s) - s * s
                        }
                    }
                }
            }
        }
        let squaredNorms = (x.values + y.values).reduce(0.0) { $0 + Double($1) * Double($1) }
        return total + Double(config.regularization) * squaredNorms
    }
}

/// Scratch buffers for one row solve of iALS, reused across rows by one thread.
struct RowSolveWorkspace {
    let factors: Int
    /// The system matrix, `[factors, factors]`.
    private var system: [Float]
    /// Right-hand side, then the solution, `[factors]`.
    private var rightHandSide: [Float]
    /// The fixed factors of the row's interactions, gathered, `[rowLength, factors]`.
    private var gathered: [Float] = []

    init(factors: Int) {
        self.factors = factors
        system = [Float](repeating: 0, count: factors * factors)
        rightHandSide = [Float](repeating: 0, count: factors)
    }

    /// Writes `(gram + α Σ_{j∈row} f_j f_jᵀ)⁻¹ (1 + α) Σ_{j∈row} f_j` to `output` (`[factors]`),
    /// where `f_j` is row j of `fixed` (`[*, factors]`) and `gram` is `fixedᵀfixed + λI`.
    mutating func solve(row: ArraySlice<Int32>, fixed: Matrix, gram: Matrix, alpha: Float,
                        into output: UnsafeMutablePointer<Float>) throws {
        let k = factors
        let length = row.count
        if gathered.count < length * k { gathered = [Float](repeating: 0, count: length * k) }
        system.withUnsafeMutableBufferPointer { _ = $0.update(fromContentsOf: gram.values) }
        rightHandSide.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        guard length > 0 else {
            output.update(repeating: 0, count: k)
            return
        }
        fixed.values.withUnsafeBufferPointer { source in
            gathered.withUnsafeMutableBufferPointer { target in
                rightHandSide.withUnsafeMutableBufferPointer { sum in
                    for (slot, j) in row.enumerated() {
                        let factorRow = UnsafeBufferPointer(rebasing: source[Int(j) * k..<(Int(j) + 1) * k])
                        _ = UnsafeMutableBufferPointer(rebasing: target[slot * k..<(slot + 1) * k]).update(fromContentsOf: factorRow)
                        SIMDKernels.axpy(1 + alpha, factorRow, sum)
                    }
                }
            }
        }
        try system.withUnsafeMutableBufferPointer { a in
            try rightHandSide.withUnsafeMutableBufferPointer { b in
                gathered.withUnsafeBufferPointer { g in
                    SIMDKernels.addScaledGram(alpha, of: g.baseAddress!, count: length, n: k, into: a.baseAddress!)
                }
                try SIMDKernels.choleskySolve(a.baseAddress!, n: k, b.baseAddress!)
            }
        }
        rightHandSide.withUnsafeBufferPointer { output.update(from: $0.baseAddress!, count: k) }
    }
}
