//! Who may move a task from one progress status to another.
//!
//! | action | from | to | who |
//! |---|---|---|---|
//! | [`Start`](Action::Start) | chưa thực hiện | đang thực hiện | the officer it was handed to, or the lead agency's head |
//! | [`ReportDone`](Action::ReportDone) | chưa thực hiện, đang thực hiện | chờ xác nhận | the officer it was handed to, or the lead agency's head |
//! | [`Confirm`](Action::Confirm) | chờ xác nhận | hoàn thành | a monitor of the task, not the one who reported it nor the officer it was handed to |
//! | [`Return`](Action::Return) (reason) | chờ xác nhận | đang thực hiện | as for confirm |
//! | [`Suspend`](Action::Suspend) (reason) | chưa thực hiện, đang thực hiện, từ chối | tạm hoãn | a monitor of the task, or a leader of the issuer |
//! | [`Resume`](Action::Resume) | tạm hoãn | the status before suspension, else đang thực hiện | a monitor of the task, or a leader of the issuer |
//! | [`Refuse`](Action::Refuse) (reason) | chưa thực hiện, đang thực hiện | từ chối | the lead agency's head |
//! | [`Reassign`](Action::Reassign) | từ chối | chưa thực hiện | a monitor of the task |
//! | [`Cancel`](Action::Cancel) (reason) | every status but hoàn thành and hủy | hủy | a leader of the issuer |
//! | [`Reopen`](Action::Reopen) (reason) | hoàn thành | đang thực hiện | a monitor of the task |
//!
//! Why these and not others:
//! - Hủy is final without exception: a withdrawn task is withdrawn by a document of the
//!   issuer, and undoing that takes a new document, hence a new task. Hoàn thành is final but
//!   for reopening, because a monitor does find confirmed work wanting, and a new task would
//!   lose the history of the old one.
//! - An agency officer acts only on the tasks their head handed them ([`hand_over`]): in a
//!   department a document is always assigned to a handling officer (chuyên viên xử lý) by a
//!   head, and a task that moved to another agency in a reorganisation must not stay in the
//!   hands of the old agency's officer, hence the lead-agency condition on top.
//! - Refusing speaks for the agency ("not within our functions"), which is the head's call; an
//!   officer who finds a task misassigned tells the head.
//! - Confirming and returning are a review: never by the one whose work it is, whatever other
//!   roles that person holds (a monitor who is also the handling officer reports, someone
//!   else confirms).
//! - A task waiting for confirmation cannot be suspended: its work is reported done, and what
//!   it needs is a decision on the report, not a pause. Suspension stops the agency's clock
//!   ([`TaskFacts::assess`](crate::TaskFacts::assess)), so allowing it there would also let a
//!   suspension hide a late report.
//! - Reassigning lets the monitor choose the new lead, the same agency included when the
//!   refusal is unfounded; the choice is the caller's, the rule only says when it may happen.
//! - Administrators administer (accounts, agencies, calendar, settings) and have no power over
//!   tasks: tracking is the monitors' and leaders' responsibility, and a technical account
//!   confirming work would make the record worthless.
//!
//! The order of checks is fixed so a refusal names the most basic obstacle: a cancelled task,
//! a completed one, the wrong status, the wrong person, the person's own work, a missing
//! reason.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Role, Roles, Status};

/// A change of progress, with what it needs from the person making it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Bắt đầu thực hiện.
    Start,
    /// Báo cáo hoàn thành: the lead agency says the task is done.
    ReportDone,
    /// Xác nhận hoàn thành.
    Confirm,
    /// Trả lại: the report does not show the task done.
    Return {
        /// What is missing, for the agency to act on.
        reason: String,
    },
    /// Tạm hoãn.
    Suspend {
        /// Why, for the record and the agency.
        reason: String,
    },
    /// Tiếp tục thực hiện.
    Resume {
        /// The status the task had when it was suspended, from its history; `None` (history
        /// lost, or older data) resumes to đang thực hiện.
        previous: Option<Status>,
    },
    /// Từ chối: the task is not within the lead agency's functions.
    Refuse {
        /// Why, so the monitor can reassign it.
        reason: String,
    },
    /// Giao lại: the monitor gives a refused task a lead again (the new lead is the caller's).
    Reassign,
    /// Hủy: the issuer withdraws the task.
    Cancel {
        /// Why (usually the withdrawing document).
        reason: String,
    },
    /// Mở lại: a confirmed task found wanting.
    Reopen {
        /// What is wanting.
        reason: String,
    },
}

impl Action {
    /// The kind of action, without its data.
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Start => ActionKind::Start,
            Action::ReportDone => ActionKind::ReportDone,
            Action::Confirm => ActionKind::Confirm,
            Action::Return { .. } => ActionKind::Return,
            Action::Suspend { .. } => ActionKind::Suspend,
            Action::Resume { .. } => ActionKind::Resume,
            Action::Refuse { .. } => ActionKind::Refuse,
            Action::Reassign => ActionKind::Reassign,
            Action::Cancel { .. } => ActionKind::Cancel,
            Action::Reopen { .. } => ActionKind::Reopen,
        }
    }

    /// The reason given, for the actions that take one.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Action::Return { reason }
            | Action::Suspend { reason }
            | Action::Refuse { reason }
            | Action::Cancel { reason }
            | Action::Reopen { reason } => Some(reason),
            _ => None,
        }
    }
}

/// An [`Action`] without its data: what a button is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// See [`Action::Start`].
    Start,
    /// See [`Action::ReportDone`].
    ReportDone,
    /// See [`Action::Confirm`].
    Confirm,
    /// See [`Action::Return`].
    Return,
    /// See [`Action::Suspend`].
    Suspend,
    /// See [`Action::Resume`].
    Resume,
    /// See [`Action::Refuse`].
    Refuse,
    /// See [`Action::Reassign`].
    Reassign,
    /// See [`Action::Cancel`].
    Cancel,
    /// See [`Action::Reopen`].
    Reopen,
}

/// Who may make a kind of change; each is a role held in the right relation to the task.
#[derive(Clone, Copy)]
enum Party {
    /// The handling officer or the lead agency's head.
    Worker,
    LeadHead,
    Monitor,
    MonitorOrIssuerLeader,
    IssuerLeader,
}

impl Party {
    fn admits(self, who: &Who) -> bool {
        match self {
            Party::Worker => who.is_handling_officer() || who.is_lead_head(),
            Party::LeadHead => who.is_lead_head(),
            Party::Monitor => who.is_task_monitor(),
            Party::MonitorOrIssuerLeader => who.is_task_monitor() || who.is_issuer_leader(),
            Party::IssuerLeader => who.is_issuer_leader(),
        }
    }

    fn name_vi(self) -> &'static str {
        match self {
            Party::Worker => "cán bộ được giao xử lý hoặc lãnh đạo cơ quan chủ trì",
            Party::LeadHead => "lãnh đạo cơ quan chủ trì",
            Party::Monitor => "cán bộ theo dõi nhiệm vụ",
            Party::MonitorOrIssuerLeader => {
                "cán bộ theo dõi nhiệm vụ hoặc lãnh đạo cơ quan ban hành"
            }
            Party::IssuerLeader => "lãnh đạo cơ quan ban hành",
        }
    }
}

impl ActionKind {
    /// Every kind, in the order a task usually meets them.
    pub const ALL: [ActionKind; 10] = [
        ActionKind::Start,
        ActionKind::ReportDone,
        ActionKind::Confirm,
        ActionKind::Return,
        ActionKind::Suspend,
        ActionKind::Resume,
        ActionKind::Refuse,
        ActionKind::Reassign,
        ActionKind::Cancel,
        ActionKind::Reopen,
    ];

    /// The ASCII code for the API and the audit log (`start`, `report_done`, …).
    pub fn code(self) -> &'static str {
        match self {
            ActionKind::Start => "start",
            ActionKind::ReportDone => "report_done",
            ActionKind::Confirm => "confirm",
            ActionKind::Return => "return",
            ActionKind::Suspend => "suspend",
            ActionKind::Resume => "resume",
            ActionKind::Refuse => "refuse",
            ActionKind::Reassign => "reassign",
            ActionKind::Cancel => "cancel",
            ActionKind::Reopen => "reopen",
        }
    }

    /// The kind with this [`code`](ActionKind::code).
    pub fn from_code(code: &str) -> Option<ActionKind> {
        ActionKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The button's Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            ActionKind::Start => "Bắt đầu thực hiện",
            ActionKind::ReportDone => "Báo cáo hoàn thành",
            ActionKind::Confirm => "Xác nhận hoàn thành",
            ActionKind::Return => "Trả lại",
            ActionKind::Suspend => "Tạm hoãn",
            ActionKind::Resume => "Tiếp tục thực hiện",
            ActionKind::Refuse => "Từ chối nhiệm vụ",
            ActionKind::Reassign => "Giao lại",
            ActionKind::Cancel => "Hủy nhiệm vụ",
            ActionKind::Reopen => "Mở lại",
        }
    }

    /// Whether the action must carry a non-blank reason; the UI asks for one before sending.
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            ActionKind::Return
                | ActionKind::Suspend
                | ActionKind::Refuse
                | ActionKind::Cancel
                | ActionKind::Reopen
        )
    }

    /// The statuses the action may start from (the module's table).
    pub fn starts_from(self) -> &'static [Status] {
        use Status::*;
        match self {
            ActionKind::Start => &[ChuaThucHien],
            ActionKind::ReportDone | ActionKind::Refuse => &[ChuaThucHien, DangThucHien],
            ActionKind::Confirm | ActionKind::Return => &[ChoXacNhan],
            ActionKind::Suspend => SUSPENDABLE,
            ActionKind::Resume => &[TamHoan],
            ActionKind::Reassign => &[TuChoi],
            ActionKind::Cancel => &[ChuaThucHien, DangThucHien, ChoXacNhan, TamHoan, TuChoi],
            ActionKind::Reopen => &[HoanThanh],
        }
    }

    /// The status the action leads to; for [`Resume`](ActionKind::Resume) the one used when
    /// the status before suspension is not known.
    fn target(self) -> Status {
        match self {
            ActionKind::Start | ActionKind::Return | ActionKind::Resume | ActionKind::Reopen => {
                Status::DangThucHien
            }
            ActionKind::ReportDone => Status::ChoXacNhan,
            ActionKind::Confirm => Status::HoanThanh,
            ActionKind::Suspend => Status::TamHoan,
            ActionKind::Refuse => Status::TuChoi,
            ActionKind::Reassign => Status::ChuaThucHien,
            ActionKind::Cancel => Status::Huy,
        }
    }

    fn party(self) -> Party {
        match self {
            ActionKind::Start | ActionKind::ReportDone => Party::Worker,
            ActionKind::Refuse => Party::LeadHead,
            ActionKind::Confirm
            | ActionKind::Return
            | ActionKind::Reassign
            | ActionKind::Reopen => Party::Monitor,
            ActionKind::Suspend | ActionKind::Resume => Party::MonitorOrIssuerLeader,
            ActionKind::Cancel => Party::IssuerLeader,
        }
    }

    /// Whether this is a decision on someone's report, which its author may not take.
    fn is_review(self) -> bool {
        matches!(self, ActionKind::Confirm | ActionKind::Return)
    }

    /// The verb for messages: "Chỉ … mới được {verb} nhiệm vụ".
    fn verb_vi(self) -> &'static str {
        match self {
            ActionKind::Start => "bắt đầu thực hiện",
            ActionKind::ReportDone => "báo cáo hoàn thành",
            ActionKind::Confirm => "xác nhận hoàn thành",
            ActionKind::Return => "trả lại",
            ActionKind::Suspend => "tạm hoãn",
            ActionKind::Resume => "tiếp tục thực hiện",
            ActionKind::Refuse => "từ chối",
            ActionKind::Reassign => "giao lại",
            ActionKind::Cancel => "hủy",
            ActionKind::Reopen => "mở lại",
        }
    }

    fn starts_from_vi(self) -> &'static str {
        match self {
            ActionKind::Start => "chưa thực hiện",
            ActionKind::ReportDone | ActionKind::Refuse => "chưa thực hiện hoặc đang thực hiện",
            ActionKind::Confirm | ActionKind::Return => "đang chờ xác nhận",
            ActionKind::Suspend => "chưa thực hiện, đang thực hiện hoặc bị từ chối",
            ActionKind::Resume => "đang tạm hoãn",
            ActionKind::Reassign => "đã bị cơ quan chủ trì từ chối",
            ActionKind::Cancel => "chưa hoàn thành",
            ActionKind::Reopen => "đã hoàn thành",
        }
    }
}

impl fmt::Display for ActionKind {
    /// The [`code`](ActionKind::code).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The statuses a task can be suspended from, hence the ones it can resume to.
const SUSPENDABLE: &[Status] = &[Status::ChuaThucHien, Status::DangThucHien, Status::TuChoi];

/// The statuses in which the lead agency's head may hand the task to an officer.
const HANDABLE: &[Status] = &[
    Status::ChuaThucHien,
    Status::DangThucHien,
    Status::ChoXacNhan,
    Status::TamHoan,
];

/// The person acting and how they stand to the task. The caller (which knows the user, the
/// task's assignments and its history) fills it; the rules only read it.
///
/// A role counts only in the right relation: an agency role for the task's lead agency, the
/// monitor role for a task the person monitors, the leader role for the issuing body. So a
/// monitor of one directive cannot confirm the tasks of another, and a province's leader
/// cannot withdraw a task the Prime Minister assigned.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Who {
    /// Every role the person holds.
    pub roles: Roles,
    /// The person belongs to the agency that leads the task now (after reorganisations),
    /// not merely to a supporting one.
    pub in_lead_agency: bool,
    /// The task was handed to this person ([`hand_over`]).
    pub is_assigned_officer: bool,
    /// This person made the completion report now awaiting a decision.
    pub reported_done: bool,
    /// The person's monitor role covers this task: staff of the provincial Office, or of the
    /// agency the task's document names to monitor it.
    pub monitors_task: bool,
    /// The person is a leader (Chủ tịch, Phó Chủ tịch) of the body that issued the task.
    pub leads_issuer: bool,
}

impl Who {
    /// A person with these roles and no relation to the task yet.
    pub fn new(roles: impl Into<Roles>) -> Who {
        Who {
            roles: roles.into(),
            ..Who::default()
        }
    }

    fn is_handling_officer(&self) -> bool {
        self.roles.contains(Role::AgencyOfficer) && self.in_lead_agency && self.is_assigned_officer
    }

    fn is_lead_head(&self) -> bool {
        self.roles.contains(Role::AgencyHead) && self.in_lead_agency
    }

    fn is_task_monitor(&self) -> bool {
        self.roles.contains(Role::Monitor) && self.monitors_task
    }

    fn is_issuer_leader(&self) -> bool {
        self.roles.contains(Role::Leader) && self.leads_issuer
    }

    /// Whether the work under review is this person's own.
    fn owns_the_work(&self) -> bool {
        self.reported_done || self.is_assigned_officer
    }

    fn is_only_admin(&self) -> bool {
        self.roles == Roles::from(Role::Admin)
    }

    fn not_permitted(&self, refusal: Refusal) -> Refusal {
        if self.is_only_admin() {
            Refusal::AdminHasNoTaskPowers
        } else {
            refusal
        }
    }
}

/// Why a change was refused: a Vietnamese message for the user (its `Display`) and a stable
/// [`code`](Refusal::code) for programs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    /// Nothing moves a cancelled task.
    #[error("Nhiệm vụ đã hủy không thể chuyển sang trạng thái khác")]
    Cancelled,
    /// A completed task can only be reopened.
    #[error(
        "Nhiệm vụ đã hoàn thành không thể chuyển sang trạng thái khác; chỉ cán bộ theo dõi được mở lại nhiệm vụ"
    )]
    Completed,
    /// The action does not start from the task's status.
    #[error(
        "Chỉ {} được nhiệm vụ {}; nhiệm vụ này đang ở trạng thái “{}”",
        action.verb_vi(),
        action.starts_from_vi(),
        status.label_vi()
    )]
    WrongStatus {
        /// What was tried.
        action: ActionKind,
        /// The task's status.
        status: Status,
    },
    /// The person does not stand in the relation the action needs.
    #[error(
        "Chỉ {} mới được {} nhiệm vụ",
        action.party().name_vi(),
        action.verb_vi()
    )]
    NotPermitted {
        /// What was tried.
        action: ActionKind,
    },
    /// An administrator alone tried to act on a task.
    #[error(
        "Quản trị viên không có quyền xử lý nhiệm vụ: quản trị hệ thống không phải là theo dõi nhiệm vụ"
    )]
    AdminHasNoTaskPowers,
    /// A review of the person's own work.
    #[error("{}", own_work_message(*action))]
    OwnWork {
        /// What was tried.
        action: ActionKind,
    },
    /// A blank reason where one is required.
    #[error("Cần nêu lý do khi {} nhiệm vụ", action.verb_vi())]
    ReasonRequired {
        /// What was tried.
        action: ActionKind,
    },
    /// Resuming to a status a task cannot have been suspended from.
    #[error(
        "Trạng thái trước khi tạm hoãn không hợp lệ: “{}” (chỉ có thể là Chưa thực hiện, Đang thực hiện hoặc Từ chối)",
        status.label_vi()
    )]
    InvalidPriorStatus {
        /// The status given.
        status: Status,
    },
    /// Handing over by someone other than the lead agency's head.
    #[error("Chỉ lãnh đạo cơ quan chủ trì mới được giao nhiệm vụ cho cán bộ xử lý")]
    HandOverNotPermitted,
    /// Handing over to someone outside the lead agency, or without an agency role.
    #[error("Người được giao xử lý phải là cán bộ hoặc lãnh đạo của cơ quan chủ trì nhiệm vụ")]
    OfficerNotInLeadAgency,
    /// Handing over a task that is not in the agency's hands.
    #[error(
        "Không thể giao cán bộ xử lý nhiệm vụ đang ở trạng thái “{}”",
        status.label_vi()
    )]
    HandOverWrongStatus {
        /// The task's status.
        status: Status,
    },
}

fn own_work_message(action: ActionKind) -> &'static str {
    if action == ActionKind::Return {
        "Cán bộ không thể tự trả lại báo cáo hoàn thành nhiệm vụ của mình"
    } else {
        "Cán bộ không thể tự xác nhận hoàn thành nhiệm vụ của mình"
    }
}

impl Refusal {
    /// The stable ASCII code, for the API's error body and for tests.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Cancelled => "cancelled",
            Refusal::Completed => "completed",
            Refusal::WrongStatus { .. } => "wrong_status",
            Refusal::NotPermitted { .. } => "not_permitted",
            Refusal::AdminHasNoTaskPowers => "admin_has_no_task_powers",
            Refusal::OwnWork { .. } => "own_work",
            Refusal::ReasonRequired { .. } => "reason_required",
            Refusal::InvalidPriorStatus { .. } => "invalid_prior_status",
            Refusal::HandOverNotPermitted => "hand_over_not_permitted",
            Refusal::OfficerNotInLeadAgency => "officer_not_in_lead_agency",
            Refusal::HandOverWrongStatus { .. } => "hand_over_wrong_status",
        }
    }
}

/// Everything but the action's data: the part [`allowed`] and [`apply`] share, so the buttons
/// shown are exactly the changes that work.
fn check(status: Status, kind: ActionKind, who: &Who) -> Result<(), Refusal> {
    if status == Status::Huy {
        return Err(Refusal::Cancelled);
    }
    if status == Status::HoanThanh && kind != ActionKind::Reopen {
        return Err(Refusal::Completed);
    }
    if !kind.starts_from().contains(&status) {
        return Err(Refusal::WrongStatus {
            action: kind,
            status,
        });
    }
    if !kind.party().admits(who) {
        return Err(who.not_permitted(Refusal::NotPermitted { action: kind }));
    }
    if kind.is_review() && who.owns_the_work() {
        return Err(Refusal::OwnWork { action: kind });
    }
    Ok(())
}

/// The status after `action` on a task in `status` by `who`, or why not.
///
/// ```
/// use workflow::{apply, Action, Refusal, Role, Status, Who};
///
/// let monitor = Who { monitors_task: true, ..Who::new(Role::Monitor) };
/// assert_eq!(apply(Status::ChoXacNhan, &Action::Confirm, &monitor), Ok(Status::HoanThanh));
///
/// let own = Who { reported_done: true, ..monitor };
/// let refusal = apply(Status::ChoXacNhan, &Action::Confirm, &own).unwrap_err();
/// assert_eq!(refusal.to_string(), "Cán bộ không thể tự xác nhận hoàn thành nhiệm vụ của mình");
/// ```
///
/// # Errors
/// A [`Refusal`] naming the first obstacle, in the order the module describes.
pub fn apply(status: Status, action: &Action, who: &Who) -> Result<Status, Refusal> {
    let kind = action.kind();
    check(status, kind, who)?;
    if action.reason().is_some_and(|r| r.trim().is_empty()) {
        return Err(Refusal::ReasonRequired { action: kind });
    }
    match action {
        Action::Resume {
            previous: Some(previous),
        } => {
            if SUSPENDABLE.contains(previous) {
                Ok(*previous)
            } else {
                Err(Refusal::InvalidPriorStatus { status: *previous })
            }
        }
        _ => Ok(kind.target()),
    }
}

/// The actions `who` may take on a task in `status`, in [`ActionKind::ALL`] order: the
/// buttons to show. Each of them succeeds in [`apply`] given a non-blank reason where one is
/// needed.
pub fn allowed(status: Status, who: &Who) -> Vec<ActionKind> {
    ActionKind::ALL
        .into_iter()
        .filter(|kind| check(status, *kind, who).is_ok())
        .collect()
}

/// Whether `by` may hand a task in `status` to `to` as its handling officer (the officer
/// who then acts on it, [`Who::is_assigned_officer`]).
///
/// Only the lead agency's head hands over, and only to a member of the lead agency who holds
/// an agency role (an officer, or a head taking it personally). Handing over is allowed while
/// the task is in the agency's hands, waiting for confirmation and suspended included (the
/// officer may leave before the monitor decides), and not once it is refused, completed or
/// cancelled. It changes no status, so it is not an [`Action`].
///
/// # Errors
/// [`Refusal::HandOverWrongStatus`], [`Refusal::HandOverNotPermitted`] (or
/// [`Refusal::AdminHasNoTaskPowers`]), [`Refusal::OfficerNotInLeadAgency`], in that order.
pub fn hand_over(status: Status, by: &Who, to: &Who) -> Result<(), Refusal> {
    if !HANDABLE.contains(&status) {
        return Err(Refusal::HandOverWrongStatus { status });
    }
    if !by.is_lead_head() {
        return Err(by.not_permitted(Refusal::HandOverNotPermitted));
    }
    let has_agency_role =
        to.roles.contains(Role::AgencyOfficer) || to.roles.contains(Role::AgencyHead);
    if !(has_agency_role && to.in_lead_agency) {
        return Err(Refusal::OfficerNotInLeadAgency);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_codes_round_trip() {
        for kind in ActionKind::ALL {
            assert_eq!(ActionKind::from_code(kind.code()), Some(kind));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.code()));
        }
    }

    #[test]
    fn actions_read_from_json() {
        let action: Action =
            serde_json::from_str(r#"{"action":"return","reason":"Thiếu báo cáo"}"#).unwrap();
        assert_eq!(
            action,
            Action::Return {
                reason: "Thiếu báo cáo".into()
            }
        );
        let action: Action =
            serde_json::from_str(r#"{"action":"resume","previous":"tu_choi"}"#).unwrap();
        assert_eq!(
            action,
            Action::Resume {
                previous: Some(Status::TuChoi)
            }
        );
        assert!(serde_json::from_str::<Action>(r#"{"action":"cancel"}"#).is_err());
    }

    #[test]
    fn every_kind_that_needs_a_reason_carries_one() {
        let r = || "lý do".to_string();
        let actions = [
            Action::Start,
            Action::ReportDone,
            Action::Confirm,
            Action::Return { reason: r() },
            Action::Suspend { reason: r() },
            Action::Resume { previous: None },
            Action::Refuse { reason: r() },
            Action::Reassign,
            Action::Cancel { reason: r() },
            Action::Reopen { reason: r() },
        ];
        for action in &actions {
            assert_eq!(
                action.reason().is_some(),
                action.kind().needs_reason(),
                "{action:?}"
            );
        }
        let kinds: Vec<_> = actions.iter().map(Action::kind).collect();
        assert_eq!(kinds, ActionKind::ALL);
    }
}
