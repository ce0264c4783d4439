/// The Hungarian method for a rectangular assignment problem (Kuhn 1955; Munkres 1957), in the
/// shortest-augmenting-path form with potentials, O(rows² · columns).
///
/// Given costs `[rows, columns]` (rows ≤ columns), finds distinct columns for every row with the
/// smallest total cost. Used to give the items that share a code prefix distinct last-level codes.
public enum MinCostAssignment {
    /// The column of every row, `[rows]`, minimising the summed cost; `costs` is `[rows, columns]`
    /// row-major with `rows <= columns`. Ties resolve deterministically (lowest column first).
    public static func solve(costs: [Double], rows: Int, columns: Int) -> [Int] {
        precondition(rows <= columns && costs.count == rows * columns, "costs must be [rows, columns] with rows <= columns")
        guard rows > 0 else { return [] }
        // 1-based arrays as in the textbook formulation; column 0 is the virtual start.
        var rowPotential = [Double](repeating: 0, count: rows + 1)
        var columnPotential = [Double](repeating: 0, count: columns + 1)
        var rowOfColumn = [Int](repeating: 0, count: columns + 1)
        var previousColumn = [Int](repeating: 0, count: columns + 1)
        for row in 1...rows {
            rowOfColumn[0] = row
            var column = 0
            var slack = [Double](repeating: .infinity, count: columns + 1)
            var used = [Bool](repeating: false, count: columns + 1)
            repeat {
                used[column] = true
                let currentRow = rowOfColumn[column]
                var delta = Double.infinity
                var nextColumn = 0
                for j in 1...columns where !used[j] {
                    let reduced = costs[(currentRow - 1) * columns + (j - 1)] - rowPotential[currentRow] - columnPotential[j]
                    if reduced < slack[j] { slack[j] = reduced; previousColumn[j] = column }
                    if slack[j] < delta { delta = slack[j]; nextColumn = j }
                }
                for j in 0...columns {
                    if used[j] {
                        rowPotential[rowOfColumn[j]] += delta
                        columnPotential[j] -= delta
                    } else {
                        slack[j] -= delta
                    }
                }
                column = nextColumn
            } while rowOfColumn[column] != 0
            repeat {
                let previous = previousColumn[column]
                rowOfColumn[column] = rowOfColumn[previous]
                column = previous
            } while column != 0
        }
        var columnOfRow = [Int](repeating: 0, count: rows)
        for j in 1...columns where rowOfColumn[j] != 0 { columnOfRow[rowOfColumn[j] - 1] = j - 1 }
        return columnOfRow
    }
}
