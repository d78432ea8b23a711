import NIOCore
import NIOPosix

/// The threads SQLite reads run on: Quire's own, never Swift's cooperative
/// pool. That pool has one thread per core (two on a small server), so a
/// query waiting on the disk or on a lock there would stall every request;
/// here it stalls only itself. (Writes run on each store's own queue: there
/// is one writer connection per database.)
enum SQLiteThreads {
    /// Shared by every `SQLiteStore` in the process and never stopped (a
    /// static lives as long as the process). Each read holds one connection
    /// while it runs, so no more reader connections than threads are ever busy.
    static let readers: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(4, 2 * System.coreCount))
        pool.start()
        return pool
    }()
}
