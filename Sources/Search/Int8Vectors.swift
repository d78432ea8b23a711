import CKernels
import Dispatch
import Foundation
import QuireCore

/// Vectors stored as 8-bit integers with one scale per vector (`x ≈ scale * code`,
/// codes in -127...127): a quarter of float32's memory, and a scan that reads a
/// quarter of the bytes. Scores are approximate (off by about 1e-3 for unit
/// vectors of 384 dimensions), so `VectorIndex` uses them only to pick a few
/// hundred candidates and scores those again in float32.
struct Int8Vectors {
    let dimension: Int
    /// Rows of `paddedDimension` codes: zero-padded to a multiple of 8, so every row starts 8-byte aligned.
    let paddedDimension: Int
    private(set) var codes: [Int8] = []
    private(set) var scales: [Float] = []

    init(dimension: Int) {
        self.dimension = dimension
        paddedDimension = (dimension + 7) / 8 * 8
    }

    var count: Int { scales.count }
    var memoryBytes: Int { codes.capacity + scales.capacity * MemoryLayout<Float>.size }

    mutating func reserve(_ count: Int) {
        codes.reserveCapacity(count * paddedDimension)
        scales.reserveCapacity(count)
    }

    mutating func append(_ vector: [Float]) {
        let (row, scale) = quantize(vector)
        codes.append(contentsOf: row)
        scales.append(scale)
    }

    mutating func replace(at position: Int, with vector: [Float]) {
        let (row, scale) = quantize(vector)
        codes.replaceSubrange(position * paddedDimension..<(position + 1) * paddedDimension, with: row)
        scales[position] = scale
    }

    /// Codes of one vector, scaled so that its largest component becomes ±127.
    func quantize(_ vector: [Float]) -> (codes: [Int8], scale: Float) {
        let largest = vector.reduce(0) { max($0, abs($1)) }
        guard largest > 0 else { return ([Int8](repeating: 0, count: paddedDimension), 0) }
        let scale = largest / 127
        var row = vector.map { Int8(($0 / scale).rounded()) }
        row += [Int8](repeating: 0, count: paddedDimension - dimension)
        return (row, scale)
    }

    /// The approximate dot product of `query` with every stored vector. Big
    /// indexes are scanned in two halves at once (the machine this targets has two cores).
    func scores(for query: [Float]) -> [Float] {
        let n = count
        var result = [Float](repeating: 0, count: n)
        guard n > 0 else { return result }
        // The query is quantized too, to 16-bit lanes: products then fit 32-bit integers exactly.
        let (queryCodes, queryScale) = quantize(query)
        let query16 = queryCodes.map(Int16.init)
        let chunks = n >= Self.parallelScanThreshold ? 2 : 1
        codes.withUnsafeBufferPointer { codes in
            query16.withUnsafeBufferPointer { query in
                scales.withUnsafeBufferPointer { scales in
                    result.withUnsafeMutableBufferPointer { out in
                        // Read-only inputs; each chunk writes its own range of `out`.
                        let (codes, query, scales, out) = (UncheckedSendable(codes.baseAddress!), UncheckedSendable(query.baseAddress!),
                                                           UncheckedSendable(scales.baseAddress!), UncheckedSendable(out.baseAddress!))
                        let dimension = paddedDimension
                        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                            let start = n * chunk / chunks, end = n * (chunk + 1) / chunks
                            quire_int8_scores(codes.value, query.value, scales.value, queryScale, dimension, start, end, out.value + start)
                        }
                    }
                }
            }
        }
        return result
    }

    /// Below this many vectors one core scans fast enough; splitting would only
    /// add overhead. At 100,000 the split halves the scan: the keyword ranking
    /// that shares the cores finishes while the query is embedded.
    static let parallelScanThreshold = 20_000

    /// Whether the scan runs the AVX2 kernel on this machine.
    static var usesAVX2: Bool { quire_int8_scores_uses_avx2() != 0 }
}
