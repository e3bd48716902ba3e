//! What an administrator changes without a new release (migration 10): the province's tracking
//! settings ([`workflow::Settings`], stored as JSON and read back through its own
//! deserialiser, so a stored value is always one the rules accept), and the days the
//! Government declares off or working after a year's schedule is known, laid over the built-in
//! calendar ([`Store::calendar`]). Every change writes its audit row in the same transaction.
//!
//! [`Store::rules`] gives both at once: what the server, the scheduler and the reports count
//! working days and timeliness with.

use serde_json::json;
use vn_calendar::{Calendar, Date};
use workflow::Settings;

use crate::Store;
use crate::audit;
use crate::db::{Tx, parse_date, q};
use crate::error::{Error, Result};
use crate::time::Timestamp;
use crate::types::{Actor, CalendarChangeId, CalendarChangeKind, UserId};

/// The key of the tracking settings in the `setting` table.
const TRACKING: &str = "tracking";

/// Longest note of a calendar change, in characters.
pub const MAX_CALENDAR_NOTE_CHARS: usize = 500;

/// A day the Government declared off or a working day, as an administrator entered it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CalendarChange {
    /// Its id.
    pub id: CalendarChangeId,
    /// The day.
    #[serde(serialize_with = "crate::time::serialize_date")]
    pub date: Date,
    /// A day off or a working day.
    pub kind: CalendarChangeKind,
    /// The legal basis and what it is ("Quyết định 1234/QĐ-TTg: nghỉ thêm dịp Quốc khánh").
    pub note: String,
    /// Who entered it.
    pub created_by: Option<UserId>,
    /// When.
    pub created_at: Timestamp,
}

/// A calendar change to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCalendarChange {
    /// The day, 1900–2199.
    pub date: Date,
    /// A day off or a working day.
    pub kind: CalendarChangeKind,
    /// The legal basis, not empty, at most [`MAX_CALENDAR_NOTE_CHARS`] characters.
    pub note: String,
}

/// The calendar and settings that working days and timeliness are counted with.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    /// The built-in calendar with the stored changes ([`Store::calendar`]).
    pub calendar: Calendar,
    /// The stored settings, or the defaults ([`Store::settings`]).
    pub settings: Settings,
}

/// The built-in calendar ([`Calendar::new`]) with `changes` declared on it.
pub fn calendar_with(changes: &[CalendarChange]) -> Calendar {
    let mut calendar = Calendar::new();
    for c in changes {
        // Dates were checked against the calendar's range when they were added.
        calendar
            .declare(c.date, c.kind == CalendarChangeKind::WorkingDay, &c.note)
            .ok();
    }
    calendar
}

impl Store {
    /// The tracking settings in force: the stored ones, else the defaults.
    pub async fn settings(&self) -> Result<Settings> {
        let mut tx = self.pool.read().await?;
        let row = tx
            .optional(q("SELECT value FROM setting WHERE key = $1").bind(TRACKING))
            .await?;
        match row {
            Some(r) => parse_settings(&r.text(0)?),
            None => Ok(Settings::default()),
        }
    }

    /// Saves the tracking settings after checking them ([`Settings::validate`]); `false`, and
    /// nothing written, when they equal the ones in force (a form submitted twice).
    pub async fn save_settings(&self, settings: &Settings, actor: Actor) -> Result<bool> {
        settings.validate()?;
        let value = serde_json::to_string(settings).map_err(|e| Error::Invalid {
            what: "thiết lập",
            value: e.to_string(),
        })?;
        // What is stored is read back by the same deserialiser that reads it later.
        parse_settings(&value)?;
        let mut tx = self.pool.write().await?;
        let before = match tx
            .optional(q("SELECT value FROM setting WHERE key = $1").bind(TRACKING))
            .await?
        {
            Some(r) => parse_settings(&r.text(0)?)?,
            None => Settings::default(),
        };
        if before == *settings {
            return Ok(false);
        }
        tx.execute(
            q(
                "INSERT INTO setting (key, value, updated_by, updated_at) VALUES ($1, $2, $3, $4) \
               ON CONFLICT (key) DO UPDATE SET value = excluded.value, \
               updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            )
            .bind(TRACKING)
            .bind(value)
            .bind(actor.user_id())
            .bind(Timestamp::now().to_string()),
        )
        .await?;
        audit::record(
            &mut tx,
            actor,
            "setting",
            TRACKING,
            "update",
            Some(json!(before)),
            Some(json!(settings)),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The calendar changes, by date.
    pub async fn calendar_changes(&self) -> Result<Vec<CalendarChange>> {
        let mut tx = self.pool.read().await?;
        changes_in(&mut tx).await
    }

    /// Adds a calendar change. The same change added again (a form submitted twice) returns
    /// the stored one and writes nothing; another change of the same day is refused
    /// (`calendar_day_taken`): one declaration per day, removed before it is replaced.
    pub async fn add_calendar_change(
        &self,
        new: &NewCalendarChange,
        actor: Actor,
    ) -> Result<CalendarChange> {
        use vn_calendar::lunar::{FIRST_YEAR, LAST_YEAR};
        if !(FIRST_YEAR..=LAST_YEAR).contains(&new.date.year()) {
            return Err(Error::Invalid {
                what: "ngày (lịch tính từ 1900 đến 2199)",
                value: new.date.to_string(),
            });
        }
        let note = new.note.trim();
        if note.is_empty() || note.chars().count() > MAX_CALENDAR_NOTE_CHARS {
            return Err(Error::Invalid {
                what: "căn cứ (cần nêu, tối đa 500 ký tự)",
                value: note.chars().take(40).collect(),
            });
        }
        let mut tx = self.pool.write().await?;
        let existing = tx
            .optional(
                q("SELECT id, kind, note FROM calendar_change WHERE day = $1")
                    .bind(new.date.to_string()),
            )
            .await?;
        if let Some(r) = existing {
            let id = CalendarChangeId(r.int(0)?);
            let kind: CalendarChangeKind = r.parsed(1)?;
            drop(tx);
            if kind == new.kind && r.text(2)? == note {
                return self.calendar_change(id).await;
            }
            return Err(Error::Refused {
                code: "calendar_day_taken",
                message: format!(
                    "Ngày {} đã được khai báo là {}; xóa khai báo đó trước khi khai báo lại",
                    new.date,
                    kind.label_vi().to_lowercase()
                ),
            });
        }
        let at = Timestamp::now();
        let id = tx
            .one(
                q(
                    "INSERT INTO calendar_change (day, kind, note, created_by, created_at) \
                   VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(new.date.to_string())
                .bind(new.kind.code())
                .bind(note)
                .bind(actor.user_id())
                .bind(at.to_string()),
            )
            .await?
            .int(0)?;
        let change = CalendarChange {
            id: CalendarChangeId(id),
            date: new.date,
            kind: new.kind,
            note: note.to_owned(),
            created_by: actor.user_id().map(UserId),
            created_at: at,
        };
        crate::standing::calendar_changed(&mut tx, new.date).await?;
        audit::record(
            &mut tx,
            actor,
            "calendar_change",
            id,
            "create",
            None,
            Some(json!(change)),
        )
        .await?;
        tx.commit().await?;
        Ok(change)
    }

    /// Removes a calendar change; `false`, and nothing written, when there is none with this
    /// id (already removed: a form submitted twice).
    pub async fn remove_calendar_change(&self, id: CalendarChangeId, actor: Actor) -> Result<bool> {
        let Some(before) = self.find_calendar_change(id).await? else {
            return Ok(false);
        };
        let mut tx = self.pool.write().await?;
        let n = tx
            .execute(q("DELETE FROM calendar_change WHERE id = $1").bind(id.0))
            .await?;
        if n == 0 {
            return Ok(false);
        }
        crate::standing::calendar_changed(&mut tx, before.date).await?;
        audit::record(
            &mut tx,
            actor,
            "calendar_change",
            id,
            "delete",
            Some(json!(before)),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// One calendar change.
    pub async fn calendar_change(&self, id: CalendarChangeId) -> Result<CalendarChange> {
        self.find_calendar_change(id)
            .await?
            .ok_or_else(|| Error::NotFound {
                what: "thay đổi lịch",
                id: id.to_string(),
            })
    }

    async fn find_calendar_change(&self, id: CalendarChangeId) -> Result<Option<CalendarChange>> {
        Ok(self
            .calendar_changes()
            .await?
            .into_iter()
            .find(|c| c.id == id))
    }

    /// The calendar in force: the built-in one with the stored changes.
    pub async fn calendar(&self) -> Result<Calendar> {
        Ok(calendar_with(&self.calendar_changes().await?))
    }

    /// The calendar and the settings in force.
    pub async fn rules(&self) -> Result<Rules> {
        Ok(Rules {
            calendar: self.calendar().await?,
            settings: self.settings().await?,
        })
    }
}

/// The calendar changes as `tx` sees them, by date.
pub(crate) async fn changes_in(tx: &mut Tx) -> Result<Vec<CalendarChange>> {
    let rows = tx
        .all(q(
            "SELECT id, day, kind, note, created_by, created_at FROM calendar_change ORDER BY day",
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(CalendarChange {
                id: CalendarChangeId(r.int(0)?),
                date: parse_date(&r.text(1)?)?,
                kind: r.parsed(2)?,
                note: r.text(3)?,
                created_by: r.opt_int(4)?.map(UserId),
                created_at: r.parsed(5)?,
            })
        })
        .collect()
}

/// Settings as stored: JSON read by [`Settings`]' own deserialiser (unknown fields refused),
/// then checked.
fn parse_settings(text: &str) -> Result<Settings> {
    let settings: Settings = serde_json::from_str(text).map_err(|e| Error::Invalid {
        what: "thiết lập đã lưu",
        value: e.to_string(),
    })?;
    settings.validate()?;
    Ok(settings)
}
