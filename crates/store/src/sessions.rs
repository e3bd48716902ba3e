//! What signing in needs from the database: password hashes, sessions and API tokens (by the
//! SHA-256 of their secret, never the secret), and failed attempts for throttling. Hashing and
//! checking passwords is the web layer's (argon2); the store keeps whatever PHC string it is
//! given, as for [`NewUser`](crate::NewUser).

use serde_json::json;

use crate::Store;
use crate::audit;
use crate::db::q;
use crate::error::{Error, Result};
use crate::time::Timestamp;
use crate::types::{Actor, UserId};

/// The account behind a login name, as sign-in needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The account.
    pub user: UserId,
    /// Its password hash (PHC string), when it may sign in with a password.
    pub password_hash: Option<String>,
    /// Whether it may sign in at all.
    pub active: bool,
}

/// Failed sign-ins within a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LoginFailures {
    /// For this login name, from anywhere.
    pub by_login: u64,
    /// From this client address, for any login name.
    pub by_ip: u64,
}

impl Store {
    /// The account with this login name.
    pub async fn credentials(&self, login: &str) -> Result<Option<Credentials>> {
        let mut tx = self.pool.read().await?;
        tx.optional(
            q("SELECT id, password_hash, active FROM app_user WHERE login = $1").bind(login.trim()),
        )
        .await?
        .map(|r| {
            Ok(Credentials {
                user: UserId(r.int(0)?),
                password_hash: r.opt_text(1)?,
                active: r.int(2)? == 1,
            })
        })
        .transpose()
    }

    /// The id of the account with this login name.
    pub async fn user_by_login(&self, login: &str) -> Result<UserId> {
        self.credentials(login)
            .await?
            .map(|c| c.user)
            .ok_or_else(|| Error::NotFound {
                what: "người dùng",
                id: login.to_owned(),
            })
    }

    /// Sets an account's password hash; every session of the account ends (a changed password
    /// must lock out whoever knew the old one).
    pub async fn set_password_hash(&self, user: UserId, hash: &str, actor: Actor) -> Result<()> {
        let mut tx = self.pool.write().await?;
        let n = tx
            .execute(
                q("UPDATE app_user SET password_hash = $1 WHERE id = $2")
                    .bind(hash)
                    .bind(user.0),
            )
            .await?;
        if n == 0 {
            return Err(Error::NotFound {
                what: "người dùng",
                id: user.to_string(),
            });
        }
        tx.execute(q("DELETE FROM session WHERE user_id = $1").bind(user.0))
            .await?;
        audit::record(&mut tx, actor, "user", user, "set_password", None, None).await?;
        tx.commit().await
    }

    /// Every account, by id.
    pub async fn users(&self) -> Result<Vec<crate::User>> {
        let ids = {
            let mut tx = self.pool.read().await?;
            tx.all(q("SELECT id FROM app_user ORDER BY id")).await?
        };
        let mut out = Vec::with_capacity(ids.len());
        for r in &ids {
            out.push(self.user(UserId(r.int(0)?)).await?);
        }
        Ok(out)
    }

    /// Records a sign-in: a session whose id hashes to `token_hash`, valid until `expires_at`.
    /// Clears the login's failed attempts.
    pub async fn create_session(
        &self,
        user: UserId,
        login: &str,
        token_hash: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        let mut tx = self.pool.write().await?;
        tx.execute(
            q("INSERT INTO session (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
                .bind(token_hash)
                .bind(user.0)
                .bind(now.to_string())
                .bind(expires_at.to_string()),
        )
        .await?;
        tx.execute(q("DELETE FROM login_failure WHERE login = $1").bind(login))
            .await?;
        audit::record(
            &mut tx,
            Actor::User(user),
            "user",
            user,
            "login",
            None,
            Some(json!({"expires_at": expires_at})),
        )
        .await?;
        tx.commit().await
    }

    /// The active account of an unexpired session.
    pub async fn session_user(&self, token_hash: &str, now: Timestamp) -> Result<Option<UserId>> {
        let mut tx = self.pool.read().await?;
        tx.optional(
            q(
                "SELECT s.user_id FROM session s JOIN app_user u ON u.id = s.user_id \
               WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = 1",
            )
            .bind(token_hash)
            .bind(now.to_string()),
        )
        .await?
        .map(|r| Ok(UserId(r.int(0)?)))
        .transpose()
    }

    /// Ends a session (signing out); ending one that is gone is no error.
    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        let mut tx = self.pool.write().await?;
        tx.execute(q("DELETE FROM session WHERE token_hash = $1").bind(token_hash))
            .await?;
        tx.commit().await
    }

    /// Records an API token for `user`, named for the system that uses it.
    pub async fn create_api_token(
        &self,
        user: UserId,
        name: &str,
        token_hash: &str,
        actor: Actor,
    ) -> Result<i64> {
        let mut tx = self.pool.write().await?;
        let id = tx
            .one(
                q("INSERT INTO api_token (token_hash, user_id, name, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
                    .bind(token_hash)
                    .bind(user.0)
                    .bind(name)
                    .bind(Timestamp::now().to_string()),
            )
            .await?
            .int(0)?;
        audit::record(
            &mut tx,
            actor,
            "api_token",
            id,
            "create",
            None,
            Some(json!({"user": user, "name": name})),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The active account of an unrevoked API token.
    pub async fn token_user(&self, token_hash: &str) -> Result<Option<UserId>> {
        let mut tx = self.pool.read().await?;
        tx.optional(
            q(
                "SELECT t.user_id FROM api_token t JOIN app_user u ON u.id = t.user_id \
               WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = 1",
            )
            .bind(token_hash),
        )
        .await?
        .map(|r| Ok(UserId(r.int(0)?)))
        .transpose()
    }

    /// Records a failed sign-in at `at`, counted for `window`.
    pub async fn record_login_failure(
        &self,
        login: &str,
        ip: &str,
        at: Timestamp,
        window: std::time::Duration,
    ) -> Result<()> {
        let mut tx = self.pool.write().await?;
        tx.execute(
            q("INSERT INTO login_failure (login, ip, until) VALUES ($1, $2, $3)")
                .bind(login)
                .bind(ip)
                .bind((at + window).to_string()),
        )
        .await?;
        tx.commit().await
    }

    /// Failed sign-ins still counting at `now`, for this login and from this address.
    pub async fn login_failures(
        &self,
        login: &str,
        ip: &str,
        now: Timestamp,
    ) -> Result<LoginFailures> {
        let mut tx = self.pool.read().await?;
        let r = tx
            .one(
                q(
                    "SELECT (SELECT COUNT(*) FROM login_failure WHERE login = $1 AND until > $3), \
                   (SELECT COUNT(*) FROM login_failure WHERE ip = $2 AND until > $3)",
                )
                .bind(login)
                .bind(ip)
                .bind(now.to_string()),
            )
            .await?;
        Ok(LoginFailures {
            by_login: u64::try_from(r.int(0)?).unwrap_or(0),
            by_ip: u64::try_from(r.int(1)?).unwrap_or(0),
        })
    }
}
