//! Agencies as the gazetteer stores them.

/// What sort of body an agency is; decides which suffixes the matcher drops after its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AgencyKind {
    /// A provincial department (sở), or a body of that rank (Ban Dân tộc).
    Department,
    /// Any other provincial body: the People's Committee and its Office, police, military
    /// command, inspectorate, treasury, tax, courts, mass organisations, provincial centres.
    ProvincialBody,
    /// The Government, the Prime Minister, ministries and ministry-level bodies, other national
    /// bodies. A trailing "tỉnh …" is never part of their mention.
    Central,
    /// The People's Committee of a district, town or city of the province (before July 2025), or
    /// of a special zone.
    Locality,
    /// A management board (Ban Quản lý …).
    Board,
}

impl AgencyKind {
    pub(crate) fn parse(s: &str) -> Option<AgencyKind> {
        Some(match s {
            "department" => AgencyKind::Department,
            "provincial_body" => AgencyKind::ProvincialBody,
            "central" => AgencyKind::Central,
            "locality" => AgencyKind::Locality,
            "board" => AgencyKind::Board,
            _ => return None,
        })
    }

    /// The name used in the data files (`department`, `provincial_body`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            AgencyKind::Department => "department",
            AgencyKind::ProvincialBody => "provincial_body",
            AgencyKind::Central => "central",
            AgencyKind::Locality => "locality",
            AgencyKind::Board => "board",
        }
    }
}

/// One agency: its canonical name, the other ways directives write it, and when it existed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agency {
    pub(crate) name: String,
    pub(crate) kind: AgencyKind,
    pub(crate) aliases: Vec<String>,
    pub(crate) valid_from: Option<String>,
    pub(crate) valid_to: Option<String>,
    pub(crate) successor: Option<String>,
    pub(crate) note: String,
}

impl Agency {
    /// Canonical name, without the province suffix: "Sở Tài chính", "Công an tỉnh".
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What sort of body it is.
    pub fn kind(&self) -> AgencyKind {
        self.kind
    }

    /// Abbreviations and spelling variants as listed in the data (generated "UBND" forms and
    /// province suffixes are matched too but not listed).
    pub fn aliases(&self) -> &[String] {
        &self.aliases
    }

    /// First day of existence when known: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn valid_from(&self) -> Option<&str> {
        self.valid_from.as_deref()
    }

    /// Last day of existence when it was dissolved, merged or renamed (same formats).
    pub fn valid_to(&self) -> Option<&str> {
        self.valid_to.as_deref()
    }

    /// Canonical name of the agency or group that took over its open tasks, when it ended.
    /// For a split the successor is the body that received most functions; [`Agency::note`]
    /// says where the others went.
    pub fn successor(&self) -> Option<&str> {
        self.successor.as_deref()
    }

    /// Free-text note: how the body was reorganised, and which facts are unverified.
    pub fn note(&self) -> &str {
        &self.note
    }
}

/// Checks `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (month 01-12, day 01-31).
pub(crate) fn valid_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    let in_range = |p: &str, hi: u32| p.parse::<u32>().is_ok_and(|v| (1..=hi).contains(&v));
    match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2) && in_range(m, 12),
        [y, m, d] => digits(y, 4) && digits(m, 2) && in_range(m, 12) && digits(d, 2) && in_range(d, 31),
        _ => false,
    }
}
