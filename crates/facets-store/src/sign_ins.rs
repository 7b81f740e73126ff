//! The sign-ins Facets holds: which server and account, the app registration's public part and
//! the scopes granted, when the sign-in was made and last used, and whether the server still
//! accepts it. The token and client secret are in the secret store, named by `token_ref`.

use facets_model::Surface;
use rusqlite::{params, OptionalExtension, Row};

use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInRow {
    pub token_ref: String,
    pub base_url: String,
    pub account_id: String,
    pub handle: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub scopes: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub refused_at: Option<i64>,
    pub refused_reason: Option<String>,
}

const COLUMNS: &str = "token_ref, base_url, account_id, handle, client_id, redirect_uri, scopes, created_at,
                       last_used_at, refused_at, refused_reason";

fn sign_in_row(row: &Row<'_>) -> rusqlite::Result<SignInRow> {
    Ok(SignInRow {
        token_ref: row.get(0)?,
        base_url: row.get(1)?,
        account_id: row.get(2)?,
        handle: row.get(3)?,
        client_id: row.get(4)?,
        redirect_uri: row.get(5)?,
        scopes: row.get(6)?,
        created_at: row.get(7)?,
        last_used_at: row.get(8)?,
        refused_at: row.get(9)?,
        refused_reason: row.get(10)?,
    })
}

impl Store {
    /// Records a new sign-in (or replaces one with the same reference).
    pub fn save_sign_in(&self, sign_in: &SignInRow) -> Result<(), StoreError> {
        self.conn.execute(
            &format!(
                "INSERT OR REPLACE INTO sign_ins ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
            ),
            params![
                sign_in.token_ref,
                sign_in.base_url,
                sign_in.account_id,
                sign_in.handle,
                sign_in.client_id,
                sign_in.redirect_uri,
                sign_in.scopes,
                sign_in.created_at,
                sign_in.last_used_at,
                sign_in.refused_at,
                sign_in.refused_reason,
            ],
        )?;
        Ok(())
    }

    /// Every sign-in held, oldest first.
    pub fn sign_ins(&self) -> Result<Vec<SignInRow>, StoreError> {
        let mut stmt =
            self.conn.prepare_cached(&format!("SELECT {COLUMNS} FROM sign_ins ORDER BY created_at, token_ref"))?;
        let rows = stmt.query_map([], sign_in_row)?.collect::<Result<_, _>>()?;
        Ok(rows)
    }

    pub fn sign_in(&self, token_ref: &str) -> Result<Option<SignInRow>, StoreError> {
        Ok(self
            .conn
            .query_row(&format!("SELECT {COLUMNS} FROM sign_ins WHERE token_ref = ?1"), [token_ref], sign_in_row)
            .optional()?)
    }

    pub fn touch_sign_in(&self, token_ref: &str, at: i64) -> Result<(), StoreError> {
        self.conn.execute("UPDATE sign_ins SET last_used_at = ?2 WHERE token_ref = ?1", params![token_ref, at])?;
        Ok(())
    }

    /// Marks a sign-in as refused by its server. Returns whether it was news (the first refusal).
    pub fn mark_sign_in_refused(&self, token_ref: &str, at: i64, reason: &str) -> Result<bool, StoreError> {
        let changed = self.conn.execute(
            "UPDATE sign_ins SET refused_at = ?2, refused_reason = ?3 WHERE token_ref = ?1 AND refused_at IS NULL",
            params![token_ref, at, reason],
        )?;
        Ok(changed > 0)
    }

    /// Forgets a sign-in; the surfaces it served stay linked but signed out (their `token_ref`
    /// is emptied), so their cache stays readable until the user signs in again or clears it.
    /// Returns the surfaces that were signed out.
    pub fn remove_sign_in(&mut self, token_ref: &str) -> Result<Vec<Surface>, StoreError> {
        let tx = self.conn.transaction()?;
        let surfaces: Vec<String> = tx
            .prepare("SELECT surface FROM surface_links WHERE token_ref = ?1 ORDER BY surface")?
            .query_map([token_ref], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        tx.execute("UPDATE surface_links SET token_ref = '' WHERE token_ref = ?1", [token_ref])?;
        tx.execute("DELETE FROM sign_ins WHERE token_ref = ?1", [token_ref])?;
        tx.commit()?;
        surfaces
            .iter()
            .map(|s| s.parse().map_err(|e: facets_model::UnknownSurface| StoreError::Corrupt(e.to_string())))
            .collect()
    }

    /// Every picture address cached from one surface (attachments, previews, avatars,
    /// headers), so the files can go with the rows.
    pub fn surface_media_urls(&self, surface: Surface) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT remote_url FROM media WHERE surface = ?1
             UNION SELECT preview_remote_url FROM media WHERE surface = ?1 AND preview_remote_url IS NOT NULL
             UNION SELECT avatar_url FROM people WHERE surface = ?1 AND avatar_url IS NOT NULL
             UNION SELECT header_url FROM people WHERE surface = ?1 AND header_url IS NOT NULL",
        )?;
        let urls = stmt.query_map([surface.as_str()], |row| row.get(0))?.collect::<Result<_, _>>()?;
        Ok(urls)
    }

    /// Removes everything cached from one surface's server: posts, people, conversations,
    /// lists, sync positions and activity signals. Drafts, the outbox and the privacy log are
    /// the user's own record and stay.
    pub fn forget_surface_data(&mut self, surface: Surface) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        for table in [
            "messages",
            "conversation_participants",
            "conversations",
            "timeline_entries",
            "media",
            "posts",
            "person_profile_links",
            "account_lists",
            "people",
            "sync_cursors",
            "activity_signals",
        ] {
            tx.execute(&format!("DELETE FROM {table} WHERE surface = ?1"), [surface.as_str()])?;
        }
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use facets_model::{Dialect, SurfaceLink, TokenRef};

    use super::*;

    fn sign_in(token_ref: &str, created_at: i64) -> SignInRow {
        SignInRow {
            token_ref: token_ref.into(),
            base_url: "https://pixelfed.example".into(),
            account_id: "7".into(),
            handle: "me@pixelfed.example".into(),
            client_id: "client".into(),
            redirect_uri: "http://127.0.0.1/cb".into(),
            scopes: "read write".into(),
            created_at,
            last_used_at: None,
            refused_at: None,
            refused_reason: None,
        }
    }

    fn link(surface: Surface, token_ref: &str) -> SurfaceLink {
        SurfaceLink {
            surface,
            base_url: "https://pixelfed.example".into(),
            dialect: Dialect::Pixelfed,
            remote_account_id: "7".into(),
            handle: "me@pixelfed.example".into(),
            token: TokenRef(token_ref.into()),
        }
    }

    #[test]
    fn a_refusal_is_news_once_and_a_new_sign_in_clears_it() {
        let store = Store::open_in_memory().unwrap();
        store.save_sign_in(&sign_in("a", 10)).unwrap();
        store.touch_sign_in("a", 20).unwrap();
        assert!(store.mark_sign_in_refused("a", 30, "revoked").unwrap());
        assert!(!store.mark_sign_in_refused("a", 31, "revoked").unwrap(), "the second 401 is not news");
        let row = store.sign_in("a").unwrap().unwrap();
        assert_eq!(
            (row.last_used_at, row.refused_at, row.refused_reason.as_deref()),
            (Some(20), Some(30), Some("revoked"))
        );
        store.save_sign_in(&sign_in("a", 40)).unwrap();
        assert_eq!(store.sign_in("a").unwrap().unwrap().refused_at, None);
    }

    #[test]
    fn removing_a_sign_in_signs_out_the_surfaces_it_served_only() {
        let mut store = Store::open_in_memory().unwrap();
        store.save_sign_in(&sign_in("a", 10)).unwrap();
        store.save_sign_in(&sign_in("b", 11)).unwrap();
        store.save_link(&link(Surface::Feed, "a"), 1).unwrap();
        store.save_link(&link(Surface::Visual, "b"), 1).unwrap();
        assert_eq!(store.remove_sign_in("a").unwrap(), vec![Surface::Feed]);
        let links = store.links().unwrap();
        let token = |surface| links.iter().find(|l| l.surface == surface).unwrap().token.0.clone();
        assert_eq!(token(Surface::Feed), "");
        assert_eq!(token(Surface::Visual), "b");
        assert_eq!(store.sign_ins().unwrap().iter().map(|s| s.token_ref.as_str()).collect::<Vec<_>>(), ["b"]);
    }
}
