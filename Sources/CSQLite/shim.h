#include <sqlite3.h>

/// Turns off SQLite's memory statistics, which nothing here reads: with them
/// on, every allocation and free SQLite makes takes a global mutex (some 4%
/// of an import's writes). `sqlite3_config` is variadic, which Swift cannot
/// call; it only takes effect before SQLite is first initialized.
static inline int quire_sqlite3_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
