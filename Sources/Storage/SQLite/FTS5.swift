import CSQLite
import Foundation
import QuireCore

/// What the in-memory keyword index borrows from FTS5 through its C API
/// (`fts5_api`): the tokenizer of `papers_fts`, so text is split into exactly
/// the words FTS5 indexes, and one auxiliary function.
enum FTS5 {
    /// The tokenizer `papers_fts` is declared with (migration 1).
    static let tokenizerName = "porter"
    static let tokenizerArguments = ["unicode61", "remove_diacritics", "2"]
    /// `bm25()` column weights: a title word counts twice an abstract word.
    static let titleWeight = 2.0, abstractWeight = 1.0
    /// Auxiliary function: the weighted number of times the (single-phrase)
    /// expression occurs in the row, `titleWeight` per title occurrence and
    /// `abstractWeight` per abstract occurrence: the frequency `bm25()` uses.
    static let weightedFrequencyFunction = "quire_weighted_frequency"

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

    /// Registers `weightedFrequencyFunction` on a connection, once.
    static func registerFunctions(_ db: SQLiteConnection) throws {
        guard !db.fts5FunctionsRegistered else { return }
        let api = try api(db)
        let rc = api.pointee.xCreateFunction(api, weightedFrequencyFunction, nil, { api, fts, context, _, _ in
            guard let api else { return }
            var count: Int32 = 0
            _ = api.pointee.xInstCount(fts, &count)
            var frequency = 0.0
            for i in 0..<count {
                var phrase: Int32 = 0, column: Int32 = 0, offset: Int32 = 0
                _ = api.pointee.xInst(fts, i, &phrase, &column, &offset)
                frequency += column == 0 ? FTS5.titleWeight : FTS5.abstractWeight
            }
            sqlite3_result_double(context, frequency)
        }, nil)
        guard rc == SQLITE_OK else { throw SQLiteError(code: rc, message: "cannot register \(weightedFrequencyFunction)", sql: nil) }
        db.fts5FunctionsRegistered = true
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
