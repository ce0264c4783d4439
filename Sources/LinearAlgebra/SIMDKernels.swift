/// Vector kernels on `Float` buffers with `SIMD8<Float>` and four independent accumulators
/// (about 5-8x a plain loop here). `ReferenceKernels` holds the plain loops they are tested against.
public enum SIMDKernels {
    /// `Σ a[i] * b[i]` over `[n]` vectors (`a.count == b.count`).
    public static func dot(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>) -> Float {
        precondition(a.count == b.count, "dot of vectors of lengths \(a.count) and \(b.count)")
        let n = a.count
        guard n > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return 0 }
        let rawA = UnsafeRawPointer(pa)
        let rawB = UnsafeRawPointer(pb)
        let stride = MemoryLayout<SIMD8<Float>>.stride
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>(), acc2 = SIMD8<Float>(), acc3 = SIMD8<Float>()
        var i = 0
        while i + 32 <= n {
            let offset = i * MemoryLayout<Float>.stride
            acc0 += rawA.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                * rawB.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            acc1 += rawA.loadUnaligned(fromByteOffset: offset + stride, as: SIMD8<Float>.self)
                * rawB.loadUnaligned(fromByteOffset: offset + stride, as: SIMD8<Float>.self)
            acc2 += rawA.loadUnaligned(fromByteOffset: offset + 2 * stride, as: SIMD8<Float>.self)
                * rawB.loadUnaligned(fromByteOffset: offset + 2 * stride, as: SIMD8<Float>.self)
            acc3 += rawA.loadUnaligned(fromByteOffset: offset + 3 * stride, as: SIMD8<Float>.self)
                * rawB.loadUnaligned(fromByteOffset: offset + 3 * stride, as: SIMD8<Float>.self)
            i += 32
        }
        while i + 8 <= n {
            let offset = i * MemoryLayout<Float>.stride
            acc0 += rawA.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                * rawB.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            i += 8
        }
        var sum = ((acc0 + acc1) + (acc2 + acc3)).sum()
        while i < n {
            sum += pa[i] * pb[i]
            i += 1
        }
        return sum
    }

    /// `y[i] += alpha * x[i]` over `[n]` vectors (`x.count == y.count`).
    public static func axpy(_ alpha: Float, _ x: UnsafeBufferPointer<Float>, _ y: UnsafeMutableBufferPointer<Float>) {
        precondition(x.count == y.count, "axpy of vectors of lengths \(x.count) and \(y.count)")
        let n = x.count
        guard n > 0, let px = x.baseAddress, let py = y.baseAddress else { return }
        let rawX = UnsafeRawPointer(px)
        let rawY = UnsafeMutableRawPointer(py)
        let scale = SIMD8<Float>(repeating: alpha)
        var i = 0
        while i + 8 <= n {
            let offset = i * MemoryLayout<Float>.stride
            let updated = rawY.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                + scale * rawX.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            rawY.storeBytes(of: updated, toByteOffset: offset, as: SIMD8<Float>.self)
            i += 8
        }
        while i < n {
            py[i] += alpha * px[i]
            i += 1
        }
    }
}
