import NIOCore
import NIOPosix

/// The threads the model and the vector scans run on: Quire's own, never
/// Swift's cooperative pool (one thread per core), where a 3-second batch of
/// embeddings or a scan of a million vectors would hold up every request.
public enum ModelThreads {
    /// Shared by every index in the process and never stopped (a static lives
    /// as long as the process). One per core: the work is all computation.
    public static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(2, System.coreCount))
        pool.start()
        return pool
    }()
}
