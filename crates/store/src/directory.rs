//! The agency directory in the database: agencies and group addressees with their aliases,
//! hierarchy, group membership and validity, and the reorganisations that hand one agency's
//! open tasks to another.
//!
//! A new database is seeded from the gazetteer's embedded data (Quảng Ngãi and the central
//! bodies) and `data/reorganisations-quang-ngai.csv`; from then on the database is the
//! directory, so an administrator's edits are not lost to the shipped files.

use std::collections::HashMap;

use serde_json::json;
use vn_calendar::Date;

use crate::Store;
use crate::audit;
use crate::csv;
use crate::db::{Tx, parse_date, q};
use crate::error::{Error, Result};
use crate::time::Timestamp;
use crate::types::{
    Actor, AgencyId, AgencyKind, AssignmentId, PartyKind, ReorganisationId, ReorganisationKind,
};

/// The reorganisation data shipped with the crate.
pub const REORGANISATIONS_CSV: &str = include_str!("../data/reorganisations-quang-ngai.csv");

/// Where the provincial departments, boards and localities sit in the hierarchy.
const PROVINCIAL_COMMITTEE: &str = "Ủy ban nhân dân tỉnh";

/// An agency or group addressee of the directory.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Agency {
    /// Its id.
    pub id: AgencyId,
    /// Canonical name ("Sở Tài chính"); groups capitalised ("Các sở, ban, ngành").
    pub name: String,
    /// What sort of body it is.
    pub kind: AgencyKind,
    /// The body it reports to, if recorded.
    pub parent: Option<AgencyId>,
    /// First day of existence when known (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as the sources give it).
    pub valid_from: Option<String>,
    /// Last day of existence when it has ended (same forms).
    pub valid_to: Option<String>,
    /// How it came about or ended, and which facts are unverified.
    pub note: String,
    /// Abbreviations and other spellings.
    pub aliases: Vec<String>,
}

/// An agency named by id and name, as lists and reports show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AgencyRef {
    /// Its id.
    pub id: AgencyId,
    /// Its canonical name.
    pub name: String,
}

/// A reorganisation event.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Reorganisation {
    /// Its id.
    pub id: ReorganisationId,
    /// Merge, split, rename or dissolve.
    pub kind: ReorganisationKind,
    /// The first day the successors are responsible.
    #[serde(serialize_with = "crate::time::serialize_date")]
    pub effective_on: Date,
    /// Sources and remarks.
    pub note: String,
    /// When it was applied to the tasks, if it has been.
    pub applied_at: Option<Timestamp>,
    /// The bodies that ended.
    pub predecessors: Vec<AgencyRef>,
    /// The bodies that took over, the primary one first.
    pub successors: Vec<Successor>,
}

/// A body that takes over (some of) the work of a reorganisation's predecessors.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Successor {
    /// The body.
    pub agency: AgencyRef,
    /// Whether it receives the open tasks (exactly one successor is primary).
    pub primary: bool,
    /// The function it received, for a split; empty means everything not given to another.
    pub function: String,
}

/// A reorganisation to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReorganisation {
    /// Merge, split, rename or dissolve.
    pub kind: ReorganisationKind,
    /// The first day the successors are responsible.
    pub effective_on: Date,
    /// Sources and remarks.
    pub note: String,
    /// The bodies that end.
    pub predecessors: Vec<AgencyId>,
    /// The bodies that take over with the function each receives; the first is primary and
    /// receives the open tasks. Empty only for a dissolution without successor.
    pub successors: Vec<(AgencyId, String)>,
}

/// What applying a reorganisation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum ApplyOutcome {
    /// Applied now; this many task assignments moved to the primary successor.
    Applied {
        /// Assignments moved.
        moved: usize,
    },
    /// It had been applied before; nothing changed.
    AlreadyApplied,
}

impl Store {
    /// Every agency and group of the directory, in the order they were added.
    pub async fn agencies(&self) -> Result<Vec<Agency>> {
        let mut tx = self.pool.read().await?;
        let rows = tx.all(q("SELECT id, name, kind, parent_id, valid_from, valid_to, note FROM agency ORDER BY id")).await?;
        let mut aliases: HashMap<i64, Vec<String>> = HashMap::new();
        for r in tx
            .all(q(
                "SELECT agency_id, alias FROM agency_alias ORDER BY agency_id, alias",
            ))
            .await?
        {
            aliases.entry(r.int(0)?).or_default().push(r.text(1)?);
        }
        rows.iter()
            .map(|r| {
                let id = r.int(0)?;
                Ok(Agency {
                    id: AgencyId(id),
                    name: r.text(1)?,
                    kind: r.parsed(2)?,
                    parent: r.opt_int(3)?.map(AgencyId),
                    valid_from: r.opt_text(4)?,
                    valid_to: r.opt_text(5)?,
                    note: r.text(6)?,
                    aliases: aliases.remove(&id).unwrap_or_default(),
                })
            })
            .collect()
    }

    /// One agency or group by id.
    pub async fn agency(&self, id: AgencyId) -> Result<Agency> {
        let mut tx = self.pool.read().await?;
        let r = tx
            .optional(q("SELECT id, name, kind, parent_id, valid_from, valid_to, note FROM agency WHERE id = $1").bind(id.0))
            .await?
            .ok_or_else(|| Error::NotFound { what: "cơ quan", id: id.to_string() })?;
        let aliases = tx
            .all(q("SELECT alias FROM agency_alias WHERE agency_id = $1 ORDER BY alias").bind(id.0))
            .await?;
        Ok(Agency {
            id,
            name: r.text(1)?,
            kind: r.parsed(2)?,
            parent: r.opt_int(3)?.map(AgencyId),
            valid_from: r.opt_text(4)?,
            valid_to: r.opt_text(5)?,
            note: r.text(6)?,
            aliases: aliases.iter().map(|a| a.text(0)).collect::<Result<_>>()?,
        })
    }

    /// The agency or group a name denotes: its canonical name or an alias, exactly; failing
    /// that, ignoring case and diacritics when that leaves one candidate ("so tai chinh"). An
    /// ambiguous or unknown name gives `None`.
    pub async fn find_agency(&self, name: &str) -> Result<Option<Agency>> {
        let mut tx = self.pool.read().await?;
        let found = lookup(&mut tx, name).await?;
        drop(tx);
        match found {
            Some((id, _)) => Ok(Some(self.agency(id).await?)),
            None => Ok(None),
        }
    }

    /// How a commit would record a lead or support party of this name: an agency of the
    /// directory, a group (by name, alias, or a group name beginning it), or an unknown body. A
    /// review of a parse result checks its edits against this before committing them.
    pub async fn resolve_party(&self, name: &str) -> Result<(PartyKind, Option<AgencyId>)> {
        let mut tx = self.pool.read().await?;
        PartyResolver::new().resolve(&mut tx, name).await
    }

    /// The members recorded for a group ("Các sở, ban, ngành": the departments and boards).
    pub async fn group_members(&self, group: AgencyId) -> Result<Vec<AgencyRef>> {
        let mut tx = self.pool.read().await?;
        let rows = tx
            .all(
                q("SELECT a.id, a.name FROM agency_group_member m JOIN agency a ON a.id = m.member_id \
                   WHERE m.group_id = $1 ORDER BY a.id")
                .bind(group.0),
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(AgencyRef {
                    id: AgencyId(r.int(0)?),
                    name: r.text(1)?,
                })
            })
            .collect()
    }

    /// Every reorganisation, by effective date.
    pub async fn reorganisations(&self) -> Result<Vec<Reorganisation>> {
        let mut tx = self.pool.read().await?;
        let rows = tx
            .all(q("SELECT id, kind, effective_on, note, applied_at FROM reorganisation ORDER BY effective_on, id"))
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id = r.int(0)?;
            let predecessors = tx
                .all(
                    q("SELECT a.id, a.name FROM reorganisation_predecessor p JOIN agency a ON a.id = p.agency_id \
                       WHERE p.reorganisation_id = $1 ORDER BY a.id")
                    .bind(id),
                )
                .await?
                .iter()
                .map(|p| Ok(AgencyRef { id: AgencyId(p.int(0)?), name: p.text(1)? }))
                .collect::<Result<_>>()?;
            let successors = tx
                .all(
                    q("SELECT a.id, a.name, s.is_primary, s.function FROM reorganisation_successor s \
                       JOIN agency a ON a.id = s.agency_id WHERE s.reorganisation_id = $1 \
                       ORDER BY s.is_primary DESC, a.id")
                    .bind(id),
                )
                .await?
                .iter()
                .map(|s| {
                    Ok(Successor {
                        agency: AgencyRef { id: AgencyId(s.int(0)?), name: s.text(1)? },
                        primary: s.int(2)? == 1,
                        function: s.text(3)?,
                    })
                })
                .collect::<Result<_>>()?;
            out.push(Reorganisation {
                id: ReorganisationId(id),
                kind: r.parsed(1)?,
                effective_on: parse_date(&r.text(2)?)?,
                note: r.text(3)?,
                applied_at: r.opt_parsed(4)?,
                predecessors,
                successors,
            });
        }
        Ok(out)
    }

    /// Records a reorganisation (not yet applied to tasks).
    pub async fn create_reorganisation(
        &self,
        new: &NewReorganisation,
        actor: Actor,
    ) -> Result<ReorganisationId> {
        if new.predecessors.is_empty()
            || (new.successors.is_empty() && new.kind != ReorganisationKind::Dissolve)
        {
            return Err(Error::Invalid {
                what: "sắp xếp tổ chức (cần cơ quan cũ và cơ quan tiếp nhận)",
                value: format!("{new:?}"),
            });
        }
        let mut tx = self.pool.write().await?;
        let id = insert_reorganisation(&mut tx, new).await?;
        audit::record(
            &mut tx,
            actor,
            "reorganisation",
            id,
            "create",
            None,
            Some(json!({
                "kind": new.kind,
                "effective_on": new.effective_on.to_string(),
                "predecessors": new.predecessors,
                "successors": new.successors,
                "note": new.note,
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(ReorganisationId(id))
    }

    /// Applies a reorganisation whose effective date has come: every open task assignment
    /// (progress not `hoan_thanh` or `huy`) of a predecessor moves to the primary successor, and
    /// each move is recorded in `reorganisation_move` and the audit log. Done and cancelled
    /// tasks keep the agency that had them. The original agency of every assignment is kept.
    /// Applying twice changes nothing the second time.
    pub async fn apply_reorganisation(
        &self,
        id: ReorganisationId,
        actor: Actor,
    ) -> Result<ApplyOutcome> {
        let today = Timestamp::now().date_in_vietnam();
        let mut tx = self.pool.write().await?;
        let r = tx
            .optional(
                q("SELECT effective_on, applied_at FROM reorganisation WHERE id = $1").bind(id.0),
            )
            .await?
            .ok_or_else(|| Error::NotFound {
                what: "đợt sắp xếp tổ chức",
                id: id.to_string(),
            })?;
        if r.opt_text(1)?.is_some() {
            return Ok(ApplyOutcome::AlreadyApplied);
        }
        let effective_on = parse_date(&r.text(0)?)?;
        if effective_on > today {
            return Err(Error::NotYetEffective {
                id: id.0,
                effective_on,
            });
        }
        let moved = apply_in(&mut tx, id.0, actor).await?;
        tx.commit().await?;
        Ok(ApplyOutcome::Applied { moved })
    }

    /// Applies, in order of effective date, every reorganisation not yet applied whose
    /// effective date is on or before `as_of` (a daily job passes today). Each is its own
    /// transaction; the result lists what each did.
    pub async fn apply_due_reorganisations(
        &self,
        as_of: Date,
        actor: Actor,
    ) -> Result<Vec<(ReorganisationId, ApplyOutcome)>> {
        let due =
            {
                let mut tx = self.pool.read().await?;
                tx.all(
                q("SELECT id FROM reorganisation WHERE applied_at IS NULL AND effective_on <= $1 \
                   ORDER BY effective_on, id")
                .bind(as_of.to_string()),
            )
            .await?
            .iter()
            .map(|r| r.int(0))
            .collect::<Result<Vec<_>>>()?
            };
        let mut out = Vec::with_capacity(due.len());
        for id in due {
            let mut tx = self.pool.write().await?;
            let pending = tx
                .optional(
                    q("SELECT id FROM reorganisation WHERE id = $1 AND applied_at IS NULL")
                        .bind(id),
                )
                .await?
                .is_some();
            // Another server may have applied it since the list was read.
            let outcome = if pending {
                ApplyOutcome::Applied {
                    moved: apply_in(&mut tx, id, actor).await?,
                }
            } else {
                ApplyOutcome::AlreadyApplied
            };
            tx.commit().await?;
            out.push((ReorganisationId(id), outcome));
        }
        Ok(out)
    }
}

/// Moves the open assignments of reorganisation `id`'s predecessors and marks it applied.
async fn apply_in(tx: &mut Tx, id: i64, actor: Actor) -> Result<usize> {
    let now = Timestamp::now().to_string();
    // Claim it first: on PostgreSQL a concurrent apply of the same event waits on this row and
    // then finds nothing to claim, so no assignment moves twice.
    let claimed = tx
        .execute(
            q("UPDATE reorganisation SET applied_at = $1, applied_by = $2 WHERE id = $3 AND applied_at IS NULL")
                .bind(now.clone())
                .bind(actor.user_id())
                .bind(id),
        )
        .await?;
    if claimed == 0 {
        return Ok(0);
    }
    let primary = tx
        .optional(
            q("SELECT s.agency_id, a.name FROM reorganisation_successor s JOIN agency a ON a.id = s.agency_id \
               WHERE s.reorganisation_id = $1 AND s.is_primary = 1")
            .bind(id),
        )
        .await?;
    let mut moved = 0;
    if let Some(primary) = primary {
        let (to, to_name) = (primary.int(0)?, primary.text(1)?);
        let open = tx
            .all(
                q("SELECT ta.id, ta.agency_id, a.name, ta.task_id FROM task_assignment ta \
                   JOIN task t ON t.id = ta.task_id JOIN agency a ON a.id = ta.agency_id \
                   WHERE ta.agency_id IN (SELECT agency_id FROM reorganisation_predecessor WHERE reorganisation_id = $1) \
                   AND t.status NOT IN ('hoan_thanh', 'huy') ORDER BY ta.id")
                .bind(id),
            )
            .await?;
        for row in &open {
            let (assignment, from, from_name, task) =
                (row.int(0)?, row.int(1)?, row.text(2)?, row.int(3)?);
            tx.execute(
                q("UPDATE task_assignment SET agency_id = $1 WHERE id = $2")
                    .bind(to)
                    .bind(assignment),
            )
            .await?;
            tx.execute(
                q("INSERT INTO reorganisation_move (reorganisation_id, assignment_id, from_agency_id, to_agency_id, moved_at) \
                   VALUES ($1, $2, $3, $4, $5)")
                .bind(id)
                .bind(assignment)
                .bind(from)
                .bind(to)
                .bind(now.clone()),
            )
            .await?;
            audit::record(
                tx,
                actor,
                "task_assignment",
                AssignmentId(assignment),
                "reorganise",
                Some(json!({"task": task, "agency_id": from, "agency": from_name})),
                Some(
                    json!({"task": task, "agency_id": to, "agency": to_name, "reorganisation": id}),
                ),
            )
            .await?;
            moved += 1;
        }
        // The moved tasks' standings name their lead (crate::standing).
        let tasks = open.iter().map(|r| r.int(3)).collect::<Result<Vec<_>>>()?;
        crate::standing::refresh(tx, &tasks).await?;
    }
    audit::record(
        tx,
        actor,
        "reorganisation",
        id,
        "apply",
        None,
        Some(json!({"applied_at": now, "moved": moved})),
    )
    .await?;
    Ok(moved)
}

async fn insert_reorganisation(tx: &mut Tx, new: &NewReorganisation) -> Result<i64> {
    let id = tx
        .one(
            q("INSERT INTO reorganisation (kind, effective_on, note) VALUES ($1, $2, $3) RETURNING id")
                .bind(new.kind.code())
                .bind(new.effective_on.to_string())
                .bind(new.note.as_str()),
        )
        .await?
        .int(0)?;
    for p in &new.predecessors {
        tx.execute(
            q("INSERT INTO reorganisation_predecessor (reorganisation_id, agency_id) VALUES ($1, $2)").bind(id).bind(p.0),
        )
        .await?;
    }
    for (n, (s, function)) in new.successors.iter().enumerate() {
        tx.execute(
            q("INSERT INTO reorganisation_successor (reorganisation_id, agency_id, is_primary, function) \
               VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(s.0)
            .bind(i64::from(n == 0))
            .bind(function.as_str()),
        )
        .await?;
    }
    Ok(id)
}

/// The agency or group `name` denotes (see [`Store::find_agency`]).
pub(crate) async fn lookup(tx: &mut Tx, name: &str) -> Result<Option<(AgencyId, AgencyKind)>> {
    let name = vn_text::canonical(name);
    let exact = "SELECT a.id, a.kind FROM agency a WHERE a.name = $1 \
                 UNION SELECT a.id, a.kind FROM agency_alias s JOIN agency a ON a.id = s.agency_id WHERE s.alias = $1";
    let folded = "SELECT a.id, a.kind FROM agency a WHERE a.name_folded = $1 \
                  UNION SELECT a.id, a.kind FROM agency_alias s JOIN agency a ON a.id = s.agency_id WHERE s.alias_folded = $1";
    for (sql, key) in [(exact, name.clone()), (folded, vn_text::fold(&name))] {
        let rows = tx.all(q(sql).bind(key)).await?;
        if let [r] = rows.as_slice() {
            return Ok(Some((AgencyId(r.int(0)?), r.parsed(1)?)));
        }
    }
    Ok(None)
}

/// How a lead or support name of a parsed task enters the store: an agency of the directory,
/// a group (a directory group whose name or variant begins the name as written: "Các sở, ban
/// ngành, đơn vị trực thuộc Ủy ban nhân dân tỉnh" is "Các sở, ban, ngành"), or an unknown body
/// kept as free text (a group the directory lacks, "Các trường đại học", is one of those until an
/// administrator adds it).
pub(crate) struct PartyResolver {
    cache: HashMap<String, (PartyKind, Option<AgencyId>)>,
    group_keys: Option<Vec<(String, AgencyId)>>,
}

impl PartyResolver {
    pub(crate) fn new() -> PartyResolver {
        PartyResolver {
            cache: HashMap::new(),
            group_keys: None,
        }
    }

    pub(crate) async fn resolve(
        &mut self,
        tx: &mut Tx,
        name: &str,
    ) -> Result<(PartyKind, Option<AgencyId>)> {
        if let Some(hit) = self.cache.get(name) {
            return Ok(*hit);
        }
        let party = match lookup(tx, name).await? {
            Some((id, AgencyKind::Group)) => (PartyKind::Group, Some(id)),
            Some((id, _)) => (PartyKind::Agency, Some(id)),
            None => self.group_prefix(tx, name).await?,
        };
        self.cache.insert(name.to_owned(), party);
        Ok(party)
    }

    async fn group_prefix(
        &mut self,
        tx: &mut Tx,
        name: &str,
    ) -> Result<(PartyKind, Option<AgencyId>)> {
        if self.group_keys.is_none() {
            let rows = tx
                .all(q(
                    "SELECT id, name_folded FROM agency WHERE kind = 'group' \
                        UNION SELECT s.agency_id, s.alias_folded FROM agency_alias s \
                        JOIN agency a ON a.id = s.agency_id WHERE a.kind = 'group'",
                ))
                .await?;
            let mut keys = rows
                .iter()
                .map(|r| Ok((r.text(1)?, AgencyId(r.int(0)?))))
                .collect::<Result<Vec<_>>>()?;
            // Longest first, so "các sở, ban ngành, đơn vị" wins over "các sở, ban ngành".
            keys.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
            self.group_keys = Some(keys);
        }
        let folded = vn_text::fold(name);
        let keys = self.group_keys.as_deref().unwrap_or_default();
        let hit = keys.iter().find(|(key, _)| {
            folded.starts_with(key.as_str())
                && !folded[key.len()..].starts_with(|c: char| c.is_alphanumeric())
        });
        Ok(match hit {
            Some((_, id)) => (PartyKind::Group, Some(*id)),
            None => (PartyKind::Unknown, None),
        })
    }
}

/// The chain of applied reorganisations starting from `agency`: each step (reorganisation,
/// from, to). A task assigned today to an agency that has already been reorganised belongs to
/// the successor at once.
pub(crate) async fn successors_applied(
    tx: &mut Tx,
    agency: AgencyId,
) -> Result<Vec<(i64, i64, i64)>> {
    let mut steps = Vec::new();
    let mut visited = vec![agency.0];
    // A cycle in hand-edited data must not hang an import; real chains have one or two steps.
    while let Some(r) = tx
        .optional(
            q("SELECT r.id, s.agency_id FROM reorganisation_predecessor p \
               JOIN reorganisation r ON r.id = p.reorganisation_id \
               JOIN reorganisation_successor s ON s.reorganisation_id = r.id AND s.is_primary = 1 \
               WHERE p.agency_id = $1 AND r.applied_at IS NOT NULL ORDER BY r.effective_on, r.id LIMIT 1")
            .bind(visited[visited.len() - 1]),
        )
        .await?
    {
        let to = r.int(1)?;
        if visited.contains(&to) {
            break;
        }
        steps.push((r.int(0)?, visited[visited.len() - 1], to));
        visited.push(to);
    }
    Ok(steps)
}

/// Seeds an empty directory from the shipped data, once: the first opener claims the
/// `directory` key of `store_meta`; a concurrent opener waits on that row and then skips.
pub(crate) async fn seed(tx: &mut Tx) -> Result<()> {
    let claimed = tx
        .optional(
            q("INSERT INTO store_meta (key, value) VALUES ('directory', $1) ON CONFLICT (key) DO NOTHING RETURNING key")
                .bind(Timestamp::now().to_string()),
        )
        .await?;
    if claimed.is_none() {
        return Ok(());
    }
    let g = gazetteer::Gazetteer::embedded();
    let mut ids: HashMap<String, (i64, AgencyKind)> = HashMap::new();
    for a in g.agencies() {
        let kind: AgencyKind = a.kind().as_str().parse()?;
        let id = insert_agency(tx, a.name(), kind, a.valid_from(), a.valid_to(), a.note()).await?;
        for alias in a.aliases() {
            insert_alias(tx, id, alias).await?;
        }
        ids.insert(vn_text::fold(a.name()), (id, kind));
    }
    let mut groups = 0;
    for (line, rec) in csv::records(gazetteer::GROUPS_CSV).map_err(Error::Directory)? {
        let [name, kind, variants, note] = <[String; 4]>::try_from(rec)
            .map_err(|_| Error::Directory(format!("groups.csv dòng {line}: cần 4 cột")))?;
        if kind != "group" {
            continue;
        }
        let name = capitalised(&vn_text::canonical(&name));
        let id = insert_agency(tx, &name, AgencyKind::Group, None, None, &note).await?;
        for v in variants
            .split('|')
            .map(vn_text::canonical)
            .filter(|v| !v.is_empty())
        {
            insert_alias(tx, id, &capitalised(&v)).await?;
        }
        ids.insert(vn_text::fold(&name), (id, AgencyKind::Group));
        groups += 1;
    }
    let id_of = |name: &str| {
        ids.get(&vn_text::fold(name))
            .copied()
            .ok_or_else(|| Error::Directory(format!("không có cơ quan \"{name}\"")))
    };
    let (committee, _) = id_of(PROVINCIAL_COMMITTEE)?;
    tx.execute(
        q("UPDATE agency SET parent_id = $1 WHERE kind IN ('department', 'board', 'locality')")
            .bind(committee),
    )
    .await?;
    let (departments, _) = id_of("Các sở, ban, ngành")?;
    tx.execute(
        q("INSERT INTO agency_group_member (group_id, member_id) \
           SELECT $1, id FROM agency WHERE kind IN ('department', 'board')")
        .bind(departments),
    )
    .await?;
    for group in [
        "Ủy ban nhân dân các huyện, thị xã, thành phố",
        "Ủy ban nhân dân cấp huyện",
    ] {
        let (group, _) = id_of(group)?;
        for district in g.agencies().iter().filter(|a| is_district(a.name())) {
            let (member, _) = id_of(district.name())?;
            tx.execute(
                q("INSERT INTO agency_group_member (group_id, member_id) VALUES ($1, $2)")
                    .bind(group)
                    .bind(member),
            )
            .await?;
        }
    }
    let events = shipped_reorganisations(g, &id_of)?;
    for e in &events {
        insert_reorganisation(tx, e).await?;
    }
    audit::record(
        tx,
        Actor::System,
        "directory",
        "quang-ngai",
        "seed",
        None,
        Some(json!({"agencies": g.agencies().len(), "groups": groups, "reorganisations": events.len()})),
    )
    .await?;
    Ok(())
}

fn is_district(name: &str) -> bool {
    [
        "Ủy ban nhân dân huyện ",
        "Ủy ban nhân dân thị xã ",
        "Ủy ban nhân dân thành phố ",
    ]
    .iter()
    .any(|p| name.starts_with(p))
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

async fn insert_agency(
    tx: &mut Tx,
    name: &str,
    kind: AgencyKind,
    valid_from: Option<&str>,
    valid_to: Option<&str>,
    note: &str,
) -> Result<i64> {
    tx.one(
        q(
            "INSERT INTO agency (name, name_folded, kind, valid_from, valid_to, note) \
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(name)
        .bind(vn_text::fold(name))
        .bind(kind.code())
        .bind(valid_from)
        .bind(valid_to)
        .bind(note),
    )
    .await?
    .int(0)
}

async fn insert_alias(tx: &mut Tx, agency: i64, alias: &str) -> Result<()> {
    tx.execute(
        q(
            "INSERT INTO agency_alias (agency_id, alias, alias_folded) VALUES ($1, $2, $3) \
           ON CONFLICT (agency_id, alias) DO NOTHING",
        )
        .bind(agency)
        .bind(alias)
        .bind(vn_text::fold(alias)),
    )
    .await?;
    Ok(())
}

/// One reorganisation being assembled from the shipped data.
struct Draft {
    predecessors: Vec<i64>,
    primary: (i64, AgencyKind),
    primary_function: String,
    others: Vec<(i64, String)>,
    effective_on: Date,
    notes: Vec<String>,
}

/// The reorganisations the shipped data describes. Each ended agency of the gazetteer gives one
/// (primary successor, effective the day after `valid_to`); the store's data file adds the other
/// successors of splits with their functions, and reorganisations of groups. Events that are
/// plain merges into the same successor on the same day become one event with several
/// predecessors. Kind: `split` when there are several successors, `dissolve` when the successor
/// is a group (no one-to-one successor), `rename` when one predecessor's successor began on the
/// effective date, else `merge`.
fn shipped_reorganisations(
    g: &gazetteer::Gazetteer,
    id_of: &dyn Fn(&str) -> Result<(i64, AgencyKind)>,
) -> Result<Vec<NewReorganisation>> {
    let mut drafts: Vec<Draft> = Vec::new();
    for a in g.agencies() {
        let (Some(successor), Some(valid_to)) = (a.successor(), a.valid_to()) else {
            continue;
        };
        let last: Date = valid_to.parse().map_err(|_| {
            Error::Directory(format!(
                "{}: ngày kết thúc {valid_to} cần dạng YYYY-MM-DD",
                a.name()
            ))
        })?;
        drafts.push(Draft {
            predecessors: vec![id_of(a.name())?.0],
            primary: id_of(successor)?,
            primary_function: String::new(),
            others: Vec::new(),
            effective_on: last.add_days(1),
            notes: vec![a.note().to_owned()],
        });
    }
    for (line, rec) in csv::records(REORGANISATIONS_CSV).map_err(Error::Directory)? {
        let [predecessor, successor, effective_on, function] = <[String; 4]>::try_from(rec)
            .map_err(|_| {
                Error::Directory(format!(
                    "reorganisations-quang-ngai.csv dòng {line}: cần 4 cột"
                ))
            })?;
        let effective_on = parse_date(&effective_on).map_err(|_| {
            Error::Directory(format!(
                "reorganisations-quang-ngai.csv dòng {line}: ngày {effective_on:?}"
            ))
        })?;
        let (pred, succ) = (id_of(&predecessor)?.0, id_of(&successor)?);
        match drafts.iter_mut().find(|d| d.predecessors == [pred]) {
            Some(d) if d.effective_on != effective_on => {
                return Err(Error::Directory(format!(
                    "reorganisations-quang-ngai.csv dòng {line}: {predecessor} kết thúc ngày {}, không phải {effective_on}",
                    d.effective_on.add_days(-1)
                )));
            }
            Some(d) if d.primary.0 == succ.0 => d.primary_function = function,
            Some(d) => d.others.push((succ.0, function)),
            None => drafts.push(Draft {
                predecessors: vec![pred],
                primary: succ,
                primary_function: function,
                others: Vec::new(),
                effective_on,
                notes: Vec::new(),
            }),
        }
    }
    let mut merged: Vec<Draft> = Vec::new();
    for d in drafts {
        let same = merged.iter_mut().find(|m| {
            m.others.is_empty()
                && d.others.is_empty()
                && m.primary.0 == d.primary.0
                && m.effective_on == d.effective_on
        });
        match same {
            Some(m) => {
                m.predecessors.extend(d.predecessors);
                m.notes.extend(d.notes);
            }
            None => merged.push(d),
        }
    }
    let began_on = |id: i64| -> Option<String> {
        g.agencies()
            .iter()
            .find(|a| id_of(a.name()).is_ok_and(|(i, _)| i == id))
            .and_then(|a| a.valid_from().map(str::to_owned))
    };
    Ok(merged
        .into_iter()
        .map(|d| {
            let kind = if !d.others.is_empty() {
                ReorganisationKind::Split
            } else if d.primary.1 == AgencyKind::Group {
                ReorganisationKind::Dissolve
            } else if d.predecessors.len() == 1
                && began_on(d.primary.0)
                    .is_some_and(|from| from.as_str() >= d.effective_on.to_string().as_str())
            {
                ReorganisationKind::Rename
            } else {
                ReorganisationKind::Merge
            };
            let mut notes: Vec<String> = d.notes.into_iter().filter(|n| !n.is_empty()).collect();
            notes.dedup();
            NewReorganisation {
                kind,
                effective_on: d.effective_on,
                note: notes.join(" "),
                predecessors: d.predecessors.into_iter().map(AgencyId).collect(),
                successors: std::iter::once((AgencyId(d.primary.0), d.primary_function))
                    .chain(d.others.into_iter().map(|(id, f)| (AgencyId(id), f)))
                    .collect(),
            }
        })
        .collect())
}
