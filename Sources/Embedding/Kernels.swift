import Foundation

// Element-wise kernels for the encoder, written over raw Float pointers with
// SIMD8 lanes so they vectorise on a generic x86-64 / arm64 build. No
// allocation happens inside any of them.

typealias F8 = SIMD8<Float>

@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> F8 {
    UnsafeRawPointer(p).loadUnaligned(as: F8.self)
}

@inline(__always)
func store8(_ v: F8, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: F8.self)
}

typealias I8 = SIMD8<Int32>

// Lane-wise min / max / clamp. `replacing(with:where:)` on a concrete
// comparison lowers to maxps/minps; the stdlib's generic `pointwiseMin/Max`
// (and `clamped`) are outlined per-lane loops, and a bit-cast SIMDMask
// round-trips through general registers.
@inline(__always)
func max8(_ a: F8, _ b: F8) -> F8 { a.replacing(with: b, where: a .< b) }

@inline(__always)
func min8(_ a: F8, _ b: F8) -> F8 { a.replacing(with: b, where: b .< a) }

@inline(__always)
func clamp8(_ x: F8, _ lo: Float, _ hi: Float) -> F8 {
    min8(max8(x, F8(repeating: lo)), F8(repeating: hi))
}

/// exp(x) for 8 lanes, Cephes-style range reduction + degree-6 polynomial
/// (relative error ~1e-7 over the clamped range).
@inline(__always)
func exp8(_ xIn: F8) -> F8 {
    let x0 = clamp8(xIn, -87.3, 88.3)
    // n = round(x / ln 2) via the 1.5*2^23 trick (no SSE4.1 rounding needed).
    let magic = F8(repeating: 12582912.0)
    let t = x0 * F8(repeating: 1.44269504088896341) + magic
    let n = t - magic
    var r = x0 - n * F8(repeating: 0.693359375)
    r = r - n * F8(repeating: -2.12194440e-4)
    var y = F8(repeating: 1.9875691500e-4)
    y = y * r + F8(repeating: 1.3981999507e-3)
    y = y * r + F8(repeating: 8.3334519073e-3)
    y = y * r + F8(repeating: 4.1665795894e-2)
    y = y * r + F8(repeating: 1.6666665459e-1)
    y = y * r + F8(repeating: 5.0000001201e-1)
    y = y * (r * r) + r + F8(repeating: 1)
    // 2^n: integer n sits in the low mantissa bits of t.
    let ti = unsafeBitCast(t, to: I8.self) &- I8(repeating: 0x4B40_0000)
    let pow2 = unsafeBitCast((ti &+ I8(repeating: 127)) &<< I8(repeating: 23), to: F8.self)
    return y * pow2
}

/// erf(x) for 8 lanes: rational approximation (odd degree-13 / even degree-8
/// polynomials, the one used by Eigen/XLA), accurate to a few ulp; inputs are
/// clamped to [-4, 4], outside of which erf is ±1 in single precision.
@inline(__always)
func erf8(_ xIn: F8) -> F8 {
    let x = clamp8(xIn, -4, 4)
    let x2 = x * x
    var p = x2 * F8(repeating: -2.72614225801306e-10) + F8(repeating: 2.77068142495902e-08)
    p = x2 * p + F8(repeating: -2.10102402082508e-06)
    p = x2 * p + F8(repeating: -5.69250639462346e-05)
    p = x2 * p + F8(repeating: -7.34990630326855e-04)
    p = x2 * p + F8(repeating: -2.95459980854025e-03)
    p = x2 * p + F8(repeating: -1.60960333262415e-02)
    p = x * p
    var q = x2 * F8(repeating: -1.45660718464996e-05) + F8(repeating: -2.13374055278905e-04)
    q = x2 * q + F8(repeating: -1.68282697438203e-03)
    q = x2 * q + F8(repeating: -7.37332916720468e-03)
    q = x2 * q + F8(repeating: -1.42647390514189e-02)
    return p / q
}

@inline(__always)
func erfScalar(_ x: Float) -> Float {
    erf8(F8(repeating: x))[0]
}

enum Kernels {
    /// rows × n matrix `x` (row stride n): x[r, :] += bias.
    static func addBias(_ x: UnsafeMutablePointer<Float>, rows: Int, n: Int, bias: UnsafePointer<Float>) {
        precondition(n % 8 == 0)
        for r in 0..<rows {
            let row = x + r * n
            var j = 0
            while j < n {
                store8(load8(row + j) + load8(bias + j), row + j)
                j += 8
            }
        }
    }

    /// x[r, :] = row for every r.
    static func fillRows(_ x: UnsafeMutablePointer<Float>, rows: Int, n: Int, with row: UnsafePointer<Float>) {
        for r in 0..<rows { (x + r * n).update(from: row, count: n) }
    }

    /// x = gelu(x + bias), exact-erf GELU: 0.5·v·(1 + erf(v/√2)).
    static func biasGELU(_ x: UnsafeMutablePointer<Float>, rows: Int, n: Int, bias: UnsafePointer<Float>) {
        precondition(n % 8 == 0)
        let half = F8(repeating: 0.5)
        let invSqrt2 = F8(repeating: 0.70710678118654752)
        for r in 0..<rows {
            let row = x + r * n
            var j = 0
            while j < n {
                let v = load8(row + j) + load8(bias + j)
                store8(half * v * (F8(repeating: 1) + erf8(v * invSqrt2)), row + j)
                j += 8
            }
        }
    }

    /// out[r, :] = LayerNorm(x[r, :] + bias + residual[r, :]) · gamma + beta.
    /// `out` may alias `x` or `residual` (each row is read fully before it is written).
    static func addBiasResidualLayerNorm(
        _ x: UnsafePointer<Float>, bias: UnsafePointer<Float>?, residual: UnsafePointer<Float>?,
        out: UnsafeMutablePointer<Float>, rows: Int, n: Int,
        gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, eps: Float
    ) {
        precondition(n % 8 == 0 && n <= 1024)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: n) { tmpBuf in
            let tmp = tmpBuf.baseAddress!
            for r in 0..<rows {
                let xr = x + r * n
                var s = F8(repeating: 0)
                var j = 0
                while j < n {
                    var v = load8(xr + j)
                    if let b = bias { v += load8(b + j) }
                    if let res = residual { v += load8(res + r * n + j) }
                    store8(v, tmp + j)
                    s += v
                    j += 8
                }
                let mean = s.sum() / Float(n)
                let m8 = F8(repeating: mean)
                var ss = F8(repeating: 0)
                j = 0
                while j < n {
                    let d = load8(tmp + j) - m8
                    ss += d * d
                    j += 8
                }
                let variance = ss.sum() / Float(n)
                let inv = F8(repeating: 1 / (variance + eps).squareRoot())
                let o = out + r * n
                j = 0
                while j < n {
                    let d = (load8(tmp + j) - m8) * inv
                    store8(d * load8(gamma + j) + load8(beta + j), o + j)
                    j += 8
                }
            }
        }
    }

    /// Row-wise softmax of an rows × n matrix with row stride `ld`.
    static func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, n: Int, ld: Int) {
        let n8 = n & ~7
        for r in 0..<rows {
            let row = x + r * ld
            var m8 = F8(repeating: -Float.greatestFiniteMagnitude)
            var j = 0
            while j < n8 { m8 = max8(m8, load8(row + j)); j += 8 }
            var mx = max(max(max(m8[0], m8[1]), max(m8[2], m8[3])), max(max(m8[4], m8[5]), max(m8[6], m8[7])))
            while j < n { mx = max(mx, row[j]); j += 1 }
            let mv = F8(repeating: mx)
            var s8 = F8(repeating: 0)
            j = 0
            while j < n8 {
                let e = exp8(load8(row + j) - mv)
                store8(e, row + j)
                s8 += e
                j += 8
            }
            var s = s8.sum()
            while j < n {
                let e = exp8(F8(repeating: row[j] - mx))[0]
                row[j] = e
                s += e
                j += 1
            }
            let inv = 1 / s
            let iv = F8(repeating: inv)
            j = 0
            while j < n8 { store8(load8(row + j) * iv, row + j); j += 8 }
            while j < n { row[j] *= inv; j += 1 }
        }
    }
}
