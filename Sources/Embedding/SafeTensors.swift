import Foundation

/// Minimal reader for the `safetensors` format: an 8-byte little-endian
/// header length, a JSON header `{name: {dtype, shape, data_offsets}}`, then
/// the raw tensor bytes. Only F32 tensors are decoded (that is what
/// all-MiniLM-L6-v2 ships); the file is memory-mapped.
public struct SafeTensors {
    public struct TensorInfo {
        public let dtype: String
        public let shape: [Int]
        public let begin: Int
        public let end: Int
    }

    public enum Error: Swift.Error, CustomStringConvertible {
        case unreadable(String)
        case badHeader(String)
        case missing(String)
        case wrongType(String, String)
        case wrongShape(String, [Int], [Int])
        public var description: String {
            switch self {
            case .unreadable(let p): return "cannot read safetensors file \(p)"
            case .badHeader(let why): return "malformed safetensors header: \(why)"
            case .missing(let n): return "tensor \(n) not found in model.safetensors"
            case .wrongType(let n, let t): return "tensor \(n) has dtype \(t), expected F32"
            case .wrongShape(let n, let s, let e): return "tensor \(n) has shape \(s), expected \(e)"
            }
        }
    }

    public let tensors: [String: TensorInfo]
    private let data: Data
    private let dataStart: Int

    public init(url: URL) throws {
        guard let data = try? Data(contentsOf: url, options: .alwaysMapped) else {
            throw Error.unreadable(url.path)
        }
        guard data.count >= 8 else { throw Error.badHeader("file too short") }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(data[data.startIndex + i]) << (8 * UInt64(i)) }
        guard n <= UInt64(data.count - 8) else { throw Error.badHeader("header length \(n) past end of file") }
        let headerData = data.subdata(in: (data.startIndex + 8)..<(data.startIndex + 8 + Int(n)))
        guard let json = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any] else {
            throw Error.badHeader("header is not a JSON object")
        }
        var tensors: [String: TensorInfo] = [:]
        let payload = data.count - 8 - Int(n)
        for (name, value) in json where name != "__metadata__" {
            guard let d = value as? [String: Any],
                  let dtype = d["dtype"] as? String,
                  let shape = (d["shape"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  let offs = (d["data_offsets"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  offs.count == 2, offs[0] >= 0, offs[0] <= offs[1], offs[1] <= payload
            else { throw Error.badHeader("bad entry for \(name)") }
            tensors[name] = TensorInfo(dtype: dtype, shape: shape, begin: offs[0], end: offs[1])
        }
        self.tensors = tensors
        self.data = data
        self.dataStart = 8 + Int(n)
    }

    /// Copies an F32 tensor into a contiguous `[Float]`, checking its shape.
    public func floats(_ name: String, shape expected: [Int]? = nil) throws -> [Float] {
        guard let t = tensors[name] else { throw Error.missing(name) }
        guard t.dtype == "F32" else { throw Error.wrongType(name, t.dtype) }
        if let e = expected, e != t.shape { throw Error.wrongShape(name, t.shape, e) }
        let count = t.shape.reduce(1, *)
        guard t.end - t.begin == count * 4 else { throw Error.badHeader("size mismatch for \(name)") }
        var out = [Float](repeating: 0, count: count)
        out.withUnsafeMutableBytes { dst in
            data.withUnsafeBytes { src in
                let base = src.baseAddress!.advanced(by: dataStart + t.begin)
                dst.baseAddress!.copyMemory(from: base, byteCount: count * 4)
            }
        }
        #if _endian(big)
        for i in out.indices { out[i] = Float(bitPattern: out[i].bitPattern.byteSwapped) }
        #endif
        return out
    }
}
