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
        (3, """
        -- Readers and their signals. Usernames and emails are stored lower-case.
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            email TEXT NOT NULL UNIQUE,
            email_confirmed_at TEXT,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL DEFAULT 'reader',
            failed_logins INTEGER NOT NULL DEFAULT 0,
            locked_until TEXT,
            created_at TEXT NOT NULL
        );
        -- Secrets (session cookies, API tokens, mailed links) are stored as
        -- SHA-256 hex digests, never in the clear.
        CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            csrf_token TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        );
        CREATE INDEX sessions_user ON sessions(user_id);
        CREATE TABLE api_tokens (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            prefix TEXT NOT NULL,
            created_at TEXT NOT NULL,
            last_used_at TEXT
        );
        CREATE TABLE one_time_tokens (
            token_hash TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            purpose TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT
        );
        -- Upvotes from Quire's readers; papers.upvotes keeps the count a source
        -- (Hugging Face) reported, papers.reader_upvotes the count of these rows.
        CREATE TABLE upvotes (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            paper_seq INTEGER NOT NULL REFERENCES papers(seq) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            PRIMARY KEY (user_id, paper_seq)
        );
        CREATE INDEX upvotes_paper ON upvotes(paper_seq);
        ALTER TABLE papers ADD COLUMN reader_upvotes INTEGER NOT NULL DEFAULT 0;
        -- A paper goes on the daily list once; the submission says who put it there.
        CREATE TABLE submissions (
            paper_seq INTEGER PRIMARY KEY REFERENCES papers(seq) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            day TEXT NOT NULL,
            comment TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX submissions_user_day ON submissions(user_id, day);
        CREATE TABLE comments (
            id INTEGER PRIMARY KEY,
            paper_seq INTEGER NOT NULL REFERENCES papers(seq) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            parent_id INTEGER REFERENCES comments(id) ON DELETE CASCADE,
            body TEXT NOT NULL,
            created_at TEXT NOT NULL,
            edited_at TEXT,
            hidden INTEGER NOT NULL DEFAULT 0,
            deleted INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX comments_paper ON comments(paper_seq, id);
        CREATE TABLE collections (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            is_public INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            UNIQUE (user_id, name)
        );
        CREATE TABLE collection_papers (
            collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
            paper_seq INTEGER NOT NULL REFERENCES papers(seq) ON DELETE CASCADE,
            note TEXT NOT NULL DEFAULT '',
            added_at TEXT NOT NULL,
            PRIMARY KEY (collection_id, paper_seq)
        );
        CREATE TABLE organization_members (
            organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            role TEXT NOT NULL,
            status TEXT NOT NULL,
            requested_at TEXT NOT NULL,
            approved_at TEXT,
            PRIMARY KEY (organization_id, user_id)
        );
        -- Who claimed a paper for its organization (papers.organization_id holds the result).
        CREATE TABLE paper_claims (
            paper_seq INTEGER PRIMARY KEY REFERENCES papers(seq) ON DELETE CASCADE,
            organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
            user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
            claimed_at TEXT NOT NULL
        );
        """),
        (4, """
        -- Email digests: one subscription per reader, what they follow, their
        -- saved searches, and the ledger of every mail sent or being sent.
        CREATE TABLE subscriptions (
            user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
            frequency TEXT NOT NULL,
            weekday INTEGER NOT NULL DEFAULT 1,
            hour INTEGER NOT NULL DEFAULT 7,
            time_zone TEXT NOT NULL DEFAULT 'UTC',
            include_top INTEGER NOT NULL DEFAULT 1,
            include_trending INTEGER NOT NULL DEFAULT 0,
            include_followed INTEGER NOT NULL DEFAULT 1,
            include_saved_searches INTEGER NOT NULL DEFAULT 1,
            max_papers INTEGER NOT NULL DEFAULT 10,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE follows (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            slug TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (user_id, kind, slug)
        );
        CREATE TABLE saved_searches (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            query TEXT NOT NULL,
            alert INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            UNIQUE (user_id, query)
        );
        -- A row is written before a mail is handed to the transport and
        -- finished after; UNIQUE makes two senders (or a restarted one) agree.
        CREATE TABLE digest_deliveries (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            slot TEXT NOT NULL,
            status TEXT NOT NULL,
            message_id TEXT NOT NULL,
            paper_ids TEXT NOT NULL DEFAULT '',
            attempts INTEGER NOT NULL DEFAULT 1,
            last_error TEXT,
            claimed_at TEXT NOT NULL,
            finished_at TEXT,
            UNIQUE (user_id, kind, slot)
        );
        CREATE TABLE server_secrets (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """),
        (5, """
        -- Every change to a paper's searchable text, in order: the in-memory
        -- keyword index (BM25Index) follows it, so papers another process
        -- stores or edits are found by its next search.
        CREATE TABLE paper_text_changes (
            change INTEGER PRIMARY KEY AUTOINCREMENT,
            paper_seq INTEGER NOT NULL
        );
        INSERT INTO paper_text_changes (paper_seq) SELECT seq FROM papers ORDER BY seq;
        CREATE TRIGGER paper_text_changes_insert AFTER INSERT ON papers BEGIN
            INSERT INTO paper_text_changes (paper_seq) VALUES (new.seq);
        END;
        CREATE TRIGGER paper_text_changes_update AFTER UPDATE OF title, abstract ON papers
        WHEN old.title IS NOT new.title OR old.abstract IS NOT new.abstract BEGIN
            INSERT INTO paper_text_changes (paper_seq) VALUES (new.seq);
        END;
        CREATE TRIGGER paper_text_changes_delete AFTER DELETE ON papers BEGIN
            INSERT INTO paper_text_changes (paper_seq) VALUES (old.seq);
        END;
        """),
        (6, """
        -- New papers enter the full-text index in one statement per write
        -- (SQLiteStore.upsertBatch), not through a trigger: FTS5 flushes its
        -- pending terms at every statement savepoint, and each paper's INSERT
        -- opened one, so each paper became a segment of its own to merge,
        -- most of an import's time. Updates and deletes keep their triggers.
        DROP TRIGGER papers_fts_insert;
        """),
        (7, """
        -- An import writes thousands of papers per transaction (Importer's
        -- batchSize). FTS5 writes its pending terms out as a new index segment
        -- each time they pass 'hashsize' (1 MB by default, some 600 papers),
        -- and every segment is merged again later: 64 MiB holds a whole batch,
        -- so a batch becomes one segment. Memory is only used as terms arrive.
        INSERT INTO papers_fts (papers_fts, rank) VALUES ('hashsize', 67108864);
        """),
        (10, """
        -- A reader's default categories: their list pages show only these
        -- when the address names no category=.
        CREATE TABLE reader_categories (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            category TEXT NOT NULL,
            PRIMARY KEY (user_id, category)
        );
        """),
        (11, """
        -- Category filters (category=, cat:) compare categories without case
        -- (FilterRule.category): this index makes each an index lookup that
        -- needs nothing from the table (SQLiteStore.categoryCondition).
        CREATE INDEX paper_categories_lower ON paper_categories(lower(category), paper_seq);
        """),
        (20, """
        -- A reader's "For you" signals: not interested, more like this, read.
        -- One row per reader, paper and kind; the kinds are FeedSignalKind's.
        CREATE TABLE feed_signals (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            paper_seq INTEGER NOT NULL REFERENCES papers(seq) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('not_interested', 'more_like_this', 'read')),
            created_at TEXT NOT NULL,
            PRIMARY KEY (user_id, paper_seq, kind)
        );
        """),
        (30, """
        -- Incoming webhooks (Slack, Discord, a Matrix bridge) digests are posted
        -- to; their deliveries go in digest_deliveries, kind 'webhook-<id>'.
        -- failures counts failed posts in a row; at WebhookActions.maxFailures
        -- the webhook is disabled (disabled_at) and its owner mailed.
        CREATE TABLE webhooks (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            organization_slug TEXT,
            url TEXT NOT NULL,
            format TEXT NOT NULL CHECK (format IN ('slack', 'discord', 'matrix')),
            failures INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            disabled_at TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX webhooks_user ON webhooks(user_id);
        CREATE INDEX webhooks_organization ON webhooks(organization_slug) WHERE organization_slug IS NOT NULL;
        """),
        (40, """
        -- A reader's private feed link: the SHA-256 of its secret, never the
        -- secret itself (PrivateFeedActions). A new link replaces the row.
        CREATE TABLE private_feeds (
            user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
            token_hash TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        """),
        (41, """
        -- A reader's mutes (Mute.Kind): words and phrases, author slugs,
        -- categories; and whether they hide papers in every list too.
        CREATE TABLE mutes (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('phrase', 'author', 'category')),
            value TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (user_id, kind, value)
        );
        CREATE TABLE mute_settings (
            user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
            everywhere INTEGER NOT NULL DEFAULT 0
        );
        """),
        (42, """
        -- Three more feed signals (FeedSignalKind): 'mine' (the reader wrote
        -- the paper), 'excluded' (left out of the model and its reasons) and
        -- 'opened' (the reader opened its page). SQLite cannot change a
        -- CHECK in place: the table is built again with the rows it holds.
        CREATE TABLE feed_signals_42 (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            paper_seq INTEGER NOT NULL REFERENCES papers(seq) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('not_interested', 'more_like_this', 'read', 'mine', 'excluded', 'opened')),
            created_at TEXT NOT NULL,
            PRIMARY KEY (user_id, paper_seq, kind)
        );
        INSERT INTO feed_signals_42 (user_id, paper_seq, kind, created_at) SELECT user_id, paper_seq, kind, created_at FROM feed_signals;
        DROP TABLE feed_signals;
        ALTER TABLE feed_signals_42 RENAME TO feed_signals;
        """),
        (44, """
        -- A reader's collections made interests of their own: the feed trains
        -- a model on each one's papers (InterestActions). Deleting the
        -- collection ends its interest.
        CREATE TABLE collection_interests (
            collection_id INTEGER PRIMARY KEY REFERENCES collections(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL
        );
        """),
        (45, """
        -- Whether the digest has a "For you" section (on unless turned off).
        ALTER TABLE subscriptions ADD COLUMN include_for_you INTEGER NOT NULL DEFAULT 1;
        """),
        (50, """
        -- Each paper's summary sentence(s) and keyphrases (a JSON array of
        -- strings) from the sentence model; deleted when the title or abstract
        -- changes (SQLiteStore.upsertOne) so they are made again.
        CREATE TABLE paper_summaries (
            paper_seq INTEGER PRIMARY KEY REFERENCES papers(seq) ON DELETE CASCADE,
            model TEXT NOT NULL,
            summary TEXT NOT NULL,
            keyphrases TEXT NOT NULL
        );
        """),
        (51, """
        -- A saved search keeps the categories it was made with (`category=`,
        -- space-separated, '' for every category): the same words in other
        -- categories are another search, so UNIQUE takes them in. SQLite
        -- cannot change a table's UNIQUE in place: the table is rebuilt.
        CREATE TABLE saved_searches_new (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            query TEXT NOT NULL,
            categories TEXT NOT NULL DEFAULT '',
            alert INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            UNIQUE (user_id, query, categories)
        );
        INSERT INTO saved_searches_new (id, user_id, query, alert, created_at)
            SELECT id, user_id, query, alert, created_at FROM saved_searches;
        DROP TABLE saved_searches;
        ALTER TABLE saved_searches_new RENAME TO saved_searches;
        """),
        (60, """
        -- Trending code (CodeTrendStore): each repository's star count by day,
        -- and when it was last asked about, with the ETag of the last count.
        -- A repository is named by papers.github_repo as stored.
        CREATE TABLE github_star_counts (
            address TEXT NOT NULL,
            day TEXT NOT NULL,
            stars INTEGER NOT NULL,
            PRIMARY KEY (address, day)
        ) WITHOUT ROWID;
        CREATE TABLE github_checks (
            address TEXT PRIMARY KEY,
            etag TEXT,
            checked_at TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX papers_github_repo ON papers(github_repo) WHERE github_repo IS NOT NULL;
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
