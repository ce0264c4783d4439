import SemanticIDs
import XCTest

final class ResidualKMeansTests: XCTestCase {
    func testLevelsRefineTheReconstruction() throws {
        let dim = 8, points = gaussianPoints(600, dim: dim, seed: 11)
        var errors: [Double] = []
        for levels in 1...3 {
            var configuration = ResidualKMeans.Configuration()
            configuration.levels = levels
            configuration.codebookSize = 16
            let fit = try ResidualKMeans(configuration).fit(points, dim: dim)
            let encoding = fit.codebooks.encode(points)
            errors.append(encoding.squaredErrors.reduce(0.0) { $0 + Double($1) })
            // Unnormalised codes decode to x minus the last residual.
            let decoded = fit.codebooks.decode(encoding.codes)
            let residualError = zip(points, decoded).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) }
            XCTAssertEqual(residualError, errors.last!, accuracy: errors.last! * 1e-3)
        }
        XCTAssertLessThan(errors[1], errors[0])
        XCTAssertLessThan(errors[2], errors[1])
    }

    func testSecondLevelQuantisesTheFirstLevelsResidual() throws {
        // Two clusters at ±10 on axis 0, each split by ±1 on axis 1: level 1 finds the clusters,
        // level 2 the split, whatever the cluster.
        var points = [Float]()
        for x in [Float(-10), 10] { for y in [Float(-1), 1] { for _ in 0..<5 { points += [x, y] } } }
        var configuration = ResidualKMeans.Configuration()
        configuration.levels = 2
        configuration.codebookSize = 2
        let fit = try ResidualKMeans(configuration).fit(points, dim: 2)
        let codes = fit.codebooks.encode(points).codes
        XCTAssertEqual(Set((0..<20).map { codes.tuple(of: $0) }).count, 4)
        XCTAssertEqual(codes.tuple(of: 0)[1], codes.tuple(of: 10)[1], "the same split shares its second code across clusters")
        XCTAssertNotEqual(codes.tuple(of: 0)[1], codes.tuple(of: 5)[1])
    }

    func testNormalisedResidualsTrackScales() throws {
        let dim = 6, points = gaussianPoints(300, dim: dim, seed: 4).map { $0 * 5 }
        var configuration = ResidualKMeans.Configuration()
        configuration.codebookSize = 8
        configuration.normalizesResiduals = true
        let fit = try ResidualKMeans(configuration).fit(points, dim: dim)
        let encoding = fit.codebooks.encode(points)
        let relative = encoding.squaredErrors.reduce(0.0) { $0 + Double($1) } / points.reduce(0.0) { $0 + Double($1 * $1) }
        XCTAssertTrue(relative > 0 && relative < 1, "relative squared error \(relative)")
    }

    func testLevelsOutOfRangeThrow() {
        var configuration = ResidualKMeans.Configuration()
        configuration.levels = 9
        XCTAssertThrowsError(try ResidualKMeans(configuration).fit(gaussianPoints(300, dim: 2, seed: 1), dim: 2))
    }
}
