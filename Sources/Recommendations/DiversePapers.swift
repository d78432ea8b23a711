import Foundation
import QuireCore

/// A few papers that cover a set rather than its densest part: for the
/// onboarding of a new reader ("pick 5 papers you like"), so that a reader
/// of any field finds something of theirs. k-means over the papers' vectors,
/// then the paper nearest each cluster's centre, largest cluster first.
extension Recommender {
    /// `count` papers among `ids` (those with a vector), seeded: the same set gives the same picks.
    public func diverse(_ ids: [String], count: Int, iterations: Int = 12) -> [String] {
        let dimension = index.dimension
        return index.withVectors { _, rows, matrix in
            let members = Array(Set(ids.compactMap { id in rows[id].map { _ in id } })).sorted()
            let k = min(count, members.count)
            guard k > 0 else { return [] }
            func vector(_ i: Int) -> UnsafeBufferPointer<Float> {
                let row = rows[members[i]] ?? 0
                return UnsafeBufferPointer(rebasing: matrix[row * dimension..<(row + 1) * dimension])
            }
            func distance(_ i: Int, _ centre: [Float]) -> Float {
                let v = vector(i)
                var sum: Float = 0
                for j in 0..<dimension { let d = v[j] - centre[j]; sum += d * d }
                return sum
            }
            // k-means++ seeding: each next centre far from the ones chosen.
            var generator = SeededGenerator(state: stableHash(members.joined(separator: "\n")))
            var centres = [Array(vector(Int.random(in: 0..<members.count, using: &generator)))]
            var nearest = (0..<members.count).map { distance($0, centres[0]) }
            while centres.count < k {
                let total = nearest.reduce(0, +)
                var target = Float.random(in: 0..<max(total, .leastNormalMagnitude), using: &generator)
                var chosen = members.count - 1
                for (i, d) in nearest.enumerated() { target -= d; if target <= 0 { chosen = i; break } }
                centres.append(Array(vector(chosen)))
                for i in nearest.indices { nearest[i] = min(nearest[i], distance(i, centres[centres.count - 1])) }
            }
            var assignment = [Int](repeating: 0, count: members.count)
            for _ in 0..<iterations {
                for i in members.indices {
                    assignment[i] = centres.indices.min { distance(i, centres[$0]) < distance(i, centres[$1]) } ?? 0
                }
                var sums = [[Float]](repeating: [Float](repeating: 0, count: dimension), count: k), sizes = [Int](repeating: 0, count: k)
                for i in members.indices {
                    let v = vector(i)
                    for j in 0..<dimension { sums[assignment[i]][j] += v[j] }
                    sizes[assignment[i]] += 1
                }
                for c in 0..<k where sizes[c] > 0 { centres[c] = sums[c].map { $0 / Float(sizes[c]) } }
            }
            let sizes = (0..<k).map { c in assignment.filter { $0 == c }.count }
            return (0..<k).filter { sizes[$0] > 0 }.sorted { (sizes[$0], $1) > (sizes[$1], $0) }.compactMap { c in
                members.indices.filter { assignment[$0] == c }.min { distance($0, centres[c]) < distance($1, centres[c]) }.map { members[$0] }
            }
        }
    }
}
