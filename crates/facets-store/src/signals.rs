//! The user's activity signals: recorded only while the user lets their activity on one surface
//! shape the other, visible to them, and deleted when they say so (from SQLite, not hidden).

use facets_model::Surface;
use rusqlite::params;

use crate::read::parse_surface;
use crate::{Store, StoreError};

/// What the user did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignalKind {
    Favourite,
    Reply,
    Message,
}

impl SignalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SignalKind::Favourite => "favourite",
            SignalKind::Reply => "reply",
            SignalKind::Message => "message",
        }
    }

    fn parse(text: &str) -> Option<SignalKind> {
        [SignalKind::Favourite, SignalKind::Reply, SignalKind::Message].into_iter().find(|k| k.as_str() == text)
    }
}

/// How many signals of one kind are about one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalWeight {
    pub surface: Surface,
    pub person_id: String,
    pub kind: SignalKind,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalRow {
    pub id: i64,
    /// Unix seconds.
    pub at: i64,
    pub surface: Surface,
    pub kind: SignalKind,
    /// The person the activity was with, on `surface`.
    pub person_id: String,
    pub post_id: Option<String>,
    /// How many times ranking used it, and when last.
    pub used_count: i64,
    pub last_used_at: Option<i64>,
}

impl Store {
    pub fn record_signal(
        &self,
        at: i64,
        surface: Surface,
        kind: SignalKind,
        person_id: &str,
        post_id: Option<&str>,
    ) -> Result<i64, StoreError> {
        self.conn.execute(
            "INSERT INTO activity_signals (at, surface, kind, person_id, post_id) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![at, surface.as_str(), kind.as_str(), person_id, post_id],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Signals newest first, older than `before` (an id) when given.
    pub fn signals(&self, before: Option<i64>, limit: usize) -> Result<Vec<SignalRow>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id, at, surface, kind, person_id, post_id, used_count, last_used_at FROM activity_signals
                 WHERE id < ?1 ORDER BY id DESC LIMIT ?2",
            )?
            .query_map(params![before.unwrap_or(i64::MAX), limit as i64], |row| {
                let kind: String = row.get(3)?;
                Ok(SignalRow {
                    id: row.get(0)?,
                    at: row.get(1)?,
                    surface: parse_surface(row, 2)?,
                    kind: SignalKind::parse(&kind).ok_or_else(|| {
                        rusqlite::Error::FromSqlConversionFailure(
                            3,
                            rusqlite::types::Type::Text,
                            Box::new(StoreError::Corrupt(format!("unknown signal kind {kind:?}"))),
                        )
                    })?,
                    person_id: row.get(4)?,
                    post_id: row.get(5)?,
                    used_count: row.get(6)?,
                    last_used_at: row.get(7)?,
                })
            })?
            .collect::<Result<_, _>>()?)
    }

    /// How many signals of each kind there are about each person, most first.
    pub fn signal_weights(&self) -> Result<Vec<SignalWeight>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT surface, person_id, kind, count(*) FROM activity_signals GROUP BY surface, person_id, kind
                 ORDER BY count(*) DESC, surface, person_id, kind",
            )?
            .query_map([], |row| {
                let kind: String = row.get(2)?;
                Ok(SignalWeight {
                    surface: parse_surface(row, 0)?,
                    person_id: row.get(1)?,
                    kind: SignalKind::parse(&kind).unwrap_or(SignalKind::Favourite),
                    count: row.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?)
    }

    /// Marks the signals about these people as used (ranking relied on them) at `at`; a use
    /// within a minute of the last one is the same use (the view was shown again).
    pub fn mark_signals_used(&self, people: &[(Surface, String)], at: i64) -> Result<(), StoreError> {
        let mut statement = self.conn.prepare_cached(
            "UPDATE activity_signals SET used_count = used_count + 1, last_used_at = ?3
             WHERE surface = ?1 AND person_id = ?2 AND (last_used_at IS NULL OR last_used_at <= ?3 - 60)",
        )?;
        for (surface, person) in people {
            statement.execute(params![surface.as_str(), person, at])?;
        }
        Ok(())
    }

    /// Deletes one signal; whether it existed.
    pub fn delete_signal(&self, id: i64) -> Result<bool, StoreError> {
        Ok(self.conn.execute("DELETE FROM activity_signals WHERE id = ?1", params![id])? == 1)
    }

    /// Deletes every signal; how many there were.
    pub fn delete_all_signals(&self) -> Result<usize, StoreError> {
        Ok(self.conn.execute("DELETE FROM activity_signals", [])?)
    }
}
