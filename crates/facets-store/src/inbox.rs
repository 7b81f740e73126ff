//! Reading the inbox: conversations with their people and latest message, a conversation's
//! messages page by page, unread marks, who is the same person on both surfaces, and full-text
//! search over messages.

use std::collections::HashMap;

use facets_model::{Person, Post, Surface};
use rusqlite::{params, OptionalExtension};

use crate::read::{json_ids, parse_surface, person_from_row, post_from_row, POST_COLUMNS};
use crate::{Store, StoreError};

/// A conversation as cached.
#[derive(Debug, Clone, PartialEq)]
pub struct ConversationRow {
    pub surface: Surface,
    pub remote_id: String,
    /// The server says it is unread, or the user marked it unread here.
    pub unread: bool,
    /// Unix seconds of the latest message.
    pub updated_at: i64,
    /// Everyone in it but the signed-in user.
    pub participants: Vec<Person>,
    pub last_message: Option<LastMessage>,
}

/// What a conversation's row in the inbox shows of its latest message. The list reads only
/// this, not whole posts: a thousand conversations are a thousand random reads of the posts
/// table, and each read is cheaper the less it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastMessage {
    pub remote_id: String,
    /// Unix seconds.
    pub created_at: i64,
    pub author_id: String,
    /// The author's display name, or their handle when they have none.
    pub author_name: String,
    /// The message as plain text (the text the search index holds).
    pub text: String,
    /// How many pictures or videos it carries.
    pub attachments: usize,
}

/// Where a page of a conversation's messages stopped: the oldest message shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageCursor {
    pub created_at: i64,
    pub post_id: String,
}

impl MessageCursor {
    pub fn encode(&self) -> String {
        format!("{}:{}", self.created_at, self.post_id)
    }

    pub fn decode(raw: &str) -> Result<MessageCursor, StoreError> {
        let bad = || StoreError::BadCursor(raw.to_owned());
        let (at, id) = raw.split_once(':').ok_or_else(bad)?;
        Ok(MessageCursor { created_at: at.parse().map_err(|_| bad())?, post_id: id.to_owned() })
    }
}

/// What the user said about two accounts, one on each surface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonVerdict {
    Same,
    Apart,
}

/// A message that matched a search.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageHit {
    pub conversation_id: String,
    pub post: Post,
}

const PERSON_COLUMNS: &str = "a.surface, a.remote_id, a.handle, a.display_name, a.note_html, a.avatar_url,
    a.header_url, a.followers_count, a.following_count, a.statuses_count, a.locked";

/// Where a page of the inbox list stopped: its last conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationCursor {
    pub updated_at: i64,
    pub surface: Surface,
    pub remote_id: String,
}

impl ConversationRow {
    /// The cursor of a page that ends with this conversation.
    pub fn cursor(&self) -> ConversationCursor {
        ConversationCursor { updated_at: self.updated_at, surface: self.surface, remote_id: self.remote_id.clone() }
    }
}

/// A conversation's own columns, before its people and last message are read.
type ConversationColumns = (Surface, String, bool, i64, Option<String>);

const CONVERSATION_COLUMNS: &str =
    "c.surface, c.remote_id, c.unread OR c.marked_unread, c.updated_at, c.last_status_id";

fn conversation_columns(row: &rusqlite::Row<'_>) -> rusqlite::Result<ConversationColumns> {
    Ok((parse_surface(row, 0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?))
}

impl Store {
    /// A page of the inbox list: the `limit` conversations with the latest activity after
    /// `after` (from the top without it), only `surface`'s when given. Latest first, ties in
    /// surface and id order. Three queries whatever the page's length: the conversations,
    /// everyone in them, their last messages.
    pub fn conversations_page(
        &self,
        surface: Option<Surface>,
        after: Option<&ConversationCursor>,
        limit: usize,
    ) -> Result<Vec<ConversationRow>, StoreError> {
        let (at, after_surface, after_id) = match after {
            Some(cursor) => (cursor.updated_at, cursor.surface.as_str(), cursor.remote_id.as_str()),
            None => (i64::MAX, "", ""),
        };
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows: Vec<ConversationColumns> = match surface {
            None => self
                .conn
                .prepare_cached(&conversations_page_sql(false))?
                .query_map(params![at, after_surface, after_id, limit], conversation_columns)?
                .collect::<Result<_, _>>()?,
            Some(surface) => self
                .conn
                .prepare_cached(&conversations_page_sql(true))?
                .query_map(params![at, after_surface, after_id, limit, surface.as_str()], conversation_columns)?
                .collect::<Result<_, _>>()?,
        };
        self.complete_conversations(rows)
    }

    /// Every conversation any of `people` is in, latest first.
    pub fn conversations_with(&self, people: &[(Surface, String)]) -> Result<Vec<ConversationRow>, StoreError> {
        let mut rows: Vec<ConversationColumns> = Vec::new();
        for surface in Surface::ALL {
            let Some(ids) = json_ids(people.iter().filter(|(s, _)| *s == surface).map(|(_, id)| id.as_str()))? else {
                continue;
            };
            rows.extend(
                self.conn
                    .prepare_cached(&format!(
                        "SELECT DISTINCT {CONVERSATION_COLUMNS} FROM conversation_participants p
                         JOIN conversations c ON c.surface = p.surface AND c.remote_id = p.conversation_id
                         WHERE p.surface = ?1 AND p.person_id IN (SELECT value FROM json_each(?2))"
                    ))?
                    .query_map(params![surface.as_str(), ids], conversation_columns)?
                    .collect::<Result<Vec<_>, _>>()?,
            );
        }
        rows.sort_by(|a, b| b.3.cmp(&a.3).then_with(|| (a.0, &a.1).cmp(&(b.0, &b.1))));
        self.complete_conversations(rows)
    }

    /// How many conversations of each surface are unread.
    pub fn unread_conversations(&self) -> Result<HashMap<Surface, usize>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT surface, count(*) FROM conversations WHERE unread OR marked_unread GROUP BY surface",
        )?;
        let counts = stmt.query_map([], |row| Ok((parse_surface(row, 0)?, row.get::<_, i64>(1)? as usize)))?;
        Ok(counts.collect::<Result<_, _>>()?)
    }

    pub fn conversation(&self, surface: Surface, remote_id: &str) -> Result<Option<ConversationRow>, StoreError> {
        let row: Option<ConversationColumns> = self
            .conn
            .prepare_cached(&format!(
                "SELECT {CONVERSATION_COLUMNS} FROM conversations c WHERE c.surface = ?1 AND c.remote_id = ?2"
            ))?
            .query_row(params![surface.as_str(), remote_id], conversation_columns)
            .optional()?;
        Ok(self.complete_conversations(row.into_iter().collect())?.pop())
    }

    /// Reads the people and last messages of these conversations, a query each per surface.
    fn complete_conversations(&self, rows: Vec<ConversationColumns>) -> Result<Vec<ConversationRow>, StoreError> {
        let mut participants: HashMap<(Surface, String), Vec<Person>> = HashMap::new();
        let mut last_messages: HashMap<(Surface, String), LastMessage> = HashMap::new();
        for surface in Surface::ALL {
            let Some(ids) = json_ids(rows.iter().filter(|r| r.0 == surface).map(|r| r.1.as_str()))? else {
                continue;
            };
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT {PERSON_COLUMNS}, c.conversation_id FROM conversation_participants c
                 JOIN people a ON a.surface = c.surface AND a.remote_id = c.person_id
                 WHERE c.surface = ?1 AND c.conversation_id IN (SELECT value FROM json_each(?2))
                 ORDER BY a.display_name, a.remote_id"
            ))?;
            let mut people = stmt.query(params![surface.as_str(), ids])?;
            while let Some(row) = people.next()? {
                let person = person_from_row(row, 1)?;
                participants.entry((surface, row.get(11)?)).or_default().push(person);
            }
            drop(people);
            drop(stmt);
            let mut stmt = self.conn.prepare_cached(&last_messages_sql(
                "WHERE c.surface = ?1 AND c.remote_id IN (SELECT value FROM json_each(?2))",
            ))?;
            let lasts = stmt.query_map(params![surface.as_str(), ids], last_message_from_row)?;
            for last in lasts {
                let (surface, last) = last?;
                last_messages.insert((surface, last.remote_id.clone()), last);
            }
        }
        Ok(rows
            .into_iter()
            .map(|(surface, remote_id, unread, updated_at, last)| {
                // Cloned, not taken: one message can be the last of two conversations.
                let last_message = last.and_then(|id| last_messages.get(&(surface, id)).cloned());
                let participants = participants.remove(&(surface, remote_id.clone())).unwrap_or_default();
                ConversationRow { surface, remote_id, unread, updated_at, participants, last_message }
            })
            .collect())
    }

    /// A page of a conversation's messages, oldest first: the newest `limit` ones, or with
    /// `before` the ones older than it. The cursor points further back when there is more.
    pub fn conversation_messages(
        &self,
        surface: Surface,
        conversation_id: &str,
        before: Option<&MessageCursor>,
        limit: usize,
    ) -> Result<(Vec<Post>, Option<MessageCursor>), StoreError> {
        let limit = limit.clamp(1, 200) as i64;
        let (at, id) = before.map(|c| (c.created_at, c.post_id.clone())).unwrap_or((i64::MAX, String::new()));
        let sql = format!(
            "SELECT {POST_COLUMNS} FROM messages m
             JOIN posts p ON p.surface = m.surface AND p.remote_id = m.post_id
             JOIN people a ON a.surface = p.surface AND a.remote_id = p.author_id
             WHERE m.surface = ?1 AND m.conversation_id = ?2
               AND (p.created_at < ?3 OR (p.created_at = ?3 AND p.remote_id < ?4) OR ?5)
             ORDER BY p.created_at DESC, p.remote_id DESC
             LIMIT ?6"
        );
        let mut posts: Vec<Post> = self
            .conn
            .prepare_cached(&sql)?
            .query_map(params![surface.as_str(), conversation_id, at, id, before.is_none(), limit], post_from_row)?
            .collect::<Result<_, _>>()?;
        self.attach_media(&mut posts)?;
        let older = (posts.len() as i64 == limit)
            .then(|| posts.last().map(|p| MessageCursor { created_at: p.created_at, post_id: p.remote_id.clone() }))
            .flatten();
        posts.reverse();
        Ok((posts, older))
    }

    /// The first message cached of a conversation, if any.
    pub fn oldest_message_id(&self, surface: Surface, conversation_id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT m.post_id FROM messages m
                 JOIN posts p ON p.surface = m.surface AND p.remote_id = m.post_id
                 WHERE m.surface = ?1 AND m.conversation_id = ?2
                 ORDER BY p.created_at, p.remote_id LIMIT 1",
            )?
            .query_row(params![surface.as_str(), conversation_id], |row| row.get(0))
            .optional()?)
    }

    /// The latest message whose thread was cached, if any.
    pub fn conversation_history_of(&self, surface: Surface, remote_id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT history_of FROM conversations WHERE surface = ?1 AND remote_id = ?2")?
            .query_row(params![surface.as_str(), remote_id], |row| row.get(0))
            .optional()?
            .flatten())
    }

    pub fn set_conversation_history_of(
        &self,
        surface: Surface,
        remote_id: &str,
        last_status_id: &str,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE conversations SET history_of = ?3 WHERE surface = ?1 AND remote_id = ?2",
            params![surface.as_str(), remote_id, last_status_id],
        )?;
        Ok(())
    }

    /// People of a surface whose handle or name starts with `prefix`, for choosing a recipient;
    /// `except` (the user) left out.
    pub fn people_starting_with(
        &self,
        surface: Surface,
        prefix: &str,
        except: &str,
        limit: usize,
    ) -> Result<Vec<Person>, StoreError> {
        let escaped: String = prefix
            .trim()
            .trim_start_matches('@')
            .chars()
            .flat_map(|c| if matches!(c, '%' | '_' | '\\') { vec!['\\', c] } else { vec![c] })
            .collect();
        let pattern = format!("{escaped}%");
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {PERSON_COLUMNS} FROM people a
                 WHERE a.surface = ?1 AND a.remote_id != ?2
                   AND (a.handle LIKE ?3 ESCAPE '\\' OR a.display_name LIKE ?3 ESCAPE '\\')
                 ORDER BY a.display_name, a.handle LIMIT ?4"
            ))?
            .query_map(params![surface.as_str(), except, pattern, limit as i64], |row| person_from_row(row, 1))?
            .collect::<Result<_, _>>()?)
    }

    /// The cached person with this handle (`user@server`, or `user` for the surface's own).
    pub fn person_by_handle(&self, surface: Surface, handle: &str) -> Result<Option<Person>, StoreError> {
        let handle = handle.trim().trim_start_matches('@');
        let local = format!("{handle}@%");
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {PERSON_COLUMNS} FROM people a
                 WHERE a.surface = ?1 AND (lower(a.handle) = lower(?2) OR (instr(?2, '@') = 0 AND a.handle LIKE ?3))
                 ORDER BY a.handle LIMIT 1"
            ))?
            .query_row(params![surface.as_str(), handle, local], |row| person_from_row(row, 1))
            .optional()?)
    }

    /// Read on the server and here.
    pub fn mark_conversation_read(&self, surface: Surface, remote_id: &str) -> Result<bool, StoreError> {
        Ok(self.conn.execute(
            "UPDATE conversations SET unread = 0, marked_unread = 0 WHERE surface = ?1 AND remote_id = ?2",
            params![surface.as_str(), remote_id],
        )? == 1)
    }

    /// Unread here only: Mastodon has no way to mark a conversation unread.
    pub fn mark_conversation_unread(&self, surface: Surface, remote_id: &str) -> Result<bool, StoreError> {
        Ok(self.conn.execute(
            "UPDATE conversations SET marked_unread = 1 WHERE surface = ?1 AND remote_id = ?2",
            params![surface.as_str(), remote_id],
        )? == 1)
    }

    /// Pairs of accounts (Feed, Visual) that are one person: their profiles link to each other
    /// with verified links, or the user said so; never a pair the user said to keep apart.
    pub fn same_person_pairs(&self) -> Result<Vec<(String, String)>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT feed_id, visual_id FROM (
                    SELECT f.remote_id AS feed_id, v.remote_id AS visual_id
                    FROM person_profile_links l
                    JOIN people f ON f.surface = 'feed' AND f.remote_id = l.person_id
                    JOIN people v ON v.surface = 'visual' AND v.profile_url = l.url
                    WHERE l.surface = 'feed'
                    UNION
                    SELECT f.remote_id, v.remote_id
                    FROM person_profile_links l
                    JOIN people v ON v.surface = 'visual' AND v.remote_id = l.person_id
                    JOIN people f ON f.surface = 'feed' AND f.profile_url = l.url
                    WHERE l.surface = 'visual'
                    UNION
                    SELECT feed_person, visual_person FROM person_links WHERE verdict = 'same'
                 )
                 WHERE NOT EXISTS (
                    SELECT 1 FROM person_links a
                    WHERE a.verdict = 'apart' AND a.feed_person = feed_id AND a.visual_person = visual_id
                 )
                 ORDER BY feed_id, visual_id",
            )?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?)
    }

    /// Records (or with `None` forgets) what the user said about two accounts.
    pub fn set_person_verdict(
        &self,
        feed_person: &str,
        visual_person: &str,
        verdict: Option<PersonVerdict>,
        now: i64,
    ) -> Result<(), StoreError> {
        match verdict {
            None => self.conn.execute(
                "DELETE FROM person_links WHERE feed_person = ?1 AND visual_person = ?2",
                params![feed_person, visual_person],
            )?,
            Some(verdict) => self.conn.execute(
                "INSERT INTO person_links (feed_person, visual_person, verdict, decided_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (feed_person, visual_person) DO UPDATE SET verdict = excluded.verdict,
                    decided_at = excluded.decided_at",
                params![feed_person, visual_person, if verdict == PersonVerdict::Same { "same" } else { "apart" }, now],
            )?,
        };
        Ok(())
    }

    /// Messages matching every word of `query` (the last one as a prefix), newest first. Any
    /// text is a valid query: quotes, `*`, `-` and FTS keywords are searched as words.
    ///
    /// The index numbers messages in date order (see migration 10), so FTS5 walks the matches
    /// newest first and stops after `limit`: a word found in half the messages costs what a
    /// rare one does.
    pub fn search_messages(&self, query: &str, limit: usize) -> Result<Vec<MessageHit>, StoreError> {
        let Some(fts_query) = fts_query(query) else { return Ok(Vec::new()) };
        let sql = format!(
            "WITH hits AS (
                SELECT rowid AS id FROM message_search WHERE message_search MATCH ?1
                ORDER BY rowid DESC LIMIT ?2
             )
             SELECT {POST_COLUMNS}, m.conversation_id
             FROM hits
             JOIN message_index i ON i.id = hits.id
             JOIN posts p ON p.surface = i.surface AND p.remote_id = i.post_id
             JOIN people a ON a.surface = p.surface AND a.remote_id = p.author_id
             JOIN messages m ON m.surface = p.surface AND m.post_id = p.remote_id
             ORDER BY hits.id DESC"
        );
        let (mut posts, conversation_ids): (Vec<Post>, Vec<String>) = self
            .conn
            .prepare_cached(&sql)?
            .query_map(params![fts_query, limit.clamp(1, 500) as i64], |row| Ok((post_from_row(row)?, row.get(24)?)))?
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .unzip();
        self.attach_media(&mut posts)?;
        Ok(posts
            .into_iter()
            .zip(conversation_ids)
            .map(|(post, conversation_id)| MessageHit { conversation_id, post })
            .collect())
    }
}

/// A page of the inbox list, all surfaces' or one's (`?5`): it seeks its index to the cursor
/// (`?1` to `?3`) and stops after `?4`.
pub(crate) fn conversations_page_sql(one_surface: bool) -> String {
    let (index, surface) = if one_surface {
        ("conversations_of_surface_by_activity", "c.surface = ?5 AND")
    } else {
        ("conversations_by_activity", "")
    };
    format!(
        "SELECT {CONVERSATION_COLUMNS} FROM conversations c INDEXED BY {index}
         WHERE {surface} c.updated_at <= ?1 AND NOT (c.updated_at = ?1 AND (c.surface, c.remote_id) <= (?2, ?3))
         ORDER BY c.updated_at DESC, c.surface, c.remote_id
         LIMIT ?4"
    )
}

/// The last message of each conversation `filter` keeps, as
/// [`last_message_from_row`] reads it.
pub(crate) fn last_messages_sql(filter: &str) -> String {
    format!(
        "SELECT p.surface, p.remote_id, p.created_at, p.author_id,
             CASE WHEN a.display_name = '' THEN a.handle ELSE a.display_name END, p.content_text,
             (SELECT count(*) FROM media m WHERE m.surface = p.surface AND m.post_id = p.remote_id)
         FROM conversations c
         JOIN posts p ON p.surface = c.surface AND p.remote_id = c.last_status_id
         JOIN people a ON a.surface = p.surface AND a.remote_id = p.author_id
         {filter}"
    )
}

fn last_message_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<(Surface, LastMessage)> {
    Ok((
        parse_surface(row, 0)?,
        LastMessage {
            remote_id: row.get(1)?,
            created_at: row.get(2)?,
            author_id: row.get(3)?,
            author_name: row.get(4)?,
            text: row.get(5)?,
            attachments: row.get::<_, i64>(6)? as usize,
        },
    ))
}

/// Turns what the user typed into an FTS5 query that cannot be a syntax error: each word
/// becomes a quoted phrase (quotes inside doubled), all must match, and the last one may be
/// the start of a word, so results come while typing. Words with no letter or digit are
/// dropped: the tokenizer would make them empty.
pub fn fts_query(typed: &str) -> Option<String> {
    let words: Vec<String> = typed
        .split_whitespace()
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .map(|word| format!("\"{}\"", word.replace('"', "\"\"")))
        .collect();
    if words.is_empty() {
        return None;
    }
    Some(format!("{}*", words.join(" ")))
}
