//! Reading the cache for the UI. Every list is keyset-paginated.

use std::collections::HashMap;

use facets_model::{Media, MediaKind, Person, Post, PostKey, Surface, TimelineKind, Visibility};
use rusqlite::{params, OptionalExtension, Row};

use crate::{Store, StoreError};

/// Position in a timeline: the last entry of the previous page. Opaque to the UI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineCursor {
    pub sort_at: i64,
    pub post_id: String,
}

impl TimelineCursor {
    pub fn encode(&self) -> String {
        format!("{}:{}", self.sort_at, self.post_id)
    }

    pub fn decode(raw: &str) -> Result<TimelineCursor, StoreError> {
        let bad = || StoreError::BadCursor(raw.to_owned());
        let (sort_at, post_id) = raw.split_once(':').ok_or_else(bad)?;
        Ok(TimelineCursor { sort_at: sort_at.parse().map_err(|_| bad())?, post_id: post_id.to_owned() })
    }
}

pub(crate) const POST_COLUMNS: &str =
    "p.surface, p.remote_id, p.created_at, p.url, p.content_html, p.spoiler_text, p.sensitive,
    p.visibility, p.in_reply_to_id, p.replies_count, p.reblogs_count, p.favourites_count, p.favourited,
    a.remote_id, a.handle, a.display_name, a.note_html, a.avatar_url, a.header_url, a.followers_count,
    a.following_count, a.statuses_count, a.locked, p.edited_at";

/// A post with the replies around it, as cached.
#[derive(Debug, Clone)]
pub struct Thread {
    /// Oldest first.
    pub ancestors: Vec<Post>,
    pub post: Post,
    /// Depth first, oldest first among siblings.
    pub descendants: Vec<Post>,
}

impl Store {
    /// A page of a timeline, newest first, starting after `after` (or at the newest).
    pub fn timeline_page(
        &self,
        surface: Surface,
        timeline: TimelineKind,
        after: Option<&TimelineCursor>,
        limit: usize,
    ) -> Result<(Vec<Post>, Option<TimelineCursor>), StoreError> {
        let limit = limit.clamp(1, 200) as i64;
        let (sort_at, post_id) = match after {
            Some(c) => (c.sort_at, c.post_id.clone()),
            // After everything: the newest page.
            None => (i64::MAX, String::new()),
        };
        let mut stmt = self.conn.prepare_cached(&timeline_page_sql())?;
        let mut rows = stmt.query(params![surface.as_str(), timeline.as_str(), sort_at, post_id, limit])?;
        let mut posts = Vec::new();
        let mut last = None;
        while let Some(row) = rows.next()? {
            let post = post_from_row(row)?;
            last = Some(TimelineCursor { sort_at: row.get(24)?, post_id: post.remote_id.clone() });
            posts.push(post);
        }
        drop(rows);
        drop(stmt);
        self.attach_media(&mut posts)?;
        let next = if posts.len() as i64 == limit { last } else { None };
        Ok((posts, next))
    }

    /// A cached post's words as plain text (the server's HTML, read).
    pub fn post_text(&self, key: &PostKey) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT content_text FROM posts WHERE surface = ?1 AND remote_id = ?2")?
            .query_row(params![key.surface.as_str(), key.remote_id], |row| row.get(0))
            .optional()?)
    }

    pub fn post(&self, key: &PostKey) -> Result<Option<Post>, StoreError> {
        let sql = format!(
            "SELECT {POST_COLUMNS} FROM posts p
             JOIN people a ON a.surface = p.surface AND a.remote_id = p.author_id
             WHERE p.surface = ?1 AND p.remote_id = ?2"
        );
        let post = self
            .conn
            .prepare_cached(&sql)?
            .query_row(params![key.surface.as_str(), key.remote_id], post_from_row)
            .optional()?;
        match post {
            Some(mut post) => {
                self.attach_media(std::slice::from_mut(&mut post))?;
                Ok(Some(post))
            }
            None => Ok(None),
        }
    }

    /// The cached posts with these ids, in the order given; ids not cached are skipped.
    pub fn posts_in_order(&self, surface: Surface, ids: &[String]) -> Result<Vec<Post>, StoreError> {
        let mut posts = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(post) = self.post(&PostKey { surface, remote_id: id.clone() })? {
                posts.push(post);
            }
        }
        Ok(posts)
    }

    /// A post with its cached ancestors (oldest first) and replies (depth first, oldest first
    /// among siblings), following `in_reply_to_id` within the post's surface.
    pub fn thread(&self, key: &PostKey) -> Result<Option<Thread>, StoreError> {
        let Some(post) = self.post(key)? else {
            return Ok(None);
        };
        let mut ancestors = Vec::new();
        let mut parent = post.in_reply_to_id.clone();
        // Bounded: a reply cycle in hostile data must not loop forever.
        while let Some(id) = parent.take() {
            if ancestors.len() >= 200 {
                break;
            }
            match self.post(&PostKey { surface: key.surface, remote_id: id })? {
                Some(p) => {
                    parent = p.in_reply_to_id.clone();
                    ancestors.push(p);
                }
                None => break,
            }
        }
        ancestors.reverse();
        let ids: Vec<String> = self
            .conn
            .prepare_cached(
                "WITH RECURSIVE replies (remote_id, path, depth) AS (
                    SELECT remote_id, printf('%020d', created_at) || remote_id, 1 FROM posts
                     WHERE surface = ?1 AND in_reply_to_id = ?2
                    UNION ALL
                    SELECT p.remote_id, r.path || '/' || printf('%020d', p.created_at) || p.remote_id, r.depth + 1
                      FROM posts p JOIN replies r ON p.in_reply_to_id = r.remote_id
                     WHERE p.surface = ?1 AND r.depth < 50
                 )
                 SELECT remote_id FROM replies ORDER BY path LIMIT 500",
            )?
            .query_map(params![key.surface.as_str(), key.remote_id], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        let descendants = self.posts_in_order(key.surface, &ids)?;
        Ok(Some(Thread { ancestors, post, descendants }))
    }

    pub fn person(&self, surface: Surface, remote_id: &str) -> Result<Option<Person>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT surface, remote_id, handle, display_name, note_html, avatar_url, header_url, followers_count,
                        following_count, statuses_count, locked
                 FROM people WHERE surface = ?1 AND remote_id = ?2",
            )?
            .query_row(params![surface.as_str(), remote_id], |row| person_from_row(row, 1))
            .optional()?)
    }

    /// The remote URL of a cached post's picture at `position`, full size or preview.
    pub fn media_remote_url(
        &self,
        surface: Surface,
        post_id: &str,
        position: u32,
        preview: bool,
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT CASE WHEN ?4 THEN coalesce(preview_remote_url, remote_url) ELSE remote_url END
                 FROM media WHERE surface = ?1 AND post_id = ?2 AND position = ?3",
            )?
            .query_row(params![surface.as_str(), post_id, position, preview], |row| row.get(0))
            .optional()?)
    }

    /// The remote URL of a cached person's avatar or header.
    pub fn person_image_url(
        &self,
        surface: Surface,
        person_id: &str,
        header: bool,
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT CASE WHEN ?3 THEN header_url ELSE avatar_url END FROM people WHERE surface = ?1 AND remote_id = ?2",
            )?
            .query_row(params![surface.as_str(), person_id, header], |row| row.get(0))
            .optional()?
            .flatten())
    }

    pub fn count_timeline(&self, surface: Surface, timeline: TimelineKind) -> Result<i64, StoreError> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM timeline_entries WHERE surface = ?1 AND timeline = ?2",
            params![surface.as_str(), timeline.as_str()],
            |row| row.get(0),
        )?)
    }

    pub fn count_conversations(&self, surface: Surface) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM conversations WHERE surface = ?1", [surface.as_str()], |row| row.get(0))?)
    }

    /// Fills in the pictures of a list of posts with one query per surface rather than one per
    /// post: a page of 40 posts is otherwise 40 more round trips through SQLite.
    pub(crate) fn attach_media(&self, posts: &mut [Post]) -> Result<(), StoreError> {
        for surface in Surface::ALL {
            let Some(ids) = json_ids(posts.iter().filter(|p| p.surface == surface).map(|p| p.remote_id.as_str()))?
            else {
                continue;
            };
            let mut by_post: HashMap<String, Vec<Media>> = HashMap::new();
            let mut stmt = self.conn.prepare_cached(
                "SELECT remote_id, kind, remote_url, preview_remote_url, width, height, description, blurhash, post_id,
                        position
                 FROM media
                 WHERE surface = ?1 AND post_id IN (SELECT value FROM json_each(?2))
                 ORDER BY post_id, position",
            )?;
            let mut rows = stmt.query(params![surface.as_str(), ids])?;
            while let Some(row) = rows.next()? {
                by_post.entry(row.get(8)?).or_default().push(media_from_row(row, surface)?);
            }
            // A post may be listed twice (a search hit in two conversations): each copy gets them.
            for post in posts.iter_mut().filter(|p| p.surface == surface) {
                post.media = by_post.get(&post.remote_id).cloned().unwrap_or_default();
            }
        }
        Ok(())
    }
}

/// Ids as a JSON array, for a query to read through `json_each`: one statement for any number
/// of rows. `None` when there are none.
pub(crate) fn json_ids<'a>(ids: impl Iterator<Item = &'a str>) -> Result<Option<String>, StoreError> {
    let ids: Vec<&str> = ids.collect();
    if ids.is_empty() {
        return Ok(None);
    }
    serde_json::to_string(&ids).map(Some).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn media_from_row(row: &Row<'_>, surface: Surface) -> rusqlite::Result<Media> {
    Ok(Media {
        surface,
        remote_id: row.get(0)?,
        kind: MediaKind::parse_lenient(&row.get::<_, String>(1)?),
        remote_url: row.get(2)?,
        preview_remote_url: row.get(3)?,
        width: row.get(4)?,
        height: row.get(5)?,
        description: row.get(6)?,
        blurhash: row.get(7)?,
        position: row.get(9)?,
    })
}

/// A page of a timeline after a position. `sort_at <= ?3` is the term the index seeks to, so a
/// page deep in the history costs what the first one does; the rest only breaks ties within
/// one second.
///
/// Home and Explore leave out the accounts the user blocked or muted, as the server last listed
/// them: their cached posts stay (a thread may hold one) and come back if the user lets them.
pub(crate) fn timeline_page_sql() -> String {
    format!(
        "SELECT {POST_COLUMNS}, t.sort_at
         FROM timeline_entries t
         JOIN posts p ON p.surface = t.surface AND p.remote_id = t.post_id
         JOIN people a ON a.surface = p.surface AND a.remote_id = p.author_id
         WHERE t.surface = ?1 AND t.timeline = ?2
           AND t.sort_at <= ?3 AND (t.sort_at < ?3 OR t.post_id < ?4 OR ?4 = '')
           AND (t.timeline NOT IN ('home', 'explore') OR NOT EXISTS (
                SELECT 1 FROM account_lists k
                WHERE k.surface = p.surface AND k.list IN ('blocked', 'muted') AND k.person_id = p.author_id))
         ORDER BY t.sort_at DESC, t.post_id DESC
         LIMIT ?5"
    )
}

pub(crate) fn post_from_row(row: &Row<'_>) -> rusqlite::Result<Post> {
    let surface = parse_surface(row, 0)?;
    let author = person_from_row(row, 13)?;
    Ok(Post {
        surface,
        remote_id: row.get(1)?,
        created_at: row.get(2)?,
        url: row.get(3)?,
        content_html: row.get(4)?,
        spoiler_text: row.get(5)?,
        sensitive: row.get(6)?,
        visibility: Visibility::parse_lenient(&row.get::<_, String>(7)?),
        in_reply_to_id: row.get(8)?,
        replies_count: row.get(9)?,
        reblogs_count: row.get(10)?,
        favourites_count: row.get(11)?,
        favourited: row.get(12)?,
        edited_at: row.get(23)?,
        author,
        media: Vec::new(),
    })
}

/// Reads a person whose columns start at `first` (its remote id); column 0 is the surface, in
/// post rows too, where the author shares the post's surface.
pub(crate) fn person_from_row(row: &Row<'_>, first: usize) -> rusqlite::Result<Person> {
    let surface = parse_surface(row, 0)?;
    Ok(Person {
        surface,
        remote_id: row.get(first)?,
        handle: row.get(first + 1)?,
        display_name: row.get(first + 2)?,
        note_html: row.get(first + 3)?,
        avatar_remote_url: row.get(first + 4)?,
        header_remote_url: row.get(first + 5)?,
        followers_count: row.get(first + 6)?,
        following_count: row.get(first + 7)?,
        statuses_count: row.get(first + 8)?,
        locked: row.get(first + 9)?,
    })
}

pub(crate) fn parse_surface(row: &Row<'_>, index: usize) -> rusqlite::Result<Surface> {
    let raw: String = row.get(index)?;
    raw.parse().map_err(|e| corrupt(index, StoreError::Corrupt(format!("{e}"))))
}

fn corrupt(index: usize, error: StoreError) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(error))
}
