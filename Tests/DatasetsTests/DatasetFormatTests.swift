import Datasets
import XCTest

final class DatasetFormatTests: XCTestCase {
    func testDetectsDirectories() throws {
        let expected: [(String, DatasetFormat)] = [
            ("ml-100k", .movielens100k), ("ml-1m", .movielens1m), ("ml-csv", .movielensCSV), ("ml-csv-gz", .movielensCSV),
            ("amazon-2014", .amazon2014), ("amazon-2018", .amazon2018), ("amazon-2023", .amazon2023), ("recbole", .recbole),
            ("lc-rec", .lcRec), ("lc-rec-gz", .lcRec),
        ]
        for (directory, format) in expected {
            XCTAssertEqual(try DatasetFormat.detect(path: Fixture.path(directory)), format, directory)
        }
    }

    func testDetectsSingleFiles() throws {
        let expected: [(String, DatasetFormat)] = [
            ("ml-100k/u.data", .movielens100k), ("ml-1m/ratings.dat", .movielens1m), ("ml-csv-gz/ratings.csv.gz", .movielensCSV),
            ("amazon-2014/reviews_Toys_5.json", .amazon2014), ("amazon-2014/meta_Toys.json", .amazon2014),
            ("amazon-2018/Toys_5.json", .amazon2018), ("amazon-2023/Toys.jsonl", .amazon2023), ("recbole/tiny.inter", .recbole),
            ("lc-rec/Shop.inter.json", .lcRec), ("lc-rec-gz/Shop.inter.json.gz", .lcRec),
        ]
        for (file, format) in expected {
            XCTAssertEqual(try DatasetFormat.detect(path: Fixture.path(file)), format, file)
        }
    }

    func testUnknownLayoutIsAnError() throws {
        let directory = try makeTemporaryDirectory(self)
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: "\(directory)/notes.txt"))
        assertDatasetError(try DatasetFormat.detect(path: directory),
                           "\(directory): cannot detect the data set format: expected u.data, *.dat, *.csv, *.inter, LC-Rec *.inter.json or Amazon *.json/*.jsonl files; pass the format explicitly")
    }

    func testRawValuesAreCommandLineValues() {
        XCTAssertEqual(DatasetFormat.allCases.map(\.rawValue), [
            "movielens-100k", "movielens-1m", "movielens-csv", "amazon-2014", "amazon-2018", "amazon-2023", "recbole", "lc-rec",
        ])
        for format in DatasetFormat.allCases { XCTAssertEqual(DatasetFormat(rawValue: format.rawValue), format) }
    }

    func testLCRecFolderNeedsOneInteractionsFile() throws {
        let directory = try makeTemporaryDirectory(self)
        for name in ["A.inter.json", "B.inter.json"] {
            try Data("{\"1\": [1]}\n".utf8).write(to: URL(fileURLWithPath: "\(directory)/\(name)"))
        }
        XCTAssertEqual(try DatasetFormat.detect(path: directory), .lcRec)
        assertDatasetError(try loadDataset(at: directory, name: "bad"),
                           "\(directory): expected one LC-Rec interactions file (*.inter.json) in the directory, found 2: A.inter.json, B.inter.json")
    }
}
