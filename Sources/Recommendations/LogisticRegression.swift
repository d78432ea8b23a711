import CBLAS
import Foundation

/// L2-regularised, sample-weighted logistic regression, trained by full-batch
/// gradient descent with Nesterov momentum. Each step is two matrix-vector
/// products (OpenBLAS `sgemv`): about a millisecond for a thousand 384-d rows,
/// so a reader's model is retrained at once after a new signal.
struct LogisticRegression: Sendable {
    var weights: [Float]
    var bias: Float

    /// `rows`: `labels.count` rows of `dimension` floats, row-major. `labels`
    /// are 0 or 1; `sampleWeights` weigh each row's loss (classes balanced by
    /// the caller). The loss is the weighted mean log-loss plus `l2`/2 ‖w‖².
    static func train(rows: [Float], dimension: Int, labels: [Float], sampleWeights: [Float],
                      l2: Float, iterations: Int) -> LogisticRegression {
        let m = labels.count
        precondition(rows.count == m * dimension && sampleWeights.count == m)
        let totalWeight = max(sampleWeights.reduce(0, +), .leastNormalMagnitude)
        // For unit vectors the weighted mean of x xᵀ has trace 1, so the
        // log-loss's curvature is at most 1/4 and a step of 1/(1/4 + l2) is safe.
        let step = 1 / (0.25 + l2)
        var w = [Float](repeating: 0, count: dimension), b: Float = 0
        var previousW = w, previousB: Float = 0
        var lookW = w, residuals = [Float](repeating: 0, count: m), gradient = [Float](repeating: 0, count: dimension)
        for iteration in 0..<iterations {
            // Nesterov: the gradient is taken at the extrapolated point.
            let momentum = Float(iteration) / Float(iteration + 3)
            for j in 0..<dimension { lookW[j] = w[j] + momentum * (w[j] - previousW[j]) }
            let lookB = b + momentum * (b - previousB)
            rows.withUnsafeBufferPointer { x in
                lookW.withUnsafeBufferPointer { wp in
                    residuals.withUnsafeMutableBufferPointer { z in
                        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(m), Int32(dimension), 1,
                                    x.baseAddress, Int32(dimension), wp.baseAddress, 1, 0, z.baseAddress, 1)
                    }
                }
            }
            var biasGradient: Float = 0
            for i in 0..<m {
                let probability = 1 / (1 + exp(-(residuals[i] + lookB)))
                residuals[i] = sampleWeights[i] * (probability - labels[i]) / totalWeight
                biasGradient += residuals[i]
            }
            rows.withUnsafeBufferPointer { x in
                residuals.withUnsafeBufferPointer { r in
                    gradient.withUnsafeMutableBufferPointer { g in
                        cblas_sgemv(CblasRowMajor, CblasTrans, Int32(m), Int32(dimension), 1,
                                    x.baseAddress, Int32(dimension), r.baseAddress, 1, 0, g.baseAddress, 1)
                    }
                }
            }
            previousW = w
            previousB = b
            for j in 0..<dimension { w[j] = lookW[j] - step * (gradient[j] + l2 * lookW[j]) }
            b = lookB - step * biasGradient
        }
        return LogisticRegression(weights: w, bias: b)
    }
}
