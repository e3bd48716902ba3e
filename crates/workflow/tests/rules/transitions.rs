use workflow::{Action, ActionKind, Refusal, Role, Roles, Status, Who, allowed, apply, hand_over};

/// The decided table, written once as data: for every status and action, the roles that may
/// take it (O officer, H agency head, M monitor, L leader, A admin; `.` not) and the status
/// it leads to (`-` when nobody may). Each role acts in the relation to the task that its
/// powers need ([`in_role`]).
const TABLE: &str = "
chua_thuc_hien  start        O H . . .  dang_thuc_hien
chua_thuc_hien  report_done  O H . . .  cho_xac_nhan
chua_thuc_hien  confirm      . . . . .  -
chua_thuc_hien  return       . . . . .  -
chua_thuc_hien  suspend      . . M L .  tam_hoan
chua_thuc_hien  resume       . . . . .  -
chua_thuc_hien  refuse       . H . . .  tu_choi
chua_thuc_hien  reassign     . . . . .  -
chua_thuc_hien  cancel       . . . L .  huy
chua_thuc_hien  reopen       . . . . .  -
dang_thuc_hien  start        . . . . .  -
dang_thuc_hien  report_done  O H . . .  cho_xac_nhan
dang_thuc_hien  confirm      . . . . .  -
dang_thuc_hien  return       . . . . .  -
dang_thuc_hien  suspend      . . M L .  tam_hoan
dang_thuc_hien  resume       . . . . .  -
dang_thuc_hien  refuse       . H . . .  tu_choi
dang_thuc_hien  reassign     . . . . .  -
dang_thuc_hien  cancel       . . . L .  huy
dang_thuc_hien  reopen       . . . . .  -
cho_xac_nhan    start        . . . . .  -
cho_xac_nhan    report_done  . . . . .  -
cho_xac_nhan    confirm      . . M . .  hoan_thanh
cho_xac_nhan    return       . . M . .  dang_thuc_hien
cho_xac_nhan    suspend      . . . . .  -
cho_xac_nhan    resume       . . . . .  -
cho_xac_nhan    refuse       . . . . .  -
cho_xac_nhan    reassign     . . . . .  -
cho_xac_nhan    cancel       . . . L .  huy
cho_xac_nhan    reopen       . . . . .  -
hoan_thanh      start        . . . . .  -
hoan_thanh      report_done  . . . . .  -
hoan_thanh      confirm      . . . . .  -
hoan_thanh      return       . . . . .  -
hoan_thanh      suspend      . . . . .  -
hoan_thanh      resume       . . . . .  -
hoan_thanh      refuse       . . . . .  -
hoan_thanh      reassign     . . . . .  -
hoan_thanh      cancel       . . . . .  -
hoan_thanh      reopen       . . M . .  dang_thuc_hien
tam_hoan        start        . . . . .  -
tam_hoan        report_done  . . . . .  -
tam_hoan        confirm      . . . . .  -
tam_hoan        return       . . . . .  -
tam_hoan        suspend      . . . . .  -
tam_hoan        resume       . . M L .  dang_thuc_hien
tam_hoan        refuse       . . . . .  -
tam_hoan        reassign     . . . . .  -
tam_hoan        cancel       . . . L .  huy
tam_hoan        reopen       . . . . .  -
tu_choi         start        . . . . .  -
tu_choi         report_done  . . . . .  -
tu_choi         confirm      . . . . .  -
tu_choi         return       . . . . .  -
tu_choi         suspend      . . M L .  tam_hoan
tu_choi         resume       . . . . .  -
tu_choi         refuse       . . . . .  -
tu_choi         reassign     . . M . .  chua_thuc_hien
tu_choi         cancel       . . . L .  huy
tu_choi         reopen       . . . . .  -
huy             start        . . . . .  -
huy             report_done  . . . . .  -
huy             confirm      . . . . .  -
huy             return       . . . . .  -
huy             suspend      . . . . .  -
huy             resume       . . . . .  -
huy             refuse       . . . . .  -
huy             reassign     . . . . .  -
huy             cancel       . . . . .  -
huy             reopen       . . . . .  -
";

const ROLE_COLUMNS: [Role; 5] = [
    Role::AgencyOfficer,
    Role::AgencyHead,
    Role::Monitor,
    Role::Leader,
    Role::Admin,
];

struct Row {
    status: Status,
    action: ActionKind,
    allowed: Vec<Role>,
    target: Option<Status>,
}

fn table() -> Vec<Row> {
    TABLE
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(f.len(), 8, "{line}");
            let allowed = ROLE_COLUMNS
                .iter()
                .zip(&f[2..7])
                .filter(|(_, mark)| **mark != ".")
                .map(|(role, _)| *role)
                .collect();
            Row {
                status: Status::from_code(f[0]).unwrap(),
                action: ActionKind::from_code(f[1]).unwrap(),
                allowed,
                target: (f[7] != "-").then(|| Status::from_code(f[7]).unwrap()),
            }
        })
        .collect()
}

/// A person holding `role` in the relation its powers need: the officer the task was handed
/// to, the head of the lead agency, a monitor of the task, a leader of the issuer. The
/// administrator gets every relation at once, to show that none of them gives it a power.
pub fn in_role(role: Role) -> Who {
    let who = Who::new(role);
    match role {
        Role::AgencyOfficer => Who {
            in_lead_agency: true,
            is_assigned_officer: true,
            ..who
        },
        Role::AgencyHead => Who {
            in_lead_agency: true,
            ..who
        },
        Role::Monitor => Who {
            monitors_task: true,
            ..who
        },
        Role::Leader => Who {
            leads_issuer: true,
            ..who
        },
        Role::Admin => Who {
            in_lead_agency: true,
            is_assigned_officer: true,
            monitors_task: true,
            leads_issuer: true,
            ..who
        },
    }
}

fn action(kind: ActionKind, reason: &str) -> Action {
    let reason = reason.to_owned();
    match kind {
        ActionKind::Start => Action::Start,
        ActionKind::ReportDone => Action::ReportDone,
        ActionKind::Confirm => Action::Confirm,
        ActionKind::Return => Action::Return { reason },
        ActionKind::Suspend => Action::Suspend { reason },
        ActionKind::Resume => Action::Resume { previous: None },
        ActionKind::Refuse => Action::Refuse { reason },
        ActionKind::Reassign => Action::Reassign,
        ActionKind::Cancel => Action::Cancel { reason },
        ActionKind::Reopen => Action::Reopen { reason },
    }
}

#[test]
fn the_table_covers_every_status_and_action_once() {
    let rows = table();
    assert_eq!(rows.len(), Status::ALL.len() * ActionKind::ALL.len());
    for status in Status::ALL {
        for kind in ActionKind::ALL {
            let n = rows
                .iter()
                .filter(|r| r.status == status && r.action == kind)
                .count();
            assert_eq!(n, 1, "{status} {kind}");
        }
    }
    for row in &rows {
        assert_eq!(
            row.allowed.is_empty(),
            row.target.is_none(),
            "{}",
            row.status
        );
    }
}

#[test]
fn every_status_action_and_role_against_the_table() {
    let mut checked = 0;
    for row in table() {
        for role in Role::ALL {
            let who = in_role(role);
            let result = apply(row.status, &action(row.action, "Lý do cụ thể"), &who);
            let context = format!("{} {} {:?}", row.status, row.action, role);
            if row.allowed.contains(&role) {
                assert_eq!(result, Ok(row.target.unwrap()), "{context}");
            } else {
                let expected = if row.status == Status::Huy {
                    "cancelled"
                } else if row.status == Status::HoanThanh && row.action != ActionKind::Reopen {
                    "completed"
                } else if row.allowed.is_empty() {
                    "wrong_status"
                } else if role == Role::Admin {
                    "admin_has_no_task_powers"
                } else {
                    "not_permitted"
                };
                assert_eq!(result.map_err(|r| r.code()), Err(expected), "{context}");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 7 * 10 * 5);
}

#[test]
fn allowed_lists_the_buttons_of_the_table() {
    let rows = table();
    for status in Status::ALL {
        for role in Role::ALL {
            let expected: Vec<ActionKind> = rows
                .iter()
                .filter(|r| r.status == status && r.allowed.contains(&role))
                .map(|r| r.action)
                .collect();
            assert_eq!(
                allowed(status, &in_role(role)),
                expected,
                "{status} {role:?}"
            );
        }
    }
}

/// Every combination of roles and relations: what `allowed` shows is exactly what `apply`
/// accepts, so a button never leads to a refusal.
#[test]
fn allowed_agrees_with_apply_for_every_person() {
    for status in Status::ALL {
        for role_bits in 0u8..32 {
            let roles: Roles = Role::ALL
                .into_iter()
                .enumerate()
                .filter(|(i, _)| role_bits & (1 << i) != 0)
                .map(|(_, r)| r)
                .collect();
            for flags in 0u8..32 {
                let who = Who {
                    roles,
                    in_lead_agency: flags & 1 != 0,
                    is_assigned_officer: flags & 2 != 0,
                    reported_done: flags & 4 != 0,
                    monitors_task: flags & 8 != 0,
                    leads_issuer: flags & 16 != 0,
                };
                let shown = allowed(status, &who);
                for kind in ActionKind::ALL {
                    let ok = apply(status, &action(kind, "Lý do"), &who).is_ok();
                    assert_eq!(shown.contains(&kind), ok, "{status} {kind} {who:?}");
                }
            }
        }
    }
}

#[test]
fn roles_count_only_in_their_relation_to_the_task() {
    let refused = |status, kind, who: Who| {
        apply(status, &action(kind, "Lý do"), &who)
            .unwrap_err()
            .code()
    };
    // An officer of the lead agency the task was not handed to.
    let officer = Who {
        in_lead_agency: true,
        ..Who::new(Role::AgencyOfficer)
    };
    assert_eq!(
        refused(Status::ChuaThucHien, ActionKind::Start, officer),
        "not_permitted"
    );
    assert_eq!(
        refused(Status::DangThucHien, ActionKind::ReportDone, officer),
        "not_permitted"
    );
    // The officer it was handed to, after a reorganisation moved it to another agency.
    let moved = Who {
        in_lead_agency: false,
        ..in_role(Role::AgencyOfficer)
    };
    assert_eq!(
        refused(Status::DangThucHien, ActionKind::ReportDone, moved),
        "not_permitted"
    );
    // The head of a supporting agency.
    let support_head = Who::new(Role::AgencyHead);
    for kind in [
        ActionKind::Start,
        ActionKind::ReportDone,
        ActionKind::Refuse,
    ] {
        assert_eq!(
            refused(Status::ChuaThucHien, kind, support_head),
            "not_permitted"
        );
    }
    // An officer, even the one handling it, cannot refuse for the agency.
    assert_eq!(
        refused(
            Status::ChuaThucHien,
            ActionKind::Refuse,
            in_role(Role::AgencyOfficer)
        ),
        "not_permitted"
    );
    // A monitor of another directive.
    let other_monitor = Who::new(Role::Monitor);
    for (status, kind) in [
        (Status::ChoXacNhan, ActionKind::Confirm),
        (Status::ChoXacNhan, ActionKind::Return),
        (Status::TuChoi, ActionKind::Reassign),
        (Status::HoanThanh, ActionKind::Reopen),
        (Status::DangThucHien, ActionKind::Suspend),
    ] {
        assert_eq!(refused(status, kind, other_monitor), "not_permitted");
    }
    // A leader of another body (a province's leader and the Prime Minister's task).
    let other_leader = Who::new(Role::Leader);
    assert_eq!(
        refused(Status::DangThucHien, ActionKind::Cancel, other_leader),
        "not_permitted"
    );
    assert_eq!(
        refused(Status::TamHoan, ActionKind::Resume, other_leader),
        "not_permitted"
    );
    // A monitor cannot withdraw a task, a leader cannot confirm one.
    assert_eq!(
        refused(
            Status::DangThucHien,
            ActionKind::Cancel,
            in_role(Role::Monitor)
        ),
        "not_permitted"
    );
    assert_eq!(
        refused(
            Status::ChoXacNhan,
            ActionKind::Confirm,
            in_role(Role::Leader)
        ),
        "not_permitted"
    );
}

#[test]
fn nobody_reviews_their_own_work() {
    // A monitor who is also the officer the task was handed to.
    let officer_and_monitor = Who {
        roles: Roles::of(&[Role::AgencyOfficer, Role::Monitor]),
        in_lead_agency: true,
        is_assigned_officer: true,
        monitors_task: true,
        ..Who::default()
    };
    assert_eq!(
        apply(
            Status::DangThucHien,
            &Action::ReportDone,
            &officer_and_monitor
        ),
        Ok(Status::ChoXacNhan)
    );
    let refusal = apply(Status::ChoXacNhan, &Action::Confirm, &officer_and_monitor).unwrap_err();
    assert_eq!(refusal.code(), "own_work");
    assert_eq!(
        refusal.to_string(),
        "Cán bộ không thể tự xác nhận hoàn thành nhiệm vụ của mình"
    );
    let refusal = apply(
        Status::ChoXacNhan,
        &Action::Return {
            reason: "Thiếu số liệu".into(),
        },
        &officer_and_monitor,
    )
    .unwrap_err();
    assert_eq!(
        refusal.to_string(),
        "Cán bộ không thể tự trả lại báo cáo hoàn thành nhiệm vụ của mình"
    );
    // A head who reported it and also monitors the directive.
    let head_and_monitor = Who {
        roles: Roles::of(&[Role::AgencyHead, Role::Monitor]),
        in_lead_agency: true,
        reported_done: true,
        monitors_task: true,
        ..Who::default()
    };
    assert_eq!(
        apply(Status::ChoXacNhan, &Action::Confirm, &head_and_monitor)
            .unwrap_err()
            .code(),
        "own_work"
    );
    assert!(allowed(Status::ChoXacNhan, &head_and_monitor).is_empty());
    // The same people may still reopen and reassign: those are not reviews of their report.
    assert_eq!(
        apply(
            Status::HoanThanh,
            &Action::Reopen {
                reason: "Số liệu sai".into()
            },
            &officer_and_monitor
        ),
        Ok(Status::DangThucHien)
    );
}

#[test]
fn administrators_have_no_power_over_tasks() {
    let admin = Who::new(Role::Admin);
    for status in Status::ALL {
        assert!(allowed(status, &admin).is_empty());
    }
    let refusal = apply(Status::ChoXacNhan, &Action::Confirm, &in_role(Role::Admin)).unwrap_err();
    assert_eq!(
        refusal.to_string(),
        "Quản trị viên không có quyền xử lý nhiệm vụ: quản trị hệ thống không phải là theo dõi nhiệm vụ"
    );
    // An administrator who is also a monitor acts as the monitor; the admin role neither
    // gives nor takes away.
    let admin_monitor = Who {
        roles: Roles::of(&[Role::Admin, Role::Monitor]),
        monitors_task: true,
        ..Who::default()
    };
    assert_eq!(
        apply(Status::ChoXacNhan, &Action::Confirm, &admin_monitor),
        Ok(Status::HoanThanh)
    );
    let admin_officer = Who {
        roles: Roles::of(&[Role::Admin, Role::AgencyOfficer]),
        ..Who::default()
    };
    assert_eq!(
        apply(Status::ChoXacNhan, &Action::Confirm, &admin_officer)
            .unwrap_err()
            .code(),
        "not_permitted"
    );
}

#[test]
fn reasons_are_required_and_must_say_something() {
    let cases = [
        (
            Status::ChoXacNhan,
            ActionKind::Return,
            Role::Monitor,
            "trả lại",
        ),
        (
            Status::DangThucHien,
            ActionKind::Suspend,
            Role::Leader,
            "tạm hoãn",
        ),
        (
            Status::ChuaThucHien,
            ActionKind::Refuse,
            Role::AgencyHead,
            "từ chối",
        ),
        (Status::TamHoan, ActionKind::Cancel, Role::Leader, "hủy"),
        (
            Status::HoanThanh,
            ActionKind::Reopen,
            Role::Monitor,
            "mở lại",
        ),
    ];
    for (status, kind, role, verb) in cases {
        for blank in ["", "   ", "\n\t "] {
            let refusal = apply(status, &action(kind, blank), &in_role(role)).unwrap_err();
            assert_eq!(refusal.code(), "reason_required");
            assert_eq!(
                refusal.to_string(),
                format!("Cần nêu lý do khi {verb} nhiệm vụ")
            );
        }
        assert!(
            apply(
                status,
                &action(kind, "Đã có văn bản số 12/UBND"),
                &in_role(role)
            )
            .is_ok()
        );
    }
    // The status and the person are checked before the reason.
    let refusal = apply(
        Status::DangThucHien,
        &action(ActionKind::Return, ""),
        &in_role(Role::Monitor),
    );
    assert_eq!(refusal.unwrap_err().code(), "wrong_status");
    let refusal = apply(
        Status::ChoXacNhan,
        &action(ActionKind::Return, ""),
        &in_role(Role::Leader),
    );
    assert_eq!(refusal.unwrap_err().code(), "not_permitted");
}

#[test]
fn resuming_returns_to_the_status_before_the_suspension() {
    let monitor = in_role(Role::Monitor);
    let resume = |previous| apply(Status::TamHoan, &Action::Resume { previous }, &monitor);
    assert_eq!(resume(None), Ok(Status::DangThucHien));
    assert_eq!(resume(Some(Status::ChuaThucHien)), Ok(Status::ChuaThucHien));
    assert_eq!(resume(Some(Status::DangThucHien)), Ok(Status::DangThucHien));
    assert_eq!(resume(Some(Status::TuChoi)), Ok(Status::TuChoi));
    for impossible in [
        Status::ChoXacNhan,
        Status::HoanThanh,
        Status::TamHoan,
        Status::Huy,
    ] {
        let refusal = resume(Some(impossible)).unwrap_err();
        assert_eq!(refusal, Refusal::InvalidPriorStatus { status: impossible });
        assert!(
            refusal.to_string().contains(impossible.label_vi()),
            "{refusal}"
        );
    }
}

#[test]
fn refusals_say_precisely_what_is_wrong() {
    let message = |status, kind, role| {
        apply(status, &action(kind, "Lý do"), &in_role(role))
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        message(Status::Huy, ActionKind::Reopen, Role::Monitor),
        "Nhiệm vụ đã hủy không thể chuyển sang trạng thái khác"
    );
    assert_eq!(
        message(Status::HoanThanh, ActionKind::Cancel, Role::Leader),
        "Nhiệm vụ đã hoàn thành không thể chuyển sang trạng thái khác; chỉ cán bộ theo dõi được mở lại nhiệm vụ"
    );
    assert_eq!(
        message(Status::DangThucHien, ActionKind::Confirm, Role::Monitor),
        "Chỉ xác nhận hoàn thành được nhiệm vụ đang chờ xác nhận; nhiệm vụ này đang ở trạng thái “Đang thực hiện”"
    );
    assert_eq!(
        message(Status::ChoXacNhan, ActionKind::Suspend, Role::Leader),
        "Chỉ tạm hoãn được nhiệm vụ chưa thực hiện, đang thực hiện hoặc bị từ chối; nhiệm vụ này đang ở trạng thái “Chờ xác nhận”"
    );
    assert_eq!(
        message(Status::DangThucHien, ActionKind::Cancel, Role::Monitor),
        "Chỉ lãnh đạo cơ quan ban hành mới được hủy nhiệm vụ"
    );
    assert_eq!(
        message(Status::DangThucHien, ActionKind::ReportDone, Role::Monitor),
        "Chỉ cán bộ được giao xử lý hoặc lãnh đạo cơ quan chủ trì mới được báo cáo hoàn thành nhiệm vụ"
    );
    assert_eq!(
        message(
            Status::ChuaThucHien,
            ActionKind::Refuse,
            Role::AgencyOfficer
        ),
        "Chỉ lãnh đạo cơ quan chủ trì mới được từ chối nhiệm vụ"
    );
    assert_eq!(
        message(Status::TuChoi, ActionKind::Reassign, Role::Leader),
        "Chỉ cán bộ theo dõi nhiệm vụ mới được giao lại nhiệm vụ"
    );
    // A cancelled task says so to everyone, administrators included.
    assert_eq!(
        message(Status::Huy, ActionKind::Start, Role::Admin),
        "Nhiệm vụ đã hủy không thể chuyển sang trạng thái khác"
    );
}

#[test]
fn a_task_through_its_life() {
    let officer = in_role(Role::AgencyOfficer);
    let reporter = Who {
        reported_done: true,
        ..officer
    };
    let monitor = in_role(Role::Monitor);
    let head = in_role(Role::AgencyHead);
    let leader = in_role(Role::Leader);
    let reason = |s: &str| s.to_owned();
    let steps: Vec<(Action, &Who, Status)> = vec![
        (Action::Start, &officer, Status::DangThucHien),
        (Action::ReportDone, &officer, Status::ChoXacNhan),
        (
            Action::Return {
                reason: reason("Chưa kèm quyết định phê duyệt"),
            },
            &monitor,
            Status::DangThucHien,
        ),
        (
            Action::Suspend {
                reason: reason("Chờ quy hoạch vùng được phê duyệt"),
            },
            &leader,
            Status::TamHoan,
        ),
        (
            Action::Resume {
                previous: Some(Status::DangThucHien),
            },
            &monitor,
            Status::DangThucHien,
        ),
        (Action::ReportDone, &head, Status::ChoXacNhan),
        (Action::Confirm, &monitor, Status::HoanThanh),
        (
            Action::Reopen {
                reason: reason("Số liệu báo cáo không khớp"),
            },
            &monitor,
            Status::DangThucHien,
        ),
        (
            Action::Refuse {
                reason: reason("Không thuộc chức năng của Sở"),
            },
            &head,
            Status::TuChoi,
        ),
        (Action::Reassign, &monitor, Status::ChuaThucHien),
        (Action::ReportDone, &officer, Status::ChoXacNhan),
        (
            Action::Cancel {
                reason: reason("Văn bản 2395/UBND-KTTH được thay thế"),
            },
            &leader,
            Status::Huy,
        ),
    ];
    let mut status = Status::ChuaThucHien;
    for (action, who, expected) in steps {
        status = apply(status, &action, who).unwrap_or_else(|r| panic!("{action:?}: {r}"));
        assert_eq!(status, expected, "{action:?}");
    }
    assert!(allowed(status, &leader).is_empty());
    assert_eq!(
        apply(Status::ChoXacNhan, &Action::Confirm, &reporter)
            .unwrap_err()
            .code(),
        "not_permitted"
    );
}

#[test]
fn heads_hand_tasks_to_their_own_officers() {
    let head = in_role(Role::AgencyHead);
    let officer = Who {
        in_lead_agency: true,
        ..Who::new(Role::AgencyOfficer)
    };
    assert_eq!(hand_over(Status::ChuaThucHien, &head, &officer), Ok(()));
    assert_eq!(hand_over(Status::DangThucHien, &head, &officer), Ok(()));
    assert_eq!(hand_over(Status::ChoXacNhan, &head, &officer), Ok(()));
    assert_eq!(hand_over(Status::TamHoan, &head, &officer), Ok(()));
    // The head takes it personally.
    assert_eq!(hand_over(Status::ChuaThucHien, &head, &head), Ok(()));
    for status in [Status::TuChoi, Status::HoanThanh, Status::Huy] {
        let refusal = hand_over(status, &head, &officer).unwrap_err();
        assert_eq!(refusal.code(), "hand_over_wrong_status");
        assert_eq!(
            refusal.to_string(),
            format!(
                "Không thể giao cán bộ xử lý nhiệm vụ đang ở trạng thái “{}”",
                status.label_vi()
            )
        );
    }
    // Only the lead agency's head hands over.
    for by in [
        officer,
        Who::new(Role::AgencyHead),
        in_role(Role::Monitor),
        in_role(Role::Leader),
    ] {
        let refusal = hand_over(Status::ChuaThucHien, &by, &officer).unwrap_err();
        assert_eq!(
            refusal.to_string(),
            "Chỉ lãnh đạo cơ quan chủ trì mới được giao nhiệm vụ cho cán bộ xử lý"
        );
    }
    assert_eq!(
        hand_over(Status::ChuaThucHien, &in_role(Role::Admin), &officer)
            .unwrap_err()
            .code(),
        "admin_has_no_task_powers"
    );
    // Only to someone of the lead agency with an agency role.
    for to in [
        Who::new(Role::AgencyOfficer),
        Who {
            in_lead_agency: true,
            ..Who::new(Role::Monitor)
        },
        Who {
            in_lead_agency: true,
            ..Who::new(Role::Admin)
        },
    ] {
        let refusal = hand_over(Status::ChuaThucHien, &head, &to).unwrap_err();
        assert_eq!(refusal, Refusal::OfficerNotInLeadAgency);
        assert_eq!(
            refusal.to_string(),
            "Người được giao xử lý phải là cán bộ hoặc lãnh đạo của cơ quan chủ trì nhiệm vụ"
        );
    }
}

#[test]
fn labels_are_vietnamese() {
    let labels: Vec<&str> = Status::ALL.iter().map(|s| s.label_vi()).collect();
    assert_eq!(
        labels,
        [
            "Chưa thực hiện",
            "Đang thực hiện",
            "Chờ xác nhận",
            "Hoàn thành",
            "Tạm hoãn",
            "Từ chối",
            "Hủy"
        ]
    );
    assert_eq!(ActionKind::Confirm.label_vi(), "Xác nhận hoàn thành");
    assert!(
        Status::ALL
            .iter()
            .all(|s| s.is_open() != matches!(s, Status::HoanThanh | Status::Huy))
    );
}
