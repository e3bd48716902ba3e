//! The progress status people change, and the roles they change it in.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The progress of a task (DOMAIN.md §3): stored, and changed only through
/// [`apply`](crate::apply). Timeliness is the other, computed axis ([`Timeliness`](crate::Timeliness)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Chưa thực hiện: assigned, not begun.
    ChuaThucHien,
    /// Đang thực hiện: begun, or returned by the monitor, or reopened.
    DangThucHien,
    /// Chờ xác nhận: the lead agency says it is done; the monitor has to confirm or return it.
    ChoXacNhan,
    /// Hoàn thành: confirmed done by the monitor. Final, except that the monitor may reopen it.
    HoanThanh,
    /// Tạm hoãn: suspended by the monitor or a leader of the issuer.
    TamHoan,
    /// Từ chối: the lead agency's head says the task is not the agency's; the monitor reassigns.
    TuChoi,
    /// Hủy: withdrawn by the issuer. Final without exception.
    Huy,
}

impl Status {
    /// Every status, in the order of the progress axis.
    pub const ALL: [Status; 7] = [
        Status::ChuaThucHien,
        Status::DangThucHien,
        Status::ChoXacNhan,
        Status::HoanThanh,
        Status::TamHoan,
        Status::TuChoi,
        Status::Huy,
    ];

    /// The ASCII code the store's CHECK constraint, the CLI's `--json` and the API use.
    pub fn code(self) -> &'static str {
        match self {
            Status::ChuaThucHien => "chua_thuc_hien",
            Status::DangThucHien => "dang_thuc_hien",
            Status::ChoXacNhan => "cho_xac_nhan",
            Status::HoanThanh => "hoan_thanh",
            Status::TamHoan => "tam_hoan",
            Status::TuChoi => "tu_choi",
            Status::Huy => "huy",
        }
    }

    /// The status with this [`code`](Status::code).
    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The Vietnamese name users read.
    pub fn label_vi(self) -> &'static str {
        match self {
            Status::ChuaThucHien => "Chưa thực hiện",
            Status::DangThucHien => "Đang thực hiện",
            Status::ChoXacNhan => "Chờ xác nhận",
            Status::HoanThanh => "Hoàn thành",
            Status::TamHoan => "Tạm hoãn",
            Status::TuChoi => "Từ chối",
            Status::Huy => "Hủy",
        }
    }

    /// Whether the task still has to be done: everything but hoàn thành and hủy. The same
    /// split the store uses to decide which tasks a reorganisation hands to a successor.
    pub fn is_open(self) -> bool {
        !matches!(self, Status::HoanThanh | Status::Huy)
    }

    /// Whether the lead agency is the one expected to act, so reminders make sense: chưa
    /// thực hiện and đang thực hiện. A task waiting for confirmation waits on the monitor, a
    /// suspended one on a decision, a refused one on reassignment; urging the agency then
    /// would be noise it learns to ignore.
    pub fn receives_reminders(self) -> bool {
        matches!(self, Status::ChuaThucHien | Status::DangThucHien)
    }
}

impl fmt::Display for Status {
    /// The [`code`](Status::code), as the store's types print theirs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What a user may do (PRODUCT.md, "Who uses it"). A user may hold several; see [`Roles`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Chuyên viên of an agency: works on the tasks handed to them.
    AgencyOfficer,
    /// Lãnh đạo of an agency: hands tasks to officers, speaks for the agency.
    AgencyHead,
    /// Cán bộ theo dõi (the provincial Office, or the agency a document names to monitor it):
    /// confirms, returns, reassigns, reopens.
    Monitor,
    /// Chủ tịch, Phó Chủ tịch: suspends, resumes and withdraws tasks of the body they lead.
    Leader,
    /// Quản trị: agencies, accounts, calendar, settings. No power over tasks.
    Admin,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 5] = [
        Role::AgencyOfficer,
        Role::AgencyHead,
        Role::Monitor,
        Role::Leader,
        Role::Admin,
    ];

    /// The code the store uses (`agency_officer`, `agency_head`, `monitor`, `leader`, `admin`).
    pub fn code(self) -> &'static str {
        match self {
            Role::AgencyOfficer => "agency_officer",
            Role::AgencyHead => "agency_head",
            Role::Monitor => "monitor",
            Role::Leader => "leader",
            Role::Admin => "admin",
        }
    }

    /// The role with this [`code`](Role::code).
    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The Vietnamese name users read.
    pub fn label_vi(self) -> &'static str {
        match self {
            Role::AgencyOfficer => "Chuyên viên cơ quan",
            Role::AgencyHead => "Lãnh đạo cơ quan",
            Role::Monitor => "Cán bộ theo dõi",
            Role::Leader => "Lãnh đạo UBND",
            Role::Admin => "Quản trị",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// The roles one user holds, as a set: a monitor can also be an officer of an agency, and
/// the rules must see both to keep them apart.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Roles(u8);

impl Roles {
    /// No role.
    pub const NONE: Roles = Roles(0);

    /// The set of these roles.
    pub fn of(roles: &[Role]) -> Roles {
        roles.iter().copied().collect()
    }

    /// Whether `role` is in the set.
    pub fn contains(self, role: Role) -> bool {
        self.0 & role.bit() != 0
    }

    /// Adds `role`.
    pub fn insert(&mut self, role: Role) {
        self.0 |= role.bit();
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The roles in the set, in [`Role::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Role> {
        Role::ALL.into_iter().filter(move |r| self.contains(*r))
    }
}

impl From<Role> for Roles {
    fn from(role: Role) -> Roles {
        Roles(role.bit())
    }
}

impl FromIterator<Role> for Roles {
    fn from_iter<I: IntoIterator<Item = Role>>(iter: I) -> Roles {
        let mut set = Roles::NONE;
        for role in iter {
            set.insert(role);
        }
        set
    }
}

impl fmt::Debug for Roles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_match_serde() {
        for status in Status::ALL {
            assert_eq!(Status::from_code(status.code()), Some(status));
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.code()));
        }
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.code()));
        }
        assert_eq!(Status::from_code("done"), None);
        assert_eq!(Role::from_code("Admin"), None);
    }

    #[test]
    fn role_sets() {
        let set = Roles::of(&[Role::Monitor, Role::AgencyOfficer, Role::Monitor]);
        assert!(set.contains(Role::Monitor) && set.contains(Role::AgencyOfficer));
        assert!(!set.contains(Role::Admin));
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            [Role::AgencyOfficer, Role::Monitor]
        );
        assert!(Roles::NONE.is_empty());
        assert_eq!(format!("{set:?}"), "{AgencyOfficer, Monitor}");
    }
}
