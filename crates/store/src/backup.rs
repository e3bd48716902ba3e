//! Logical backup and restore: every table of the store as JSON Lines (`nhiemvu.backup/1`),
//! written from one snapshot and read back in one transaction.
//!
//! A logical dump rather than the databases' own tools (SQLite's `VACUUM INTO`, `pg_dump`):
//! the same file restores into either backend, so a province can move from the embedded SQLite
//! file to a PostgreSQL server, and the restore needs no client program of the server's
//! version. Values keep their stored form (dates, timestamps and JSON are text in both schemas),
//! so a restored database reads exactly as the original.
//!
//! Format: a header object (`format`, `schema`, `backend`, `created_at`), then for each table
//! an object `{"table", "columns"}` followed by one JSON array per row (blobs as hex), then
//! `{"end": true, "rows": N}`; a file without its end line is refused as cut short.

use std::io::{BufRead, Write};

use serde_json::{Value as Json, json};

use crate::Store;
use crate::db::{self, Backend, Tx, Value, q};
use crate::error::{Error, Result};
use crate::time::Timestamp;

/// The format name on the first line of a backup.
pub const BACKUP_FORMAT: &str = "nhiemvu.backup/1";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Text,
    Blob,
}
use Kind::{Blob as B, Int as I, Text as T};

/// A table as dumped: its columns in schema order, the key that orders its rows, and the column
/// that refers to another row of the same table (restored after all rows are in, so that no
/// row has to come before its parent).
struct Table {
    name: &'static str,
    key: &'static str,
    columns: &'static [(&'static str, Kind)],
    self_ref: Option<&'static str>,
}

/// Every table of the schema, parents before children (the order rows are restored in); a test
/// checks this list against the migrated schema. The search index's tables are left out: they
/// are rebuilt from documents and tasks (the triggers of migration 6 mark every restored row,
/// and the next search folds them in again).
const TABLES: &[Table] = &[
    Table {
        name: "store_meta",
        key: "key",
        columns: &[("key", T), ("value", T)],
        self_ref: None,
    },
    Table {
        name: "app_user",
        key: "id",
        columns: &[
            ("id", I),
            ("login", T),
            ("full_name", T),
            ("email", T),
            ("password_hash", T),
            ("active", I),
            ("created_at", T),
        ],
        self_ref: None,
    },
    Table {
        name: "session",
        key: "id",
        columns: &[
            ("id", I),
            ("token_hash", T),
            ("user_id", I),
            ("created_at", T),
            ("expires_at", T),
        ],
        self_ref: None,
    },
    Table {
        name: "api_token",
        key: "id",
        columns: &[
            ("id", I),
            ("token_hash", T),
            ("user_id", I),
            ("name", T),
            ("created_at", T),
            ("revoked_at", T),
        ],
        self_ref: None,
    },
    Table {
        name: "login_failure",
        key: "id",
        columns: &[("id", I), ("login", T), ("ip", T), ("until", T)],
        self_ref: None,
    },
    Table {
        name: "user_role",
        key: "user_id, role",
        columns: &[("user_id", I), ("role", T)],
        self_ref: None,
    },
    Table {
        name: "agency",
        key: "id",
        columns: &[
            ("id", I),
            ("name", T),
            ("name_folded", T),
            ("kind", T),
            ("parent_id", I),
            ("valid_from", T),
            ("valid_to", T),
            ("note", T),
        ],
        self_ref: Some("parent_id"),
    },
    Table {
        name: "agency_alias",
        key: "agency_id, alias",
        columns: &[("agency_id", I), ("alias", T), ("alias_folded", T)],
        self_ref: None,
    },
    Table {
        name: "agency_group_member",
        key: "group_id, member_id",
        columns: &[("group_id", I), ("member_id", I)],
        self_ref: None,
    },
    Table {
        name: "agency_membership",
        key: "user_id, agency_id",
        columns: &[("user_id", I), ("agency_id", I)],
        self_ref: None,
    },
    Table {
        name: "reorganisation",
        key: "id",
        columns: &[
            ("id", I),
            ("kind", T),
            ("effective_on", T),
            ("note", T),
            ("applied_at", T),
            ("applied_by", I),
        ],
        self_ref: None,
    },
    Table {
        name: "reorganisation_predecessor",
        key: "reorganisation_id, agency_id",
        columns: &[("reorganisation_id", I), ("agency_id", I)],
        self_ref: None,
    },
    Table {
        name: "reorganisation_successor",
        key: "reorganisation_id, agency_id",
        columns: &[
            ("reorganisation_id", I),
            ("agency_id", I),
            ("is_primary", I),
            ("function", T),
        ],
        self_ref: None,
    },
    Table {
        name: "file_blob",
        key: "sha256",
        columns: &[("sha256", T), ("size", I), ("content", B)],
        self_ref: None,
    },
    Table {
        name: "document",
        key: "id",
        columns: &[
            ("id", I),
            ("sha256", T),
            ("file_name", T),
            ("format", T),
            ("kind", T),
            ("code", T),
            ("number", T),
            ("symbol", T),
            ("year", I),
            ("issuer", T),
            ("place", T),
            ("issued_on", T),
            ("subject", T),
            ("monitor_agency", T),
            ("text", T),
            ("parse_result", T),
            ("imported_at", T),
            ("imported_by", I),
        ],
        self_ref: None,
    },
    Table {
        name: "document_reference",
        key: "id",
        columns: &[
            ("id", I),
            ("document_id", I),
            ("position", I),
            ("code", T),
            ("kind", T),
            ("number", T),
            ("year", I),
            ("symbol", T),
            ("issued_on", T),
            ("issuer", T),
            ("text", T),
            ("span_start", I),
            ("span_end", I),
            ("resolved_from", T),
            ("target_document_id", I),
        ],
        self_ref: None,
    },
    Table {
        name: "task",
        key: "id",
        columns: &[
            ("id", I),
            ("document_id", I),
            ("outline_id", T),
            ("text", T),
            ("span_start", I),
            ("span_end", I),
            ("parent_task_id", I),
            ("status", T),
            ("created_at", T),
            ("assigned_officer_id", I),
            ("reported_done_by", I),
        ],
        self_ref: Some("parent_task_id"),
    },
    Table {
        name: "task_assignment",
        key: "id",
        columns: &[
            ("id", I),
            ("task_id", I),
            ("role", T),
            ("position", I),
            ("party_kind", T),
            ("name", T),
            ("original_agency_id", I),
            ("agency_id", I),
        ],
        self_ref: None,
    },
    Table {
        name: "task_deadline",
        key: "id",
        columns: &[
            ("id", I),
            ("task_id", I),
            ("kind", T),
            ("due_on", T),
            ("text", T),
            ("every", T),
            ("source", T),
            ("reason", T),
            ("recorded_at", T),
            ("recorded_by", I),
        ],
        self_ref: None,
    },
    Table {
        name: "reorganisation_move",
        key: "id",
        columns: &[
            ("id", I),
            ("reorganisation_id", I),
            ("assignment_id", I),
            ("from_agency_id", I),
            ("to_agency_id", I),
            ("moved_at", T),
        ],
        self_ref: None,
    },
    Table {
        name: "progress_report",
        key: "id",
        columns: &[
            ("id", I),
            ("task_id", I),
            ("agency_id", I),
            ("author_id", I),
            ("reported_at", T),
            ("status", T),
            ("percent", I),
            ("content", T),
            ("result_code", T),
            ("result_document_id", I),
        ],
        self_ref: None,
    },
    Table {
        name: "attachment",
        key: "id",
        columns: &[
            ("id", I),
            ("report_id", I),
            ("position", I),
            ("file_name", T),
            ("media_type", T),
            ("sha256", T),
            ("size", I),
        ],
        self_ref: None,
    },
    Table {
        name: "task_status_change",
        key: "id",
        columns: &[
            ("id", I),
            ("task_id", I),
            ("action", T),
            ("from_status", T),
            ("to_status", T),
            ("on_date", T),
            ("at", T),
            ("by_user_id", I),
            ("reason", T),
        ],
        self_ref: None,
    },
    Table {
        name: "extension_request",
        key: "id",
        columns: &[
            ("id", I),
            ("task_id", I),
            ("requested_by", I),
            ("requested_at", T),
            ("current_due_on", T),
            ("proposed_due_on", T),
            ("reason", T),
            ("decision", T),
            ("decided_by", I),
            ("decided_at", T),
            ("decision_note", T),
        ],
        self_ref: None,
    },
    Table {
        name: "supersession",
        key: "id",
        columns: &[
            ("id", I),
            ("document_id", I),
            ("earlier_document_id", I),
            ("relation", T),
            ("created_at", T),
        ],
        self_ref: None,
    },
    Table {
        name: "superseded_task",
        key: "supersession_id, task_id",
        columns: &[
            ("supersession_id", I),
            ("task_id", I),
            ("decision", T),
            ("carried_to_task_id", I),
            ("decided_by", I),
            ("decided_at", T),
        ],
        self_ref: None,
    },
    Table {
        name: "notice",
        key: "id",
        columns: &[
            ("id", I),
            ("user_id", I),
            ("task_id", I),
            ("kind", T),
            ("dedupe_key", T),
            ("title", T),
            ("body", T),
            ("created_at", T),
            ("read_at", T),
        ],
        self_ref: None,
    },
    // With its leases: a restored row leased by a scheduler of the old installation is taken
    // over once its lease runs out, like one of a killed process.
    Table {
        name: "outbox",
        key: "id",
        columns: &[
            ("id", I),
            ("dedupe_key", T),
            ("recipient", T),
            ("subject", T),
            ("body", T),
            ("message_id", T),
            ("created_at", T),
            ("not_before", T),
            ("attempts", I),
            ("lease_owner", T),
            ("lease_until", T),
            ("sent_at", T),
            ("failed_at", T),
            ("last_error", T),
        ],
        self_ref: None,
    },
    Table {
        name: "import_draft",
        key: "id",
        columns: &[
            ("id", I),
            ("file_name", T),
            ("sha256", T),
            ("original", B),
            ("parsed", T),
            ("tasks", T),
            ("revision", I),
            ("state", T),
            ("document_id", I),
            ("created_by", I),
            ("created_at", T),
            ("updated_at", T),
        ],
        self_ref: None,
    },
    Table {
        name: "webhook",
        key: "id",
        columns: &[
            ("id", I),
            ("url", T),
            ("events", T),
            ("secret", T),
            ("audit_cursor", I),
            ("created_by", I),
            ("created_at", T),
            ("revoked_at", T),
        ],
        self_ref: None,
    },
    Table {
        name: "webhook_delivery",
        key: "id",
        columns: &[
            ("id", I),
            ("webhook_id", I),
            ("audit_id", I),
            ("delivery_id", T),
            ("event", T),
            ("payload", T),
            ("created_at", T),
            ("not_before", T),
            ("attempts", I),
            ("lease_owner", T),
            ("lease_until", T),
            ("sent_at", T),
            ("failed_at", T),
            ("last_status", I),
            ("last_error", T),
        ],
        self_ref: None,
    },
    Table {
        name: "setting",
        key: "key",
        columns: &[
            ("key", T),
            ("value", T),
            ("updated_by", I),
            ("updated_at", T),
        ],
        self_ref: None,
    },
    Table {
        name: "calendar_change",
        key: "id",
        columns: &[
            ("id", I),
            ("day", T),
            ("kind", T),
            ("note", T),
            ("created_by", I),
            ("created_at", T),
        ],
        self_ref: None,
    },
    Table {
        name: "audit_log",
        key: "id",
        columns: &[
            ("id", I),
            ("at", T),
            ("actor_user_id", I),
            ("entity", T),
            ("entity_id", T),
            ("action", T),
            ("before_json", T),
            ("after_json", T),
        ],
        self_ref: None,
    },
];

impl Table {
    fn column_list(&self) -> String {
        self.columns
            .iter()
            .map(|c| c.0)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Rows per SELECT: few for blobs (originals reach tens of megabytes), many otherwise.
    fn page(&self) -> usize {
        if self.columns.iter().any(|c| c.1 == B) {
            8
        } else {
            2000
        }
    }
}

fn write_line(out: &mut dyn Write, value: &Json) -> Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

fn bad(line: usize, reason: String) -> Error {
    Error::BadBackup { line, reason }
}

/// A row's id and the id its self-reference points to.
type Parent = (i64, i64);

/// The values to bind for one row of `t` (line `n`), the self-reference left NULL, and the
/// `(id, parent)` to set once every row is in.
fn row_values(t: &Table, values: &[Json], n: usize) -> Result<(Vec<Value>, Option<Parent>)> {
    let mut bound = Vec::with_capacity(values.len());
    let mut id = None;
    let mut parent = None;
    for (v, &(column, kind)) in values.iter().zip(t.columns) {
        let wrong = || {
            bad(
                n,
                format!("cột {}.{column} có giá trị không hợp lệ: {v}", t.name),
            )
        };
        let value = match (kind, v) {
            (I, Json::Null) => Value::Int(None),
            (I, v) => Value::Int(Some(v.as_i64().ok_or_else(wrong)?)),
            (T, Json::Null) => Value::Text(None),
            (T, Json::String(s)) => Value::Text(Some(s.clone())),
            (B, Json::String(s)) => Value::Bytes(unhex(s).ok_or_else(wrong)?),
            _ => return Err(wrong()),
        };
        if column == "id" {
            id = v.as_i64();
        }
        if Some(column) == t.self_ref {
            parent = id.zip(v.as_i64());
            bound.push(Value::Int(None));
        } else {
            bound.push(value);
        }
    }
    Ok((bound, parent))
}

fn backend_code(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

impl Store {
    /// Writes the whole store to `out` as a `nhiemvu.backup/1` file, from one consistent
    /// snapshot (writers go on meanwhile); the number of rows written.
    pub async fn backup(&self, out: &mut (impl Write + Send)) -> Result<u64> {
        let mut tx = self.pool.snapshot().await?;
        write_line(
            out,
            &json!({
                "format": BACKUP_FORMAT,
                "schema": db::SCHEMA_VERSION,
                "backend": backend_code(self.backend()),
                "created_at": Timestamp::now().to_string(),
            }),
        )?;
        let mut total = 0u64;
        for table in TABLES {
            let names: Vec<&str> = table.columns.iter().map(|c| c.0).collect();
            write_line(out, &json!({"table": table.name, "columns": names}))?;
            let page = table.page();
            let mut offset = 0usize;
            loop {
                let rows = tx
                    .all(q(format!(
                        "SELECT {} FROM {} ORDER BY {} LIMIT {page} OFFSET {offset}",
                        table.column_list(),
                        table.name,
                        table.key
                    )))
                    .await?;
                for row in &rows {
                    let mut values = Vec::with_capacity(table.columns.len());
                    for (i, &(_, kind)) in table.columns.iter().enumerate() {
                        values.push(match kind {
                            I => Json::from(row.opt_int(i)?),
                            T => Json::from(row.opt_text(i)?),
                            B => row
                                .opt_bytes(i)?
                                .map_or(Json::Null, |b| Json::from(hex(&b))),
                        });
                    }
                    write_line(out, &Json::Array(values))?;
                }
                total += rows.len() as u64;
                if rows.len() < page {
                    break;
                }
                offset += page;
            }
        }
        write_line(out, &json!({"end": true, "rows": total}))?;
        out.flush()?;
        Ok(total)
    }

    /// Replaces the whole content of the store with a backup written by [`Store::backup`] from
    /// either backend, in one transaction: a bad line anywhere leaves the store as it was.
    /// Refused ([`Error::NotEmpty`]) when the store holds any document, user or recorded change
    /// and `force` is false. The number of rows restored.
    pub async fn restore(&self, input: &mut (impl BufRead + Send), force: bool) -> Result<u64> {
        let mut lines = input.lines();
        let first = lines.next().ok_or_else(|| bad(1, "tệp rỗng".to_owned()))?;
        let header: Json =
            serde_json::from_str(&first?).map_err(|e| bad(1, format!("không phải JSON: {e}")))?;
        if header["format"] != BACKUP_FORMAT {
            return Err(bad(
                1,
                format!(
                    "không phải tệp {BACKUP_FORMAT} (format = {})",
                    header["format"]
                ),
            ));
        }
        if header["schema"] != db::SCHEMA_VERSION {
            return Err(bad(
                1,
                format!(
                    "lược đồ phiên bản {} nhưng cơ sở dữ liệu này dùng phiên bản {}",
                    header["schema"],
                    db::SCHEMA_VERSION
                ),
            ));
        }

        let mut tx = self.pool.write().await?;
        if !force {
            // A freshly opened store holds only the seeded directory and its one audit row.
            let row = tx
                .one(q(
                    "SELECT (SELECT COUNT(*) FROM document), (SELECT COUNT(*) FROM app_user), \
                        (SELECT COUNT(*) FROM audit_log WHERE entity <> 'directory')",
                ))
                .await?;
            let (documents, users, changes) = (row.int(0)?, row.int(1)?, row.int(2)?);
            if documents + users + changes > 0 {
                return Err(Error::NotEmpty {
                    documents,
                    users,
                    changes,
                });
            }
        }
        // The append-only triggers must let the restore empty the log; they are back before
        // the transaction commits, so no other session ever sees the log unguarded.
        unguard_audit(&mut tx, self.backend()).await?;
        for table in TABLES.iter().rev() {
            tx.execute(q(format!("DELETE FROM {}", table.name))).await?;
        }

        let mut table: Option<&'static Table> = None;
        let mut insert = String::new();
        // Rows of the current table not yet written: inserted many to a statement (a row per
        // statement made restoring 3,000 documents take 20 s on SQLite, 40 s on PostgreSQL),
        // flushed by count and by size so that large originals never pile up in memory.
        const FLUSH_ROWS: usize = 200;
        const FLUSH_BYTES: usize = 4 << 20;
        let mut pending: Vec<Vec<Value>> = Vec::new();
        let mut pending_bytes = 0usize;
        let mut parents: Vec<(&'static Table, i64, i64)> = Vec::new();
        let mut total = 0u64;
        let mut ended = false;
        for (i, line) in lines.enumerate() {
            // 1-based, after the header.
            let n = i + 2;
            let line = line?;
            if ended {
                return Err(bad(n, "còn dữ liệu sau dòng kết thúc".to_owned()));
            }
            let value: Json =
                serde_json::from_str(&line).map_err(|e| bad(n, format!("không phải JSON: {e}")))?;
            match value {
                Json::Array(values) => {
                    let t =
                        table.ok_or_else(|| bad(n, "dòng dữ liệu trước tên bảng".to_owned()))?;
                    if values.len() != t.columns.len() {
                        return Err(bad(
                            n,
                            format!(
                                "bảng {} cần {} cột, dòng có {}",
                                t.name,
                                t.columns.len(),
                                values.len()
                            ),
                        ));
                    }
                    let (bound, parent) = row_values(t, &values, n)?;
                    if let Some(parent) = parent {
                        parents.push((t, parent.0, parent.1));
                    }
                    pending.push(bound);
                    pending_bytes += line.len();
                    if pending.len() >= FLUSH_ROWS || pending_bytes >= FLUSH_BYTES {
                        tx.insert_rows(&insert, std::mem::take(&mut pending))
                            .await?;
                        pending_bytes = 0;
                    }
                    total += 1;
                }
                Json::Object(o) if o.get("end") == Some(&Json::Bool(true)) => {
                    if o.get("rows").and_then(Json::as_u64) != Some(total) {
                        return Err(bad(
                            n,
                            format!(
                                "dòng kết thúc ghi {} bản ghi nhưng tệp có {total}",
                                o["rows"]
                            ),
                        ));
                    }
                    tx.insert_rows(&insert, std::mem::take(&mut pending))
                        .await?;
                    ended = true;
                }
                Json::Object(o) => {
                    let name = o.get("table").and_then(Json::as_str).unwrap_or_default();
                    let t = TABLES
                        .iter()
                        .find(|t| t.name == name)
                        .ok_or_else(|| bad(n, format!("bảng không có trong lược đồ: {name:?}")))?;
                    let columns: Vec<&str> = t.columns.iter().map(|c| c.0).collect();
                    if o.get("columns") != Some(&json!(columns)) {
                        return Err(bad(
                            n,
                            format!("các cột của bảng {name} không khớp với lược đồ"),
                        ));
                    }
                    tx.insert_rows(&insert, std::mem::take(&mut pending))
                        .await?;
                    pending_bytes = 0;
                    insert = format!("INSERT INTO {name} ({})", t.column_list());
                    table = Some(t);
                }
                other => return Err(bad(n, format!("dòng không hợp lệ: {other}"))),
            }
        }
        if !ended {
            return Err(bad(0, "tệp bị cắt cụt: thiếu dòng kết thúc".to_owned()));
        }
        for (t, id, parent) in parents {
            let column = t.self_ref.unwrap_or_default();
            tx.execute(
                q(format!("UPDATE {} SET {column} = $1 WHERE id = $2", t.name))
                    .bind(parent)
                    .bind(id),
            )
            .await?;
        }
        guard_audit(&mut tx, self.backend()).await?;
        if self.backend() == Backend::Postgres {
            // Rows came with their ids; the identity sequences must continue after them.
            // A plain loop: a filtering closure kept across the awaits makes this future
            // not `Send` for every lifetime (a rustc limitation), and callers spawn it.
            for t in TABLES {
                if t.key != "id" {
                    continue;
                }
                tx.execute(q(format!(
                    "SELECT setval(pg_get_serial_sequence('{0}', 'id'), COALESCE((SELECT MAX(id) FROM {0}), 0) + 1, false)",
                    t.name
                )))
                .await?;
            }
        }
        tx.commit().await?;
        // The standings are derived and not in the backup (crate::standing).
        self.refresh_standings().await?;
        Ok(total)
    }
}

async fn unguard_audit(tx: &mut Tx, backend: Backend) -> Result<()> {
    match backend {
        Backend::Sqlite => {
            tx.execute(q("DROP TRIGGER audit_log_no_update")).await?;
            tx.execute(q("DROP TRIGGER audit_log_no_delete")).await?;
        }
        Backend::Postgres => {
            tx.execute(q("ALTER TABLE audit_log DISABLE TRIGGER USER"))
                .await?;
        }
    }
    Ok(())
}

async fn guard_audit(tx: &mut Tx, backend: Backend) -> Result<()> {
    match backend {
        // The triggers exactly as the migration creates them (the SQLite driver runs every
        // statement of a parameterless script).
        Backend::Sqlite => {
            tx.execute(q(db::SQLITE_MIGRATIONS[1].2)).await?;
            Ok(())
        }
        Backend::Postgres => {
            tx.execute(q("ALTER TABLE audit_log ENABLE TRIGGER USER"))
                .await?;
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip() {
        let bytes: Vec<u8> = (0..=255).collect();
        assert_eq!(unhex(&hex(&bytes)), Some(bytes));
        assert_eq!(unhex("abc"), None);
        assert_eq!(unhex("zz"), None);
    }

    /// Tables left out of backups because they are rebuilt from the others: the search index
    /// (`search.rs`; the triggers of migration 6 mark every restored document and task, and the
    /// next search folds them in again), with FTS5's own tables on SQLite; the tasks'
    /// standings and their tally (`standing.rs`, `tally.rs`; computed again at the end of a
    /// restore).
    const REBUILT: &[&str] = &[
        "task_standing",
        "task_standing_calendar",
        "task_tally",
        "task_tally_closed",
        "task_tally_fold",
        "search_entry",
        "search_dirty",
        "search_fts",
        "search_fts_config",
        "search_fts_data",
        "search_fts_docsize",
        "search_fts_idx",
    ];

    /// The dumped tables and columns are exactly those of the migrated schema, with the
    /// declared types: a column added by a migration and forgotten here fails.
    #[tokio::test]
    async fn tables_match_the_schema() {
        let path =
            std::env::temp_dir().join(format!("nhiemvu_backup_schema_{}.db", std::process::id()));
        let store = Store::open(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        let mut tx = store.pool.read().await.unwrap();
        let names = tx
            .all(q("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' \
                    AND name NOT LIKE 'sqlite%' ORDER BY name"))
            .await
            .unwrap();
        let mut schema: Vec<String> = names
            .iter()
            .map(|r| r.text(0).unwrap())
            .filter(|n| !REBUILT.contains(&n.as_str()))
            .collect();
        let mut ours: Vec<String> = TABLES.iter().map(|t| t.name.to_owned()).collect();
        schema.sort();
        ours.sort();
        assert_eq!(ours, schema);
        for t in TABLES {
            let rows = tx
                .all(q(format!(
                    "SELECT name, type FROM pragma_table_info('{}') ORDER BY cid",
                    t.name
                )))
                .await
                .unwrap();
            let actual: Vec<(String, String)> = rows
                .iter()
                .map(|r| (r.text(0).unwrap(), r.text(1).unwrap()))
                .collect();
            let expected: Vec<(String, String)> = t
                .columns
                .iter()
                .map(|&(c, k)| {
                    (
                        c.to_owned(),
                        match k {
                            I => "INTEGER",
                            T => "TEXT",
                            B => "BLOB",
                        }
                        .to_owned(),
                    )
                })
                .collect();
            assert_eq!(actual, expected, "table {}", t.name);
        }
        drop(tx);
        store.close().await;
        std::fs::remove_file(&path).ok();
    }
}
