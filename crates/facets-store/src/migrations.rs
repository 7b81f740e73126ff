//! Versioned schema migrations, tracked in `PRAGMA user_version`. Each step runs in its own
//! transaction; a database newer than this build is refused rather than damaged.

use rusqlite::{Connection, OptionalExtension};

use crate::StoreError;

/// Append only: never edit a migration that has shipped.
const MIGRATIONS: &[&str] = &[
    // 1: the foundation.
    r#"
    CREATE TABLE people (
        surface          TEXT NOT NULL,
        remote_id        TEXT NOT NULL,
        handle           TEXT NOT NULL,
        display_name     TEXT NOT NULL,
        note_html        TEXT NOT NULL,
        avatar_url       TEXT,
        header_url       TEXT,
        followers_count  INTEGER NOT NULL DEFAULT 0,
        following_count  INTEGER NOT NULL DEFAULT 0,
        statuses_count   INTEGER NOT NULL DEFAULT 0,
        locked           INTEGER NOT NULL DEFAULT 0,
        raw_json         TEXT NOT NULL,
        PRIMARY KEY (surface, remote_id)
    ) WITHOUT ROWID;

    CREATE TABLE posts (
        surface          TEXT NOT NULL,
        remote_id        TEXT NOT NULL,
        created_at       INTEGER NOT NULL,
        author_id        TEXT NOT NULL,
        url              TEXT,
        content_html     TEXT NOT NULL,
        content_text     TEXT NOT NULL,
        spoiler_text     TEXT NOT NULL,
        sensitive        INTEGER NOT NULL,
        visibility       TEXT NOT NULL,
        in_reply_to_id   TEXT,
        replies_count    INTEGER NOT NULL,
        reblogs_count    INTEGER NOT NULL,
        favourites_count INTEGER NOT NULL,
        favourited       INTEGER NOT NULL,
        raw_json         TEXT NOT NULL,
        PRIMARY KEY (surface, remote_id),
        FOREIGN KEY (surface, author_id) REFERENCES people (surface, remote_id)
    ) WITHOUT ROWID;
    CREATE INDEX posts_by_author ON posts (surface, author_id, created_at DESC);

    CREATE TABLE media (
        surface            TEXT NOT NULL,
        remote_id          TEXT NOT NULL,
        post_id            TEXT NOT NULL,
        position           INTEGER NOT NULL,
        kind               TEXT NOT NULL,
        remote_url         TEXT NOT NULL,
        preview_remote_url TEXT,
        width              INTEGER,
        height             INTEGER,
        description        TEXT,
        blurhash           TEXT,
        PRIMARY KEY (surface, remote_id),
        FOREIGN KEY (surface, post_id) REFERENCES posts (surface, remote_id) ON DELETE CASCADE
    ) WITHOUT ROWID;
    CREATE INDEX media_by_post ON media (surface, post_id, position);

    -- Which posts belong to which timeline, in the order the timeline shows them.
    CREATE TABLE timeline_entries (
        surface     TEXT NOT NULL,
        timeline    TEXT NOT NULL,
        sort_at     INTEGER NOT NULL,
        post_id     TEXT NOT NULL,
        PRIMARY KEY (surface, timeline, post_id),
        FOREIGN KEY (surface, post_id) REFERENCES posts (surface, remote_id) ON DELETE CASCADE
    ) WITHOUT ROWID;
    CREATE INDEX timeline_order ON timeline_entries (surface, timeline, sort_at DESC, post_id DESC);

    CREATE TABLE conversations (
        surface        TEXT NOT NULL,
        remote_id      TEXT NOT NULL,
        unread         INTEGER NOT NULL,
        last_status_id TEXT,
        updated_at     INTEGER NOT NULL,
        raw_json       TEXT NOT NULL,
        PRIMARY KEY (surface, remote_id)
    ) WITHOUT ROWID;
    CREATE INDEX conversations_by_activity ON conversations (updated_at DESC, surface, remote_id);

    CREATE TABLE conversation_participants (
        surface         TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        person_id       TEXT NOT NULL,
        PRIMARY KEY (surface, conversation_id, person_id),
        FOREIGN KEY (surface, conversation_id) REFERENCES conversations (surface, remote_id) ON DELETE CASCADE,
        FOREIGN KEY (surface, person_id) REFERENCES people (surface, remote_id)
    ) WITHOUT ROWID;

    -- Direct messages are statuses; this maps them to their conversation.
    CREATE TABLE messages (
        surface         TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        post_id         TEXT NOT NULL,
        PRIMARY KEY (surface, conversation_id, post_id),
        FOREIGN KEY (surface, conversation_id) REFERENCES conversations (surface, remote_id) ON DELETE CASCADE,
        FOREIGN KEY (surface, post_id) REFERENCES posts (surface, remote_id) ON DELETE CASCADE
    ) WITHOUT ROWID;

    -- Where each sync stream stopped: the newest id seen and the link to older pages.
    CREATE TABLE sync_cursors (
        surface     TEXT NOT NULL,
        stream      TEXT NOT NULL,
        newest_id   TEXT,
        older_link  TEXT,
        updated_at  INTEGER NOT NULL,
        PRIMARY KEY (surface, stream)
    ) WITHOUT ROWID;

    -- The surfaces linked to the identity. The token is a reference into the secret store.
    CREATE TABLE surface_links (
        surface           TEXT PRIMARY KEY,
        base_url          TEXT NOT NULL,
        dialect           TEXT NOT NULL,
        remote_account_id TEXT NOT NULL,
        handle            TEXT NOT NULL,
        token_ref         TEXT NOT NULL,
        linked_at         INTEGER NOT NULL
    );

    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    "#,
    // 2: drafts and the outbox. Drafts are documents whose shape the app owns; the outbox holds
    // one row per target server, each with the idempotency key it will always be sent with.
    r#"
    CREATE TABLE drafts (
        id           TEXT PRIMARY KEY,
        created_at   INTEGER NOT NULL,
        updated_at   INTEGER NOT NULL,
        document     TEXT NOT NULL,
        published_at INTEGER
    );
    CREATE INDEX drafts_unsent ON drafts (updated_at) WHERE published_at IS NULL;

    -- Files attached to drafts, copied into the data directory (path is relative to it).
    CREATE TABLE draft_media (
        id         TEXT PRIMARY KEY,
        draft_id   TEXT NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
        file_name  TEXT NOT NULL,
        mime_type  TEXT NOT NULL,
        width      INTEGER,
        height     INTEGER,
        path       TEXT NOT NULL,
        byte_size  INTEGER NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX draft_media_by_draft ON draft_media (draft_id, created_at);

    CREATE TABLE outbox (
        id               TEXT PRIMARY KEY,
        draft_id         TEXT NOT NULL,
        surface          TEXT NOT NULL CHECK (surface IN ('feed', 'visual')),
        idempotency_key  TEXT NOT NULL UNIQUE,
        payload          TEXT NOT NULL,
        state            TEXT NOT NULL,
        attempts         INTEGER NOT NULL DEFAULT 0,
        next_attempt_at  INTEGER NOT NULL,
        first_attempt_at INTEGER,
        last_error       TEXT,
        uploaded_media   TEXT NOT NULL DEFAULT '{}',
        remote_status_id TEXT,
        created_at       INTEGER NOT NULL,
        updated_at       INTEGER NOT NULL
    );
    CREATE INDEX outbox_pending ON outbox (next_attempt_at)
        WHERE state IN ('queued', 'waiting', 'uploading', 'sending');
    CREATE INDEX outbox_by_draft ON outbox (draft_id);
    CREATE INDEX outbox_by_remote ON outbox (surface, remote_status_id) WHERE remote_status_id IS NOT NULL;
    "#,
    // 3: why a waiting row waits, so "the network is back" can hurry exactly the rows that
    // waited for it, and never a row a server asked to slow down; and edits of posts.
    r#"
    ALTER TABLE outbox ADD COLUMN waiting_for TEXT;
    -- When a post was last edited (Unix seconds), so views can say so.
    ALTER TABLE posts ADD COLUMN edited_at INTEGER;
    "#,
    // 4: the merged inbox. Who is the same person on both surfaces, unread marks kept locally,
    // and full-text search over direct messages.
    r#"
    ALTER TABLE conversations ADD COLUMN marked_unread INTEGER NOT NULL DEFAULT 0;
    -- The latest message whose thread was fetched: the history is complete up to it.
    ALTER TABLE conversations ADD COLUMN history_of TEXT;

    -- A person's profile page, and the pages their profile links to with a link the server
    -- verified (rel="me"): how one person's accounts on two surfaces recognise each other.
    ALTER TABLE people ADD COLUMN profile_url TEXT;
    CREATE INDEX people_by_profile_url ON people (profile_url) WHERE profile_url IS NOT NULL;
    CREATE TABLE person_profile_links (
        surface   TEXT NOT NULL,
        person_id TEXT NOT NULL,
        url       TEXT NOT NULL,
        PRIMARY KEY (surface, person_id, url),
        FOREIGN KEY (surface, person_id) REFERENCES people (surface, remote_id) ON DELETE CASCADE
    ) WITHOUT ROWID;
    CREATE INDEX person_profile_links_by_url ON person_profile_links (url);

    -- The user's own word, which beats the profiles: 'same' joins two accounts, 'apart' keeps
    -- them apart.
    CREATE TABLE person_links (
        feed_person   TEXT NOT NULL,
        visual_person TEXT NOT NULL,
        verdict       TEXT NOT NULL CHECK (verdict IN ('same', 'apart')),
        decided_at    INTEGER NOT NULL,
        PRIMARY KEY (feed_person, visual_person)
    ) WITHOUT ROWID;

    -- Search: each message gets an integer id for the FTS table, which keeps no copy of the text
    -- (the posts table has it). Triggers keep the index true whatever writes the posts.
    CREATE TABLE message_index (
        id      INTEGER PRIMARY KEY,
        surface TEXT NOT NULL,
        post_id TEXT NOT NULL,
        UNIQUE (surface, post_id)
    );
    CREATE VIRTUAL TABLE message_search USING fts5(
        body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER message_indexed AFTER INSERT ON messages
    WHEN NOT EXISTS (SELECT 1 FROM message_index WHERE surface = new.surface AND post_id = new.post_id)
    BEGIN
        INSERT INTO message_index (surface, post_id) VALUES (new.surface, new.post_id);
        INSERT INTO message_search (rowid, body)
            SELECT last_insert_rowid(), p.spoiler_text || ' ' || p.content_text
            FROM posts p WHERE p.surface = new.surface AND p.remote_id = new.post_id;
    END;
    CREATE TRIGGER message_reindexed AFTER UPDATE OF content_text, spoiler_text ON posts
    WHEN EXISTS (SELECT 1 FROM message_index WHERE surface = new.surface AND post_id = new.remote_id)
    BEGIN
        DELETE FROM message_search
            WHERE rowid = (SELECT id FROM message_index WHERE surface = new.surface AND post_id = new.remote_id);
        INSERT INTO message_search (rowid, body)
            SELECT id, new.spoiler_text || ' ' || new.content_text
            FROM message_index WHERE surface = new.surface AND post_id = new.remote_id;
    END;
    CREATE TRIGGER message_unindexed AFTER DELETE ON posts
    WHEN EXISTS (SELECT 1 FROM message_index WHERE surface = old.surface AND post_id = old.remote_id)
    BEGIN
        DELETE FROM message_search
            WHERE rowid = (SELECT id FROM message_index WHERE surface = old.surface AND post_id = old.remote_id);
        DELETE FROM message_index WHERE surface = old.surface AND post_id = old.remote_id;
    END;
    "#,
    // 5: the privacy center. The accounts the user answered or keeps away, as each server last
    // listed them, and a log of every privacy change, kept until the user clears it.
    r#"
    CREATE TABLE account_lists (
        surface   TEXT NOT NULL,
        list      TEXT NOT NULL CHECK (list IN ('follow_requests', 'blocked', 'muted')),
        person_id TEXT NOT NULL,
        position  INTEGER NOT NULL,
        PRIMARY KEY (surface, list, person_id),
        FOREIGN KEY (surface, person_id) REFERENCES people (surface, remote_id)
    ) WITHOUT ROWID;

    CREATE TABLE privacy_log (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        at        INTEGER NOT NULL,
        -- NULL: one of Facets' own settings, which live on this computer.
        surface   TEXT,
        setting   TEXT NOT NULL,
        old_value TEXT NOT NULL,
        new_value TEXT NOT NULL,
        accepted  INTEGER NOT NULL,
        reason    TEXT
    );
    "#,
    // 6: the user's own activity, recorded only while they let it shape the other surface:
    // what they did, to whom, and how often Facets used it since.
    r#"
    CREATE TABLE activity_signals (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        at           INTEGER NOT NULL,
        surface      TEXT NOT NULL,
        kind         TEXT NOT NULL CHECK (kind IN ('favourite', 'reply', 'message')),
        person_id    TEXT NOT NULL,
        post_id      TEXT,
        used_count   INTEGER NOT NULL DEFAULT 0,
        last_used_at INTEGER
    );
    CREATE INDEX activity_signals_by_person ON activity_signals (surface, person_id);
    "#,
    // 7: the sign-ins Facets holds, for the connected-apps list. The token and the client secret
    // live in the secret store under names derived from `token_ref`; never here.
    r#"
    CREATE TABLE sign_ins (
        token_ref      TEXT PRIMARY KEY,
        base_url       TEXT NOT NULL,
        account_id     TEXT NOT NULL,
        handle         TEXT NOT NULL,
        client_id      TEXT NOT NULL,
        redirect_uri   TEXT NOT NULL,
        scopes         TEXT NOT NULL,
        created_at     INTEGER NOT NULL,
        last_used_at   INTEGER,
        -- Set when the server started refusing the token (401), until a new sign-in replaces it.
        refused_at     INTEGER,
        refused_reason TEXT
    );
    "#,
    // 8: a Pixelfed surface's conversations are keyed by the other person's account, as its
    // threads are (its conversation ids are not stable). Those cached under the server's ids
    // go, their messages with them; the next sync brings them back under the new key.
    r#"
    DELETE FROM conversations WHERE surface IN (SELECT surface FROM surface_links WHERE dialect = 'pixelfed');
    "#,
    // 9: an index on every foreign key's child columns. Without one, writing a parent row with
    // an upsert makes SQLite scan the whole child table for rows that refer to it: ingesting a
    // page cost time in proportion to everything cached before it.
    r#"
    CREATE INDEX IF NOT EXISTS timeline_entries_by_post ON timeline_entries (surface, post_id);
    CREATE INDEX IF NOT EXISTS messages_by_post ON messages (surface, post_id);
    CREATE INDEX IF NOT EXISTS conversation_participants_by_person ON conversation_participants (surface, person_id);
    CREATE INDEX IF NOT EXISTS account_lists_by_person ON account_lists (surface, person_id);
    "#,
    // 10: the search index numbers messages in date order: the message's time (Unix seconds)
    // shifted left 20 bits, plus its place among the messages of that second. FTS5 reads its
    // matches in rowid order, so "the newest 40 matches" stops after 40 instead of sorting every
    // match by date. Times are clamped so the shift stays within 63 bits; a second with 2^20
    // messages already (only hostile data) gives the next one a NULL id, which SQLite turns
    // into one past the largest.
    //
    // A post whose last message row goes (its conversation dropped, as by migration 8) leaves
    // the index too: it is no longer a message, and a search reads only the newest matches.
    r#"
    DROP TRIGGER message_indexed;
    CREATE TRIGGER message_indexed AFTER INSERT ON messages
    WHEN NOT EXISTS (SELECT 1 FROM message_index WHERE surface = new.surface AND post_id = new.post_id)
    BEGIN
        INSERT INTO message_index (id, surface, post_id)
            SELECT (SELECT CASE WHEN max(i.id) IS NULL THEN s.base
                                WHEN max(i.id) < s.base + 1048575 THEN max(i.id) + 1 END
                      FROM message_index i WHERE i.id BETWEEN s.base AND s.base + 1048575),
                   new.surface, new.post_id
            FROM (SELECT max(0, min(p.created_at, 4398046511103)) * 1048576 AS base
                    FROM posts p WHERE p.surface = new.surface AND p.remote_id = new.post_id) s;
        INSERT INTO message_search (rowid, body)
            SELECT i.id, p.spoiler_text || ' ' || p.content_text
            FROM posts p JOIN message_index i ON i.surface = p.surface AND i.post_id = p.remote_id
            WHERE p.surface = new.surface AND p.remote_id = new.post_id;
    END;

    DROP TRIGGER IF EXISTS message_forgotten;
    CREATE TRIGGER message_forgotten AFTER DELETE ON messages
    WHEN NOT EXISTS (SELECT 1 FROM messages WHERE surface = old.surface AND post_id = old.post_id)
    BEGIN
        DELETE FROM message_search
            WHERE rowid = (SELECT id FROM message_index WHERE surface = old.surface AND post_id = old.post_id);
        DELETE FROM message_index WHERE surface = old.surface AND post_id = old.post_id;
    END;

    INSERT INTO message_search (message_search) VALUES ('delete-all');
    DELETE FROM message_index
        WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.surface = message_index.surface
                                                     AND m.post_id = message_index.post_id);
    CREATE TEMP TABLE renumbered AS
        SELECT max(0, min(p.created_at, 4398046511103)) * 1048576
                 + row_number() OVER (PARTITION BY max(0, min(p.created_at, 4398046511103)) ORDER BY p.remote_id) - 1 AS id,
               i.surface, i.post_id
        FROM message_index i JOIN posts p ON p.surface = i.surface AND p.remote_id = i.post_id;
    DELETE FROM message_index;
    INSERT INTO message_index (id, surface, post_id) SELECT id, surface, post_id FROM temp.renumbered;
    DROP TABLE temp.renumbered;
    INSERT INTO message_search (rowid, body)
        SELECT i.id, p.spoiler_text || ' ' || p.content_text
        FROM message_index i JOIN posts p ON p.surface = i.surface AND p.remote_id = i.post_id;
    "#,
    // 11: rows keep a digest of what the server said instead of its JSON, which was most of
    // each row (a status carries its author's whole account): a post row shrinks from about
    // 4.5 KB to under 1 KB, and a page of them reads that much less. Rows cached before have no
    // digest and are written once more at their next sync.
    r#"
    ALTER TABLE posts DROP COLUMN raw_json;
    ALTER TABLE posts ADD COLUMN fingerprint BLOB;
    ALTER TABLE people DROP COLUMN raw_json;
    ALTER TABLE people ADD COLUMN fingerprint BLOB;
    ALTER TABLE conversations DROP COLUMN raw_json;
    "#,
    // 12: the inbox list pages through each surface's conversations on their own when they
    // are kept apart.
    r#"
    CREATE INDEX conversations_of_surface_by_activity ON conversations (surface, updated_at DESC, remote_id);
    "#,
    // 13: posts become a table with a rowid. Without one, rows of about a kilobyte sat in the
    // b-tree of their key: a page of posts split pages all over it, and each sync page's commit
    // wrote about a hundred pages to the WAL. Rows now append in arrival order, the key lives
    // in a small index, and the foreign keys of media, timeline entries and messages refer to
    // that. The index of posts by author goes: it took one random page per post ingested, a
    // third of each commit, for one query (taking kept-away accounts out of timelines, which
    // the timelines now do as they read). The foreign key to people goes with it, since without
    // that index deleting a person scans every post: people are deleted only with all the posts
    // of their surface, and ingest writes an author before their posts.
    r#"
    CREATE TABLE posts_in_arrival_order (
        surface          TEXT NOT NULL,
        remote_id        TEXT NOT NULL,
        created_at       INTEGER NOT NULL,
        author_id        TEXT NOT NULL,
        url              TEXT,
        content_html     TEXT NOT NULL,
        content_text     TEXT NOT NULL,
        spoiler_text     TEXT NOT NULL,
        sensitive        INTEGER NOT NULL,
        visibility       TEXT NOT NULL,
        in_reply_to_id   TEXT,
        replies_count    INTEGER NOT NULL,
        reblogs_count    INTEGER NOT NULL,
        favourites_count INTEGER NOT NULL,
        favourited       INTEGER NOT NULL,
        edited_at        INTEGER,
        fingerprint      BLOB,
        PRIMARY KEY (surface, remote_id)
    );
    INSERT INTO posts_in_arrival_order
        SELECT surface, remote_id, created_at, author_id, url, content_html, content_text, spoiler_text, sensitive,
               visibility, in_reply_to_id, replies_count, reblogs_count, favourites_count, favourited, edited_at,
               fingerprint
        FROM posts ORDER BY surface, created_at, remote_id;
    DROP TABLE posts;
    -- Legacy mode renames without re-reading the triggers of other tables, which name `posts`
    -- and would otherwise fail the rename while no table has that name.
    PRAGMA legacy_alter_table = ON;
    ALTER TABLE posts_in_arrival_order RENAME TO posts;
    PRAGMA legacy_alter_table = OFF;

    -- The triggers of the old table went with it.
    CREATE TRIGGER message_reindexed AFTER UPDATE OF content_text, spoiler_text ON posts
    WHEN EXISTS (SELECT 1 FROM message_index WHERE surface = new.surface AND post_id = new.remote_id)
    BEGIN
        DELETE FROM message_search
            WHERE rowid = (SELECT id FROM message_index WHERE surface = new.surface AND post_id = new.remote_id);
        INSERT INTO message_search (rowid, body)
            SELECT id, new.spoiler_text || ' ' || new.content_text
            FROM message_index WHERE surface = new.surface AND post_id = new.remote_id;
    END;
    CREATE TRIGGER message_unindexed AFTER DELETE ON posts
    WHEN EXISTS (SELECT 1 FROM message_index WHERE surface = old.surface AND post_id = old.remote_id)
    BEGIN
        DELETE FROM message_search
            WHERE rowid = (SELECT id FROM message_index WHERE surface = old.surface AND post_id = old.remote_id);
        DELETE FROM message_index WHERE surface = old.surface AND post_id = old.remote_id;
    END;
    "#,
    // 14: pictures and timeline entries are keyed by their post first, which takes an index
    // off each. Pictures were keyed by their own id and found through an index by post; the
    // window now names a picture by its post and place (where it shows), so that index becomes
    // the key. Their rows (about 300 bytes of URLs) move to a table with a rowid, as posts did
    // in 13: in a table without one, inner pages hold whole rows, and each sync page rewrote a
    // dozen pages of pictures. Timeline entries were keyed by timeline, then post, and needed
    // a second index by post for the foreign key; keyed by post, then timeline, the key serves
    // both. A sync page wrote about a third of its pages to the two tables and their indexes.
    r#"
    CREATE TABLE media_keyed_by_post (
        surface            TEXT NOT NULL,
        post_id            TEXT NOT NULL,
        position           INTEGER NOT NULL,
        remote_id          TEXT NOT NULL,
        kind               TEXT NOT NULL,
        remote_url         TEXT NOT NULL,
        preview_remote_url TEXT,
        width              INTEGER,
        height             INTEGER,
        description        TEXT,
        blurhash           TEXT,
        PRIMARY KEY (surface, post_id, position),
        FOREIGN KEY (surface, post_id) REFERENCES posts (surface, remote_id) ON DELETE CASCADE
    );
    INSERT OR IGNORE INTO media_keyed_by_post
        SELECT surface, post_id, position, remote_id, kind, remote_url, preview_remote_url, width, height,
               description, blurhash
        FROM media;
    DROP TABLE media;

    CREATE TABLE timeline_entries_keyed_by_post (
        surface     TEXT NOT NULL,
        timeline    TEXT NOT NULL,
        sort_at     INTEGER NOT NULL,
        post_id     TEXT NOT NULL,
        PRIMARY KEY (surface, post_id, timeline),
        FOREIGN KEY (surface, post_id) REFERENCES posts (surface, remote_id) ON DELETE CASCADE
    ) WITHOUT ROWID;
    INSERT INTO timeline_entries_keyed_by_post SELECT surface, timeline, sort_at, post_id FROM timeline_entries;
    DROP TABLE timeline_entries;

    PRAGMA legacy_alter_table = ON;
    ALTER TABLE media_keyed_by_post RENAME TO media;
    ALTER TABLE timeline_entries_keyed_by_post RENAME TO timeline_entries;
    PRAGMA legacy_alter_table = OFF;
    CREATE INDEX timeline_order ON timeline_entries (surface, timeline, sort_at DESC, post_id DESC);
    "#,
];

/// Migrations that rebuild a table. They run with foreign keys off, as SQLite's procedure for
/// changing a table asks (dropping the old table would otherwise cascade to every row that
/// refers to it), and must leave no broken reference behind: that is checked before they
/// commit.
const REBUILDS: &[i64] = &[13, 14];

pub const LATEST: i64 = MIGRATIONS.len() as i64;

pub fn migrate(conn: &mut Connection) -> Result<i64, StoreError> {
    migrate_to(conn, LATEST)
}

/// Migrates up to `target`: tests make caches as older builds left them.
pub(crate) fn migrate_to(conn: &mut Connection, target: i64) -> Result<i64, StoreError> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if current > LATEST {
        return Err(StoreError::FromTheFuture { found: current, supported: LATEST });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().take(target as usize).skip(current as usize) {
        let version = index as i64 + 1;
        if REBUILDS.contains(&version) {
            let enforced: bool = conn.query_row("PRAGMA foreign_keys", [], |row| row.get(0))?;
            conn.pragma_update(None, "foreign_keys", false)?;
            let applied = apply(conn, version, sql, true);
            conn.pragma_update(None, "foreign_keys", enforced)?;
            applied?;
        } else {
            apply(conn, version, sql, false)?;
        }
        tracing::info!(version, "applied cache migration");
    }
    Ok(target)
}

fn apply(conn: &mut Connection, version: i64, sql: &str, check_references: bool) -> Result<(), StoreError> {
    let tx = conn.transaction()?;
    tx.execute_batch(sql)?;
    if check_references {
        let broken: Option<String> = tx.query_row("PRAGMA foreign_key_check", [], |row| row.get(0)).optional()?;
        if let Some(table) = broken {
            return Err(StoreError::Corrupt(format!("migration {version} left rows of {table} referring to nothing")));
        }
    }
    tx.pragma_update(None, "user_version", version)?;
    tx.commit()?;
    Ok(())
}

/// Runs one migration again on a cache at the latest schema, for a test of what it does to
/// rows only a current build can write.
#[cfg(test)]
pub(crate) fn rerun(conn: &Connection, version: i64) -> Result<(), StoreError> {
    Ok(conn.execute_batch(MIGRATIONS[version as usize - 1])?)
}
