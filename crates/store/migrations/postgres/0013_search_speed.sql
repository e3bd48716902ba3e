-- Search at a million tasks (PostgreSQL dialect; migrations/sqlite/0013_search_speed.sql is the
-- SQLite side). A GIN index returns every match at once, in no useful order, so the first
-- page of a search in id order (`search.rs`) fetched and sorted every matching row (0.3-2 s
-- for an agency member at 100,000-1,000,000 tasks), or, when the planner chose to walk the
-- ids instead, computed to_tsvector for each row until 25 matched (a rare word: 4 s at
-- 100,000 tasks, 32 s at 1,000,000 for a word in no entry); and a prefix ("ngan:*") merged
-- the posting lists of every word beginning with it. This index holds, for each entry, keys
-- that let the index itself do what the order and the prefix need:
--
-- - every word of `folded` (`search::words`, joined by spaces) as it is, with no parser in
--   between, so the words are exactly those SQLite's FTS5 table indexes;
-- - '^' and each of its prefixes of 1 to 6 characters ('^n', '^ng', … '^ngan'): the last word
--   of a query, a prefix, is one key like a word (a longer prefix is the six-character key
--   and the word itself as a prefix);
-- - '~L:B' with B = id >> L for L = 10, 12, … 26: the entry's block of 2^L ids at each size.
--   A search asks for its words AND a window of two blocks after the cursor, smallest size
--   first: with a block among the keys the index reads only that window's entries (GIN
--   skips through the longer posting lists), so a page of a common word costs the same at
--   any size, and a rare word costs a few empty windows.
--
-- The words are taken as they are, so `folded` holds only what `search::words` makes; a word
-- over 2,000 bytes (no tsvector key may reach 2,048) is left out and no search finds it.
CREATE FUNCTION search_keys(id BIGINT, folded TEXT) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    words TEXT[] := ARRAY(SELECT DISTINCT w FROM unnest(string_to_array(folded, ' ')) w
                          WHERE w <> '' AND octet_length(w) <= 2000);
    keys TEXT[] := words;
    w TEXT;
    n INT;
BEGIN
    FOREACH w IN ARRAY words LOOP
        FOR n IN 1 .. least(6, length(w)) LOOP
            keys := keys || ('^' || left(w, n));
        END LOOP;
    END LOOP;
    FOREACH n IN ARRAY ARRAY[10, 12, 14, 16, 18, 20, 22, 24, 26] LOOP
        keys := keys || ('~' || n || ':' || (id >> n));
    END LOOP;
    RETURN array_to_tsvector(keys);
END;
$$;

-- Built in one pass over the entries (2 minutes at a million tasks: 234 MB, against 30 and
-- 17 MB for this index and the one it replaces at 100,000 tasks); the index of migration 6
-- goes, nothing reads it any more.
CREATE INDEX search_entry_keys ON search_entry USING GIN (search_keys(id, folded));
DROP INDEX search_entry_words;
ANALYZE search_entry;
