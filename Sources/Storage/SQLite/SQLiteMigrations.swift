/// The SQLite schema as numbered migrations, applied in order at start and
/// recorded in `schema_migrations`. Never edit a migration that has shipped:
/// add the next number. Table and column names are the ones the PostgreSQL
/// store uses too; only the full-text index (FTS5) is SQLite's own.
enum SQLiteMigrations {
    static let all: [(version: Int, sql: String)] = [
        (1, """
        CREATE TABLE organizations (
            id INTEGER PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL
        );
        CREATE TABLE authors (
            id INTEGER PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL
        );
        -- seq is a stable integer key: the full-text index and the vector index
        -- refer to papers by it (an implicit rowid could change on VACUUM).
        CREATE TABLE papers (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            version INTEGER,
            submitted_at TEXT,
            updated_at TEXT,
            title TEXT NOT NULL,
            abstract TEXT NOT NULL,
            author_count INTEGER,
            comments TEXT,
            journal_ref TEXT,
            doi TEXT,
            license TEXT,
            github_repo TEXT,
            github_stars INTEGER,
            project_page TEXT,
            organization_id INTEGER REFERENCES organizations(id),
            upvotes INTEGER NOT NULL DEFAULT 0,
            daily_date TEXT,
            submitted_by TEXT,
            -- the day the paper is browsed under: daily_date, else the day of
            -- first submission (kept by the store, see Paper.listDay)
            list_day TEXT,
            withdrawn INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            modified_at TEXT NOT NULL
        );
        CREATE INDEX papers_list_day ON papers(list_day, upvotes);
        CREATE INDEX papers_submitted_by ON papers(submitted_by);
        CREATE INDEX papers_organization ON papers(organization_id);
        CREATE TABLE paper_authors (
            paper_seq INTEGER NOT NULL REFERENCES papers(seq) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            author_id INTEGER NOT NULL REFERENCES authors(id),
            -- the name as this paper spells it ("S. C. He"); the author row
            -- links spellings that share a slug ("S C He") to one page
            name TEXT NOT NULL,
            PRIMARY KEY (paper_seq, position)
        );
        CREATE INDEX paper_authors_author ON paper_authors(author_id);
        CREATE TABLE paper_categories (
            paper_seq INTEGER NOT NULL REFERENCES papers(seq) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            category TEXT NOT NULL,
            PRIMARY KEY (paper_seq, position)
        );
        CREATE INDEX paper_categories_category ON paper_categories(category);
        CREATE TABLE checkpoints (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE VIRTUAL TABLE papers_fts USING fts5(
            title, abstract, content='papers', content_rowid='seq',
            tokenize='porter unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER papers_fts_insert AFTER INSERT ON papers BEGIN
            INSERT INTO papers_fts(rowid, title, abstract) VALUES (new.seq, new.title, new.abstract);
        END;
        CREATE TRIGGER papers_fts_delete AFTER DELETE ON papers BEGIN
            INSERT INTO papers_fts(papers_fts, rowid, title, abstract) VALUES ('delete', old.seq, old.title, old.abstract);
        END;
        CREATE TRIGGER papers_fts_update AFTER UPDATE OF title, abstract ON papers BEGIN
            INSERT INTO papers_fts(papers_fts, rowid, title, abstract) VALUES ('delete', old.seq, old.title, old.abstract);
            INSERT INTO papers_fts(rowid, title, abstract) VALUES (new.seq, new.title, new.abstract);
        END;
        """),
        (2, """
        -- One sentence-embedding vector per paper, little-endian float32, of its
        -- title and abstract; deleted when they change so it is made again.
        CREATE TABLE paper_embeddings (
            paper_seq INTEGER PRIMARY KEY REFERENCES papers(seq) ON DELETE CASCADE,
            model TEXT NOT NULL,
            vector BLOB NOT NULL
        );
        """),
    ]

    /// Brings the database up to the newest migration, each in its own transaction.
    static func migrate(_ db: SQLiteConnection) throws {
        try db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
        let applied = Set(try db.query("SELECT version FROM schema_migrations") { $0.int(0) })
        for migration in all where !applied.contains(migration.version) {
            try db.transaction {
                try db.execute(migration.sql)
                try db.run("INSERT INTO schema_migrations (version, applied_at) VALUES (?, datetime('now'))", [migration.version])
            }
        }
    }
}
