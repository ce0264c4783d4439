import SeededRandom

/// Points around `clusters` well-separated centres, `[clusters * perCluster, dim]`: centre `c` is
/// `10 * e_(c mod dim)` shifted by `c / dim` along the last axis, plus N(0, noise²) per value.
/// Row `c * perCluster + i` belongs to cluster `c`.
func clusteredPoints(clusters: Int, perCluster: Int, dim: Int, noise: Float = 0.1, seed: UInt64 = 1) -> [Float] {
    var random = SplitMix64(seed: seed)
    var points = [Float]()
    for cluster in 0..<clusters {
        var centre = [Float](repeating: 0, count: dim)
        centre[cluster % dim] += 10
        centre[dim - 1] += Float(cluster / dim) * 10
        for _ in 0..<perCluster {
            points += centre.map { $0 + noise * Float(random.nextStandardNormal()) }
        }
    }
    return points
}

/// `count * dim` values from N(0, 1).
func gaussianPoints(_ count: Int, dim: Int, seed: UInt64) -> [Float] {
    var random = SplitMix64(seed: seed)
    return random.normals(count: count * dim, std: 1)
}
