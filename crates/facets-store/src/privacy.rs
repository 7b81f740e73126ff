//! The privacy center's cache: follow requests, blocks and mutes as each server last listed
//! them, and the log of every privacy change (kept in order, read newest first by keyset).

use std::collections::BTreeSet;

use facets_model::{Person, Surface};
use facets_wire::Account;
use rusqlite::params;

use crate::read::{parse_surface, person_from_row};
use crate::{Store, StoreError};

const PERSON_COLUMNS: &str = "a.surface, a.remote_id, a.handle, a.display_name, a.note_html, a.avatar_url,
    a.header_url, a.followers_count, a.following_count, a.statuses_count, a.locked";

/// Accounts a server lists for the user to act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountList {
    FollowRequests,
    Blocked,
    Muted,
}

impl AccountList {
    fn as_str(self) -> &'static str {
        match self {
            AccountList::FollowRequests => "follow_requests",
            AccountList::Blocked => "blocked",
            AccountList::Muted => "muted",
        }
    }
}

/// One change of a privacy setting, as logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivacyLogRow {
    pub id: i64,
    /// Unix seconds.
    pub at: i64,
    /// `None` for Facets' own settings.
    pub surface: Option<Surface>,
    pub setting: String,
    pub old_value: String,
    pub new_value: String,
    pub accepted: bool,
    pub reason: Option<String>,
}

impl Store {
    /// Replaces a list with the accounts the server named, in its order (people cached too).
    /// Whether anyone joined or left it: the timelines leave out the blocked and the muted as
    /// they read, so a change there changes what they show.
    pub fn replace_account_list(
        &mut self,
        surface: Surface,
        list: AccountList,
        accounts: &[Account],
    ) -> Result<bool, StoreError> {
        self.ingest_accounts(surface, accounts)?;
        let tx = self.conn.transaction()?;
        let members = |tx: &rusqlite::Transaction<'_>| -> Result<BTreeSet<String>, StoreError> {
            Ok(tx
                .prepare_cached("SELECT person_id FROM account_lists WHERE surface = ?1 AND list = ?2")?
                .query_map(params![surface.as_str(), list.as_str()], |row| row.get(0))?
                .collect::<Result<_, _>>()?)
        };
        let before = members(&tx)?;
        tx.execute(
            "DELETE FROM account_lists WHERE surface = ?1 AND list = ?2",
            params![surface.as_str(), list.as_str()],
        )?;
        for (position, account) in accounts.iter().enumerate() {
            tx.execute(
                "INSERT OR IGNORE INTO account_lists (surface, list, person_id, position) VALUES (?1, ?2, ?3, ?4)",
                params![surface.as_str(), list.as_str(), account.id, position as i64],
            )?;
        }
        let changed = members(&tx)? != before;
        tx.commit()?;
        Ok(changed)
    }

    /// A list as last cached, in the server's order.
    pub fn account_list(&self, surface: Surface, list: AccountList) -> Result<Vec<Person>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {PERSON_COLUMNS} FROM account_lists l
                 JOIN people a ON a.surface = l.surface AND a.remote_id = l.person_id
                 WHERE l.surface = ?1 AND l.list = ?2 ORDER BY l.position"
            ))?
            .query_map(params![surface.as_str(), list.as_str()], |row| person_from_row(row, 1))?
            .collect::<Result<_, _>>()?)
    }

    /// Takes someone off a list (the server said so); whether they were on it.
    pub fn remove_from_account_list(
        &self,
        surface: Surface,
        list: AccountList,
        person_id: &str,
    ) -> Result<bool, StoreError> {
        Ok(self.conn.execute(
            "DELETE FROM account_lists WHERE surface = ?1 AND list = ?2 AND person_id = ?3",
            params![surface.as_str(), list.as_str(), person_id],
        )? == 1)
    }

    /// Appends a change to the privacy log; its id.
    #[allow(clippy::too_many_arguments)]
    pub fn log_privacy_change(
        &self,
        at: i64,
        surface: Option<Surface>,
        setting: &str,
        old_value: &str,
        new_value: &str,
        accepted: bool,
        reason: Option<&str>,
    ) -> Result<i64, StoreError> {
        self.conn.execute(
            "INSERT INTO privacy_log (at, surface, setting, old_value, new_value, accepted, reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![at, surface.map(Surface::as_str), setting, old_value, new_value, accepted, reason],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Log entries newest first, older than `before` (an entry id) when given.
    pub fn privacy_log(&self, before: Option<i64>, limit: usize) -> Result<Vec<PrivacyLogRow>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id, at, surface, setting, old_value, new_value, accepted, reason FROM privacy_log
                 WHERE id < ?1 ORDER BY id DESC LIMIT ?2",
            )?
            .query_map(params![before.unwrap_or(i64::MAX), limit as i64], |row| {
                let surface: Option<String> = row.get(2)?;
                Ok(PrivacyLogRow {
                    id: row.get(0)?,
                    at: row.get(1)?,
                    surface: match surface {
                        Some(_) => Some(parse_surface(row, 2)?),
                        None => None,
                    },
                    setting: row.get(3)?,
                    old_value: row.get(4)?,
                    new_value: row.get(5)?,
                    accepted: row.get(6)?,
                    reason: row.get(7)?,
                })
            })?
            .collect::<Result<_, _>>()?)
    }
}
