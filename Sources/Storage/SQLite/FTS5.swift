import CSQLite
import Foundation
import QuireCore

/// FTS5's own tokenizer through its C API (`fts5_api`): the reference
/// `KeywordTokenizerTests` holds Quire's tokenizer (Sources/Search) to.
enum FTS5 {
    /// The tokenizer `papers_fts` is declared with (migration 1).
    static let tokenizerName = "porter"
    static let tokenizerArguments = ["unicode61", "remove_diacritics", "2"]
    /// sqlite3_bind_pointer keeps the type name and compares it while the
    /// statement runs, so it must outlive the call. Never written after it is
    /// made, so sharing it between threads is safe.
    private static let apiPointerType = UncheckedSendable(UnsafePointer(strdup("fts5_api_ptr")!))

    /// The connection's FTS5 API (the documented `SELECT fts5(?1)` handshake).
    static func api(_ db: SQLiteConnection) throws -> UnsafeMutablePointer<fts5_api> {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db.handle, "SELECT fts5(?1)", -1, &statement, nil) == SQLITE_OK else {
            throw db.error(sqlite3_errcode(db.handle), "SELECT fts5(?1)")
        }
        defer { sqlite3_finalize(statement) }
        var api: UnsafeMutablePointer<fts5_api>?
        withUnsafeMutablePointer(to: &api) { pointer in
            _ = sqlite3_bind_pointer(statement, 1, pointer, apiPointerType.value, nil)
            _ = sqlite3_step(statement)
        }
        guard let api, api.pointee.iVersion >= 2 else {
            throw SQLiteError(code: SQLITE_ERROR, message: "this SQLite has no FTS5 API (version 2 or later)", sql: nil)
        }
        return api
    }

    /// An instance of `papers_fts`'s tokenizer. Not thread-safe (the porter
    /// stemmer keeps a buffer in it) and valid while its connection is open.
    final class Tokenizer {
        private let module: fts5_tokenizer
        private let instance: OpaquePointer

        init(_ db: SQLiteConnection) throws {
            let api = try FTS5.api(db)
            var context: UnsafeMutableRawPointer?
            var module = fts5_tokenizer()
            guard api.pointee.xFindTokenizer(api, FTS5.tokenizerName, &context, &module) == SQLITE_OK,
                  let create = module.xCreate else {
                throw SQLiteError(code: SQLITE_ERROR, message: "FTS5 has no \(FTS5.tokenizerName) tokenizer", sql: nil)
            }
            let arguments = FTS5.tokenizerArguments.map { UnsafePointer(strdup($0)) }
            defer { arguments.forEach { free(UnsafeMutableRawPointer(mutating: $0)) } }
            var cArguments: [UnsafePointer<CChar>?] = arguments
            var instance: OpaquePointer?
            let rc = create(context, &cArguments, Int32(cArguments.count), &instance)
            guard rc == SQLITE_OK, let instance else {
                throw SQLiteError(code: rc, message: "cannot create the FTS5 \(FTS5.tokenizerName) tokenizer", sql: nil)
            }
            self.module = module
            self.instance = instance
        }

        deinit { module.xDelete?(instance) }

        /// The tokens of `text`, in order, as FTS5 indexes them.
        func tokens(_ text: String) -> [String] {
            var tokens: [String] = []
            forEachToken(text) { tokens.append(String(decoding: $0, as: UTF8.self)) }
            return tokens
        }

        /// Calls `body` with the UTF-8 bytes of each token of `text`.
        func forEachToken(_ text: String, _ body: (UnsafeRawBufferPointer) -> Void) {
            guard !text.isEmpty else { return }
            var text = text
            withoutActuallyEscaping(body) { body in
                var callback = body
                text.withUTF8 { utf8 in
                    withUnsafeMutablePointer(to: &callback) { context in
                        _ = module.xTokenize(instance, context, FTS5_TOKENIZE_DOCUMENT, utf8.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                                             Int32(utf8.count)) { context, _, token, length, _, _ in
                            let body = context!.assumingMemoryBound(to: ((UnsafeRawBufferPointer) -> Void).self).pointee
                            body(UnsafeRawBufferPointer(start: token, count: Int(length)))
                            return SQLITE_OK
                        }
                    }
                }
            }
        }
    }
}
