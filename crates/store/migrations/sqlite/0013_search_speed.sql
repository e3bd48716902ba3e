-- Search at a million tasks (SQLite dialect; migrations/postgres/0013_search_speed.sql is the
-- PostgreSQL side, written in its own full-text dialect). The same table `search_fts` over
-- `search_entry.folded`, rebuilt with three options that make the first page of a search cost
-- the same at any size (`search.rs` reads the matches in rowid order and stops at the page):
--
-- - prefix = '1 2 3 4 5 6': the last word of a query is a prefix ("ngân s" while typing). A
--   prefix without its own index is answered by merging the posting list of every word that
--   begins with it before the first row comes out: "n*" was 0.5 s, "ngan*" 32 ms at a million
--   tasks, growing with the data. With these indexes a prefix of up to six characters (every
--   folded Vietnamese syllable but a handful) is one posting list, read in rowid order like a
--   word; a longer one still merges the few words that begin with it.
-- - detail = none: no positions. Queries are words that must all be present (no phrase, no
--   NEAR), so positions were never read; without them the index with its six prefix indexes
--   takes less room than the old one had without (200 against 256 MB at a million tasks).
-- - tokenize = 'ascii': the indexed text is `search::words` joined by spaces, already folded
--   and lower-cased, so the index's tokens must be exactly those words. `ascii` splits on ASCII
--   non-alphanumerics only and keeps every other character in the token; `unicode61` would
--   split some words Rust counts as alphanumeric (a spacing mark), and with detail = none a
--   query word split in two would be a phrase, which FTS5 then refuses.
DROP TRIGGER search_entry_ai;
DROP TRIGGER search_entry_ad;
DROP TRIGGER search_entry_au;
DROP TABLE search_fts;

CREATE VIRTUAL TABLE search_fts USING fts5(
    folded, content = 'search_entry', content_rowid = 'id',
    tokenize = 'ascii', detail = none, prefix = '1 2 3 4 5 6'
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

-- The entries already folded, indexed again (20 s at a million tasks).
INSERT INTO search_fts (search_fts) VALUES ('rebuild');
