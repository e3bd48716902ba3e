//! Users, their roles and the agencies they belong to. Authentication (argon2 hashes, sessions)
//! comes with the API; the store keeps whatever hash it is given.

use serde_json::json;

use crate::Store;
use crate::audit;
use crate::db::q;
use crate::error::{Error, Result};
use crate::types::{Actor, AgencyId, Role, UserId};

/// An account to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    /// Login name, unique.
    pub login: String,
    /// Full name as shown.
    pub full_name: String,
    /// E-mail address for notices.
    pub email: Option<String>,
    /// Password hash (PHC string), when the account can log in with a password.
    pub password_hash: Option<String>,
    /// Roles.
    pub roles: Vec<Role>,
}

/// A stored account (without its password hash).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct User {
    /// Its id.
    pub id: UserId,
    /// Login name.
    pub login: String,
    /// Full name.
    pub full_name: String,
    /// E-mail address.
    pub email: Option<String>,
    /// Whether it may log in.
    pub active: bool,
    /// Roles.
    pub roles: Vec<Role>,
    /// Agencies it belongs to.
    pub agencies: Vec<AgencyId>,
}

impl Store {
    /// Creates an account.
    pub async fn create_user(&self, new: &NewUser, actor: Actor) -> Result<UserId> {
        let login = new.login.trim();
        if login.is_empty() || login.chars().any(char::is_whitespace) {
            return Err(Error::Invalid {
                what: "tên đăng nhập",
                value: new.login.clone(),
            });
        }
        let mut tx = self.pool.write().await?;
        let id = tx
            .one(
                q(
                    "INSERT INTO app_user (login, full_name, email, password_hash, created_at) \
                   VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(login)
                .bind(new.full_name.as_str())
                .bind(new.email.clone())
                .bind(new.password_hash.clone())
                .bind(crate::time::Timestamp::now().to_string()),
            )
            .await?
            .int(0)?;
        for role in &new.roles {
            tx.execute(
                q("INSERT INTO user_role (user_id, role) VALUES ($1, $2) ON CONFLICT (user_id, role) DO NOTHING")
                    .bind(id)
                    .bind(role.code()),
            )
            .await?;
        }
        audit::record(
            &mut tx,
            actor,
            "user",
            id,
            "create",
            None,
            Some(json!({"login": login, "full_name": new.full_name, "roles": new.roles})),
        )
        .await?;
        tx.commit().await?;
        Ok(UserId(id))
    }

    /// An account.
    pub async fn user(&self, id: UserId) -> Result<User> {
        let mut tx = self.pool.read().await?;
        let r = tx
            .optional(
                q("SELECT login, full_name, email, active FROM app_user WHERE id = $1").bind(id.0),
            )
            .await?
            .ok_or_else(|| Error::NotFound {
                what: "người dùng",
                id: id.to_string(),
            })?;
        let roles = tx
            .all(q("SELECT role FROM user_role WHERE user_id = $1 ORDER BY role").bind(id.0))
            .await?;
        let agencies = tx
            .all(
                q("SELECT agency_id FROM agency_membership WHERE user_id = $1 ORDER BY agency_id")
                    .bind(id.0),
            )
            .await?;
        Ok(User {
            id,
            login: r.text(0)?,
            full_name: r.text(1)?,
            email: r.opt_text(2)?,
            active: r.int(3)? == 1,
            roles: roles.iter().map(|r| r.parsed(0)).collect::<Result<_>>()?,
            agencies: agencies
                .iter()
                .map(|r| Ok(AgencyId(r.int(0)?)))
                .collect::<Result<_>>()?,
        })
    }

    /// Makes a user a member of an agency (an officer sees that agency's tasks).
    pub async fn add_membership(&self, user: UserId, agency: AgencyId, actor: Actor) -> Result<()> {
        let mut tx = self.pool.write().await?;
        tx.execute(
            q("INSERT INTO agency_membership (user_id, agency_id) VALUES ($1, $2)")
                .bind(user.0)
                .bind(agency.0),
        )
        .await?;
        audit::record(
            &mut tx,
            actor,
            "user",
            user,
            "add_membership",
            None,
            Some(json!({"agency": agency})),
        )
        .await?;
        tx.commit().await
    }
}
