//! Who is calling: passwords (argon2id, PHC strings), browser sessions, API tokens, CSRF and
//! login throttling.
//!
//! - A session id and an API token are 32 random bytes (hex); the database keeps only their
//!   SHA-256, so a leaked backup opens no account. Plain SHA-256 suffices for them (unlike
//!   passwords) because they are random and long: there is nothing to guess.
//! - The session cookie is `HttpOnly` (scripts cannot read it) and `SameSite=Strict` (other
//!   sites' pages do not send it). On top of that, a cookie-authenticated request that changes
//!   something must carry `X-CSRF-Token`, derived from the session id by a keyed hash only
//!   the server and the page that signed in know: a forged form can send the cookie on an
//!   old browser, never the header. Bearer tokens are not sent by browsers on their own, so
//!   they need no CSRF token.
//! - Failed sign-ins are counted in the database per login and per client address over
//!   [`THROTTLE_WINDOW_MINUTES`], so every app server behind a load balancer sees the same
//!   count.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use sha2::{Digest, Sha256};
use store::{Role, User};

/// The session cookie's name.
pub const COOKIE: &str = "nhiemvu_session";
/// The header carrying the CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Minutes over which failed sign-ins are counted.
pub const THROTTLE_WINDOW_MINUTES: u64 = 15;
/// Failed sign-ins for one login within the window before it is refused.
pub const MAX_FAILURES_PER_LOGIN: u64 = 5;
/// Failed sign-ins from one address within the window before it is refused (an office behind
/// one NAT address has many people, hence higher).
pub const MAX_FAILURES_PER_IP: u64 = 30;

/// Hashes a password for storage (argon2id, default parameters, random salt).
pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches a stored PHC hash. A malformed hash matches nothing.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash to verify against when the login does not exist, so that answering "no such
/// account" takes as long as "wrong password" and timing does not reveal which logins exist.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("không có tài khoản này").unwrap_or_default())
}

/// A new random secret: 32 bytes as hex.
pub fn new_secret() -> Result<String, String> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|e| e.to_string())?;
    Ok(hex(&bytes))
}

/// The SHA-256 of a secret, as stored.
pub fn secret_hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// The CSRF token of a session: a hash of its id under another label, so it cannot be turned
/// back into the id (it is shown to scripts; the id is not).
pub fn csrf_token(session: &str) -> String {
    hex(&Sha256::digest(
        format!("nhiemvu-csrf\0{session}").as_bytes(),
    ))
}

/// Compares two strings in time independent of where they differ.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// How the caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A browser session (the cookie's id).
    Session(String),
    /// An API token.
    Token,
}

/// What the caller may see of the tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskScope {
    /// Every task: monitors and leaders.
    All,
    /// The tasks of the caller's agencies: agency heads and officers.
    OwnAgencies,
    /// None: administrators administer, they do not track.
    Nothing,
}

/// The authenticated caller, put in the request by the access layer for handlers to use.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The account.
    pub user: User,
    /// Its roles.
    pub roles: Vec<Role>,
    /// How it signed in.
    pub via: Via,
}

impl Caller {
    /// What the caller may see of the tasks.
    pub fn scope(&self) -> TaskScope {
        if self.roles.contains(&Role::Monitor) || self.roles.contains(&Role::Leader) {
            TaskScope::All
        } else if self.roles.contains(&Role::AgencyHead)
            || self.roles.contains(&Role::AgencyOfficer)
        {
            TaskScope::OwnAgencies
        } else {
            TaskScope::Nothing
        }
    }

    /// The account whose tasks the caller sees, when restricted to its agencies.
    pub fn visible_to(&self) -> Option<store::UserId> {
        (self.scope() != TaskScope::All).then_some(self.user.id)
    }
}

/// The value of the session cookie in a `Cookie` header.
pub fn session_from_cookie(header: &str) -> Option<&str> {
    header
        .split(';')
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_hash() {
        let h = hash_password("mật khẩu đúng").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("mật khẩu đúng", &h));
        assert!(!verify_password("mật khẩu sai", &h));
        assert!(!verify_password("x", "không phải PHC"));
    }

    #[test]
    fn cookies_and_secrets() {
        assert_eq!(
            session_from_cookie("a=1; nhiemvu_session=abc ; b=2"),
            Some("abc")
        );
        assert_eq!(session_from_cookie("nhiemvu_session="), None);
        let s = new_secret().unwrap();
        assert_eq!(s.len(), 64);
        assert_ne!(csrf_token(&s), secret_hash(&s));
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("a", "ab"));
    }
}
