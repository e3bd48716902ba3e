-- Full-text search over documents and tasks (SQLite dialect: FTS5). The PostgreSQL side
-- (migrations/postgres/0006_search.sql) is written in its own full-text dialect, so the two are
-- not compared line for line.
--
-- Folding is `vn_text::fold`, in Rust, never SQL: `search_entry.folded` holds a document's or a
-- task's searchable text folded (diacritics and case gone, "Sở Kế hoạch" → "so ke hoach") and
-- cut into words, and the database indexes those words. Because the folding happens in the
-- application, the database cannot fold inside a trigger; instead the triggers below mark a
-- changed row in `search_dirty` in the same transaction that changes it (a commit, a restore,
-- any future writer), and the store folds the marked rows into the index before every search
-- (`search.rs`). Nothing committed can be missing from the results, whoever wrote it.
--
-- The whole index can be rebuilt from `document` and `task`, so backups leave it out.
CREATE TABLE search_entry (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('document', 'task')),
    ref_id INTEGER NOT NULL,
    folded TEXT NOT NULL,
    UNIQUE (kind, ref_id)
);

CREATE TABLE search_dirty (
    kind TEXT NOT NULL,
    ref_id INTEGER NOT NULL,
    PRIMARY KEY (kind, ref_id)
);

-- An external-content FTS5 table over `search_entry.folded` (the text is stored once), kept in
-- step by the triggers FTS5's documentation gives for external content.
CREATE VIRTUAL TABLE search_fts USING fts5(
    folded, content = 'search_entry', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TRIGGER search_entry_ai AFTER INSERT ON search_entry BEGIN
    INSERT INTO search_fts (rowid, folded) VALUES (new.id, new.folded);
END;
CREATE TRIGGER search_entry_ad AFTER DELETE ON search_entry BEGIN
    INSERT INTO search_fts (search_fts, rowid, folded) VALUES ('delete', old.id, old.folded);
END;
CREATE TRIGGER search_entry_au AFTER UPDATE ON search_entry BEGIN
    INSERT INTO search_fts (search_fts, rowid, folded) VALUES ('delete', old.id, old.folded);
    INSERT INTO search_fts (rowid, folded) VALUES (new.id, new.folded);
END;

-- Marks: what the index must fold again. Only the searched columns count (a status change
-- does not).
CREATE TRIGGER document_search_ai AFTER INSERT ON document BEGIN
    INSERT OR IGNORE INTO search_dirty (kind, ref_id) VALUES ('document', new.id);
END;
CREATE TRIGGER document_search_au AFTER UPDATE OF kind, code, issuer, subject, text ON document BEGIN
    INSERT OR IGNORE INTO search_dirty (kind, ref_id) VALUES ('document', new.id);
END;
CREATE TRIGGER document_search_ad AFTER DELETE ON document BEGIN
    INSERT OR IGNORE INTO search_dirty (kind, ref_id) VALUES ('document', old.id);
END;
CREATE TRIGGER task_search_ai AFTER INSERT ON task BEGIN
    INSERT OR IGNORE INTO search_dirty (kind, ref_id) VALUES ('task', new.id);
END;
CREATE TRIGGER task_search_au AFTER UPDATE OF outline_id, text ON task BEGIN
    INSERT OR IGNORE INTO search_dirty (kind, ref_id) VALUES ('task', new.id);
END;
CREATE TRIGGER task_search_ad AFTER DELETE ON task BEGIN
    INSERT OR IGNORE INTO search_dirty (kind, ref_id) VALUES ('task', old.id);
END;

-- Backfill: every existing row is folded in on first use (`Store::open` drains the marks).
INSERT INTO search_dirty (kind, ref_id) SELECT 'document', id FROM document;
INSERT INTO search_dirty (kind, ref_id) SELECT 'task', id FROM task;
