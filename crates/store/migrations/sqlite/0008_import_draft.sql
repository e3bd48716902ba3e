-- Import drafts: an uploaded file and its parse, kept between upload and commit while a person
-- reviews the proposed tasks (SQLite dialect; kept in step with
-- migrations/postgres/0008_import_draft.sql like the schema of version 1).
--
-- `original` is the file as uploaded, dropped (NULL) once the draft is committed (the document
-- keeps it in `file_blob`) or discarded. `parsed` is the parse result as JSON ({document, text}),
-- so a commit does not read the file again (a scan is not OCRed twice); `tasks` the proposal as
-- edited, a JSON array of review tasks; `revision` counts saved edits, so two reviewers cannot
-- overwrite each other unseen.
CREATE TABLE import_draft (
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    original BLOB,
    parsed TEXT NOT NULL,
    tasks TEXT NOT NULL,
    revision INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'committed', 'discarded')),
    document_id INTEGER REFERENCES document (id),
    created_by INTEGER REFERENCES app_user (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((state = 'open') = (original IS NOT NULL))
);

CREATE INDEX import_draft_state ON import_draft (state, id);
