-- What an administrator changes without a new release: the province's tracking settings and
-- the days the Government declares off or working after a year's schedule is known (SQLite
-- dialect; kept in step with migrations/postgres/0010_settings.sql like the schema of version 1).
--
-- `setting`: one row per key; `tracking` holds workflow::Settings as JSON (checked by
-- deserialising it before it is written), with who changed it last and when. No row: the
-- defaults. Every change is also in the audit log, with the value before and after.
CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_by INTEGER REFERENCES app_user (id),
    updated_at TEXT NOT NULL
);

-- `calendar_change`: a day declared off or a working day (a Prime Minister's decision moving a
-- day off), with its legal basis in `note`; laid over the built-in calendar (one per day).
CREATE TABLE calendar_change (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('day_off', 'working_day')),
    note TEXT NOT NULL,
    created_by INTEGER REFERENCES app_user (id),
    created_at TEXT NOT NULL
);
