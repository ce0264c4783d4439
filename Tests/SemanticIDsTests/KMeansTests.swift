import LinearAlgebra
import SeededRandom
import SemanticIDs
import XCTest

final class KMeansTests: XCTestCase {
    func testNearestCentroidMatchesBruteForce() {
        let dim = 7, points = gaussianPoints(1_100, dim: dim, seed: 3), centroids = gaussianPoints(13, dim: dim, seed: 4)
        let (assignments, distances) = points.withUnsafeBufferPointer { p in
            centroids.withUnsafeBufferPointer { NearestCentroid.assign(points: p, centroids: $0, dim: dim) }
        }
        for point in 0..<1_100 {
            let exact = (0..<13).map { c in (0..<dim).reduce(Float(0)) { sum, j in
                let d = points[point * dim + j] - centroids[c * dim + j]
                return sum + d * d
            } }
            let best = exact.indices.min { exact[$0] < exact[$1] }!
            XCTAssertEqual(distances[point], exact[best], accuracy: 1e-3)
            XCTAssertEqual(exact[Int(assignments[point])], exact[best], accuracy: 1e-3, "point \(point)")
        }
    }

    func testTiesGoToTheLowerCentroid() {
        let points: [Float] = [0, 0, 1, 1], centroids: [Float] = [1, 0, 0, 1, 1, 0]
        let (assignments, _) = points.withUnsafeBufferPointer { p in
            centroids.withUnsafeBufferPointer { NearestCentroid.assign(points: p, centroids: $0, dim: 2) }
        }
        XCTAssertEqual(assignments, [0, 0])  // (0,0) is 1 from both; (1,1) is 1 from both (and from the copy)
    }

    func testRecoversWellSeparatedClusters() throws {
        let points = clusteredPoints(clusters: 8, perCluster: 30, dim: 4)
        let result = try points.withUnsafeBufferPointer { try KMeans(.init(clusters: 8)).fit($0, dim: 4) }
        for cluster in 0..<8 {
            let labels = Set(result.assignments[cluster * 30..<(cluster + 1) * 30])
            XCTAssertEqual(labels.count, 1, "cluster \(cluster) was split")
        }
        XCTAssertEqual(Set(result.assignments).count, 8)
        XCTAssertLessThan(result.distances.max()!, 1)
    }

    func testDeterministicForASeed() throws {
        let points = gaussianPoints(500, dim: 6, seed: 9)
        let fit = { (seed: UInt64) in try points.withUnsafeBufferPointer { try KMeans(.init(clusters: 16, seed: seed)).fit($0, dim: 6) } }
        let a = try fit(1), b = try fit(1), c = try fit(2)
        XCTAssertEqual(a.centroids, b.centroids)
        XCTAssertEqual(a.assignments, b.assignments)
        XCTAssertNotEqual(a.centroids, c.centroids)
    }

    func testSampledTrainingStillAssignsEveryPoint() throws {
        let points = gaussianPoints(2_000, dim: 5, seed: 5)
        let result = try points.withUnsafeBufferPointer {
            try KMeans(.init(clusters: 10, maxPointsPerCentroid: 20)).fit($0, dim: 5)
        }
        XCTAssertEqual(result.assignments.count, 2_000)
        XCTAssertEqual(result.centroids.count, 50)
    }

    func testEmptyClustersAreReseededAndIdenticalPointsDoNotTrap() throws {
        // 40 identical points and 10 distinct ones, 16 clusters: many clusters start on the same point.
        var points = [Float](repeating: 1, count: 40 * 3)
        points += gaussianPoints(10, dim: 3, seed: 2)
        let result = try points.withUnsafeBufferPointer { try KMeans(.init(clusters: 16)).fit($0, dim: 3) }
        XCTAssertEqual(result.assignments.count, 50)
        XCTAssertTrue(result.centroids.allSatisfy(\.isFinite))
        // The ten distinct points each sit on a centroid of their own: the clusters seeded on the
        // repeated point are emptied and re-seeded with them.
        XCTAssertEqual(result.distances[40...].max()!, 0, accuracy: 1e-5)
        XCTAssertGreaterThan(result.reseededClusters, 0)
    }

    func testBadSettingsAndInputThrow() {
        let points = gaussianPoints(10, dim: 2, seed: 1)
        XCTAssertThrowsError(try points.withUnsafeBufferPointer { try KMeans(.init(clusters: 1)).fit($0, dim: 2) })
        XCTAssertThrowsError(try points.withUnsafeBufferPointer { try KMeans(.init(clusters: 70_000)).fit($0, dim: 2) })
        XCTAssertThrowsError(try points.withUnsafeBufferPointer { try KMeans(.init(clusters: 11)).fit($0, dim: 2) }) { error in
            XCTAssertEqual("\(error)", "invalid setting: a codebook of 11 codes needs at least 11 items, found 10")
        }
        var bad = points
        bad[3] = .nan
        XCTAssertThrowsError(try bad.withUnsafeBufferPointer { try KMeans(.init(clusters: 2)).fit($0, dim: 2) })
    }
}
