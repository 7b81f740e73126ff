//! The merged inbox: direct messages of both surfaces in one list, a person's conversations on
//! both surfaces grouped under them, unread counts, conversations page by page, replies through
//! the durable outbox, and search over every cached message.

use std::collections::{BTreeMap, HashMap, HashSet};

use facets_model::{Dialect, PostKey, Surface};
use facets_store::{ConversationRow, MessageCursor, NewOutboxRow, OutboxState, PersonVerdict, SignalKind};
use serde::Serialize;

use crate::compose::{outbox_entry, OutboxEntry};
use crate::outbox::OutgoingPost;
use crate::views::{iso, MediaView, PersonView};
use crate::{now_ms, AppError, Core};

/// How many groups of the inbox list a first read gives.
pub const INBOX_PAGE: usize = 40;
/// How many messages a conversation page holds.
const MESSAGE_PAGE: usize = 40;
const SEARCH_RESULTS: usize = 50;
/// Characters of context on each side of a search match in its snippet.
const SNIPPET_CONTEXT: usize = 60;
/// Suggestions offered while choosing a recipient.
const KNOWN_PEOPLE: usize = 8;
/// Fewer letters than this match too many people to ask a server about.
const SERVER_SEARCH_MIN_CHARS: usize = 2;
const NOTIFY_SETTING: &str = "inbox.notify";
/// Characters of a message its conversation's row shows.
const PREVIEW_CHARS: usize = 160;

/// Facets' settings of the inbox.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct InboxSettings {
    /// A desktop notification for a new message while the window is not focused.
    pub notify: bool,
}

/// A message from someone else that arrived while Facets runs.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct IncomingMessage {
    pub conversation_key: String,
    pub surface: Surface,
    pub author_name: String,
    pub text: String,
}

/// What a desktop notification says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesktopNotification {
    pub title: String,
    pub body: String,
}

/// Notification servers cut long bodies anyway; this keeps the cut between words.
const NOTIFICATION_BODY_CHARS: usize = 180;

impl DesktopNotification {
    fn of(message: &IncomingMessage) -> DesktopNotification {
        let surface = match message.surface {
            Surface::Feed => "Feed",
            Surface::Visual => "Visual",
        };
        let mut body = String::new();
        for word in message.text.split_whitespace() {
            if body.chars().count() + word.chars().count() + 1 > NOTIFICATION_BODY_CHARS {
                body.push('…');
                break;
            }
            if !body.is_empty() {
                body.push(' ');
            }
            body.push_str(word);
        }
        DesktopNotification { title: format!("{} on {surface}", message.author_name), body }
    }
}

// --- Grouping (pure) -------------------------------------------------------------------------

/// What grouping needs to know of a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationFacts {
    pub surface: Surface,
    /// Remote ids of everyone in it but the user.
    pub participants: Vec<String>,
    pub unread: bool,
    pub updated_at: i64,
}

/// Conversations shown together: one person's, or one conversation alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Indices into the conversations given, latest activity first.
    pub members: Vec<usize>,
    /// The account that names the group (its latest conversation's), for 1:1 conversations.
    pub person: Option<(Surface, String)>,
    /// The same for every grouping of the same people, whatever was said last: the group's key.
    pub identity: Option<(Surface, String)>,
    pub unread: usize,
    pub updated_at: i64,
}

/// Groups conversations for the inbox. With `merged`, the 1:1 conversations of one person come
/// together, across surfaces when `same_person` (pairs of Feed and Visual account ids) says
/// two accounts are one person; group chats always stand alone. Groups come latest activity
/// first; ties keep the order given.
pub fn group_conversations(
    conversations: &[ConversationFacts],
    same_person: &[(String, String)],
    merged: bool,
) -> Vec<Group> {
    let union = PersonUnion::of(same_person);
    let mut order: Vec<usize> = (0..conversations.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(conversations[i].updated_at));

    let mut groups: Vec<Group> = Vec::new();
    let mut by_person: HashMap<(Surface, String), usize> = HashMap::new();
    for index in order {
        let facts = &conversations[index];
        let one_person = match facts.participants.as_slice() {
            [only] if merged => Some((facts.surface, only.clone())),
            _ => None,
        };
        let slot = one_person.as_ref().map(|person| union.root(person));
        let existing = slot.as_ref().and_then(|root| by_person.get(root).copied());
        let group = match existing {
            Some(group) => group,
            None => {
                groups.push(Group {
                    members: Vec::new(),
                    person: one_person.clone(),
                    identity: slot.clone(),
                    unread: 0,
                    updated_at: facts.updated_at,
                });
                if let Some(root) = slot {
                    by_person.insert(root, groups.len() - 1);
                }
                groups.len() - 1
            }
        };
        let group = &mut groups[group];
        group.members.push(index);
        group.unread += usize::from(facts.unread);
    }
    groups
}

/// Accounts known to be one person, joined transitively.
#[derive(Default)]
struct PersonUnion {
    parent: HashMap<(Surface, String), (Surface, String)>,
}

impl PersonUnion {
    /// The union of pairs of Feed and Visual account ids known to be one person.
    fn of(same_person: &[(String, String)]) -> PersonUnion {
        let mut union = PersonUnion::default();
        for (feed, visual) in same_person {
            union.join((Surface::Feed, feed.clone()), (Surface::Visual, visual.clone()));
        }
        union
    }

    /// Every account known to be the same person as `account`, itself included.
    fn accounts_of(&self, account: &(Surface, String)) -> Vec<(Surface, String)> {
        let root = self.root(account);
        let mut accounts: Vec<(Surface, String)> =
            self.parent.keys().filter(|other| self.root(other) == root).cloned().collect();
        accounts.push(root);
        accounts.push(account.clone());
        accounts.sort();
        accounts.dedup();
        accounts
    }

    fn root(&self, account: &(Surface, String)) -> (Surface, String) {
        let mut current = account.clone();
        while let Some(parent) = self.parent.get(&current) {
            current = parent.clone();
        }
        current
    }

    fn join(&mut self, a: (Surface, String), b: (Surface, String)) {
        let (root_a, root_b) = (self.root(&a), self.root(&b));
        if root_a != root_b {
            // The smaller root wins, so the result does not depend on the order of pairs.
            let (low, high) = if root_a < root_b { (root_a, root_b) } else { (root_b, root_a) };
            self.parent.insert(high, low);
        }
    }
}

// --- Views -----------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MessagePreview {
    pub author_name: String,
    /// The start of the message, without the mentions it opens with.
    pub text: String,
    /// Pictures and videos it carries.
    pub attachments: usize,
    pub created_at: String,
    pub from_me: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ConversationSummary {
    /// `surface:remote_id`
    pub key: String,
    pub surface: Surface,
    pub remote_id: String,
    pub participants: Vec<PersonView>,
    pub last_message: Option<MessagePreview>,
    pub unread: bool,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct InboxGroup {
    pub key: String,
    pub person: Option<PersonView>,
    pub surfaces: Vec<Surface>,
    pub conversations: Vec<ConversationSummary>,
    pub unread_count: usize,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct InboxView {
    pub groups: Vec<InboxGroup>,
    /// More groups follow these: a longer read shows them.
    pub more: bool,
    /// Unread conversations per surface.
    pub unread: BTreeMap<Surface, usize>,
    pub merged: bool,
    /// Each surface's conversations kept apart (a Privacy setting): Feed's, then Visual's.
    pub apart: bool,
    /// How each surface's new messages arrive (absent until known).
    pub delivery: BTreeMap<Surface, crate::inbox_watch::Delivery>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MessageView {
    pub key: String,
    pub surface: Surface,
    pub author: PersonView,
    pub from_me: bool,
    pub created_at: String,
    pub content_html: String,
    pub spoiler_text: String,
    pub media: Vec<MediaView>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ConversationView {
    pub conversation: ConversationSummary,
    /// Oldest first.
    pub messages: Vec<MessageView>,
    pub older_cursor: Option<String>,
    /// Replies still in the outbox, oldest first.
    pub pending: Vec<OutboxEntry>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MessageSearchHit {
    pub conversation_key: String,
    pub message_key: String,
    pub surface: Surface,
    pub author: PersonView,
    pub created_at: String,
    pub snippet: String,
}

/// `surface:remote_id` of a conversation.
fn parse_key(key: &str) -> Result<(Surface, String), AppError> {
    let key: PostKey = key.parse()?;
    Ok((key.surface, key.remote_id))
}

/// A few words of text around the first place a searched word appears.
pub fn snippet(text: &str, query: &str) -> String {
    let lower = text.to_lowercase();
    let start = query
        .split_whitespace()
        .filter_map(|word| lower.find(&word.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase()))
        .min()
        .filter(|_| lower.len() == text.len())
        .unwrap_or(0);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let at = chars.iter().position(|(byte, _)| *byte >= start).unwrap_or(0);
    let from = at.saturating_sub(SNIPPET_CONTEXT);
    let to = (at + SNIPPET_CONTEXT * 2).min(chars.len());
    let body: String = chars[from..to].iter().map(|(_, c)| *c).collect();
    let body = body.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("{}{body}{}", if from > 0 { "…" } else { "" }, if to < chars.len() { "…" } else { "" })
}

impl Core {
    /// Account ids of the signed-in identity, per surface.
    pub(crate) fn my_accounts(&self) -> Result<HashMap<Surface, String>, AppError> {
        Ok(self.store().links()?.into_iter().map(|l| (l.surface, l.remote_account_id)).collect())
    }

    fn summary(&self, row: &ConversationRow, me: &HashMap<Surface, String>) -> ConversationSummary {
        let last_message = row.last_message.as_ref().map(|last| MessagePreview {
            author_name: last.author_name.clone(),
            text: preview_text(&last.text),
            attachments: last.attachments,
            created_at: iso(last.created_at),
            from_me: me.get(&row.surface) == Some(&last.author_id),
        });
        ConversationSummary {
            key: format!("{}:{}", row.surface, row.remote_id),
            surface: row.surface,
            remote_id: row.remote_id.clone(),
            participants: row.participants.iter().map(|p| self.urls.person_view(p)).collect(),
            last_message,
            unread: row.unread,
            updated_at: iso(row.updated_at),
        }
    }

    /// The first `groups` groups of the inbox, from the cache: grouped by person with `merged`,
    /// else one a conversation. It reads the list page by page until that many groups have
    /// started, then the older conversations of the people in them: never the whole inbox.
    pub fn inbox(&self, merged: bool, groups: usize) -> Result<InboxView, AppError> {
        // Kept apart (a Privacy setting): no one is gathered across surfaces, and each
        // surface's conversations come together, Feed first.
        let apart = !self.privacy_settings()?.inbox_across_surfaces;
        let merged = merged && !apart;
        let groups = groups.max(1);
        let pairs = self.store().same_person_pairs()?;
        let union = PersonUnion::of(&pairs);
        let only_person = |row: &ConversationRow| match row.participants.as_slice() {
            [only] if merged => Some((row.surface, only.remote_id.clone())),
            _ => None,
        };
        let scopes: Vec<Option<Surface>> = if apart { Surface::ALL.map(Some).to_vec() } else { vec![None] };
        let mut rows: Vec<ConversationRow> = Vec::new();
        let mut started: HashSet<(Surface, String)> = HashSet::new();
        let mut more = false;
        'scan: for scope in scopes {
            let mut after = None;
            loop {
                let page = self.store().conversations_page(scope, after.as_ref(), groups.saturating_add(1))?;
                let last_page = page.len() <= groups;
                after = page.last().map(ConversationRow::cursor);
                for row in page {
                    let group = match only_person(&row) {
                        Some(person) => union.root(&person),
                        None => (row.surface, format!("conversation:{}", row.remote_id)),
                    };
                    if started.insert(group) && started.len() > groups {
                        more = true;
                        break 'scan;
                    }
                    rows.push(row);
                }
                if last_page {
                    break;
                }
            }
        }
        // A person's older conversations belong to their group, on whichever page of the list
        // they would be.
        let people: HashSet<(Surface, String)> =
            rows.iter().filter_map(only_person).flat_map(|person| union.accounts_of(&person)).collect();
        if !people.is_empty() {
            let listed: HashSet<(Surface, String)> = rows.iter().map(|r| (r.surface, r.remote_id.clone())).collect();
            let people: Vec<(Surface, String)> = people.into_iter().collect();
            for row in self.store().conversations_with(&people)? {
                if row.participants.len() == 1 && !listed.contains(&(row.surface, row.remote_id.clone())) {
                    rows.push(row);
                }
            }
        }
        let me = self.my_accounts()?;
        let facts: Vec<ConversationFacts> = rows
            .iter()
            .map(|row| ConversationFacts {
                surface: row.surface,
                participants: row.participants.iter().map(|p| p.remote_id.clone()).collect(),
                unread: row.unread,
                updated_at: row.updated_at,
            })
            .collect();
        let mut unread: BTreeMap<Surface, usize> = Surface::ALL.into_iter().map(|s| (s, 0)).collect();
        unread.extend(self.store().unread_conversations()?);
        let groups = group_conversations(&facts, &pairs, merged)
            .into_iter()
            .map(|group| {
                let conversations: Vec<ConversationSummary> =
                    group.members.iter().map(|&i| self.summary(&rows[i], &me)).collect();
                let newest = &rows[group.members[0]];
                let person = group
                    .person
                    .as_ref()
                    .and_then(|(_, id)| newest.participants.iter().find(|p| &p.remote_id == id))
                    .map(|p| self.urls.person_view(p));
                let mut surfaces: Vec<Surface> = conversations.iter().map(|c| c.surface).collect();
                surfaces.sort();
                surfaces.dedup();
                InboxGroup {
                    key: match &group.identity {
                        Some((surface, id)) => format!("person:{surface}:{id}"),
                        None => format!("conversation:{}", conversations[0].key),
                    },
                    person,
                    surfaces,
                    unread_count: group.unread,
                    updated_at: iso(group.updated_at),
                    conversations,
                }
            })
            .collect::<Vec<InboxGroup>>();
        let mut groups = groups;
        if apart {
            groups.sort_by_key(|group| group.surfaces.first().copied());
        }
        Ok(InboxView { groups, more, unread, merged, apart, delivery: self.delivery() })
    }

    /// A conversation with a page of its messages: the newest, or those before `before`.
    pub fn conversation(&self, key: &str, before: Option<&str>) -> Result<ConversationView, AppError> {
        let (surface, id) = parse_key(key)?;
        let row = self.store().conversation(surface, &id)?.ok_or(AppError::NotFound)?;
        let before = before.map(MessageCursor::decode).transpose()?;
        let (posts, older) = self.store().conversation_messages(surface, &id, before.as_ref(), MESSAGE_PAGE)?;
        let me = self.my_accounts()?;
        let messages = self
            .post_views(&posts)
            .into_iter()
            .zip(&posts)
            .map(|(view, post)| MessageView {
                key: view.key,
                surface,
                from_me: me.get(&surface) == Some(&post.author.remote_id),
                author: view.author,
                created_at: view.created_at,
                content_html: view.content_html,
                spoiler_text: view.spoiler_text,
                media: view.media,
            })
            .collect();
        let pending = self
            .store()
            .outbox()?
            .iter()
            .filter(|r| r.surface == surface && r.state != OutboxState::Sent && r.state != OutboxState::Cancelled)
            .filter(|r| {
                serde_json::from_str::<OutgoingPost>(&r.payload).is_ok_and(|p| p.conversation_id.as_ref() == Some(&id))
            })
            .rev()
            .map(outbox_entry)
            .collect();
        Ok(ConversationView {
            conversation: self.summary(&row, &me),
            messages,
            older_cursor: older.map(|c| c.encode()),
            pending,
        })
    }

    /// Marks a conversation read here at once, then on its server (best effort: the next sync
    /// brings the server's word back if it did not hear).
    pub async fn mark_conversation_read(&self, key: &str) -> Result<ConversationSummary, AppError> {
        let (surface, id) = parse_key(key)?;
        if !self.store().mark_conversation_read(surface, &id)? {
            return Err(AppError::NotFound);
        }
        self.inbox_changed();
        if let Some(client) = crate::outbox::Clients::client(self, surface) {
            let told = match self.dialect_of(surface)? {
                // Pixelfed marks read by person, from a message on: all of theirs cached here.
                Some(Dialect::Pixelfed) => {
                    let first = self.store().oldest_message_id(surface, &id)?;
                    match first {
                        Some(first) => client.mark_direct_thread_read(&id, &first).await,
                        None => Ok(()),
                    }
                }
                _ => client.mark_conversation_read(&id).await.map(drop),
            };
            if let Err(error) = told {
                tracing::info!(%error, "the server did not hear that the conversation was read");
            }
        }
        self.conversation_summary(surface, &id)
    }

    /// The software of the server a surface is linked to, whose dialect it speaks.
    pub(crate) fn dialect_of(&self, surface: Surface) -> Result<Option<Dialect>, AppError> {
        let links = self.store().links()?;
        Ok(links.into_iter().find(|link| link.surface == surface).map(|link| link.dialect))
    }

    /// Marks a conversation unread on this machine (servers have no such mark).
    pub fn mark_conversation_unread(&self, key: &str) -> Result<ConversationSummary, AppError> {
        let (surface, id) = parse_key(key)?;
        if !self.store().mark_conversation_unread(surface, &id)? {
            return Err(AppError::NotFound);
        }
        self.inbox_changed();
        self.conversation_summary(surface, &id)
    }

    fn conversation_summary(&self, surface: Surface, id: &str) -> Result<ConversationSummary, AppError> {
        let row = self.store().conversation(surface, id)?.ok_or(AppError::NotFound)?;
        Ok(self.summary(&row, &self.my_accounts()?))
    }

    /// Queues a reply in the outbox and returns at once. It goes out through the surface the
    /// conversation lives on, to everyone in it, as an answer to its latest message.
    pub fn reply_to_conversation(&self, key: &str, text: &str) -> Result<OutboxEntry, AppError> {
        let (surface, id) = parse_key(key)?;
        if text.trim().is_empty() {
            return Err(AppError::Invalid("Write something to send.".into()));
        }
        let row = self.store().conversation(surface, &id)?.ok_or(AppError::NotFound)?;
        let post = match self.dialect_of(surface)? {
            // Pixelfed's threads are between two: the message goes to the other person.
            Some(Dialect::Pixelfed) => OutgoingPost {
                text: text.trim().to_owned(),
                visibility: "direct".into(),
                conversation_id: Some(id.clone()),
                direct_to: Some(
                    row.participants
                        .first()
                        .ok_or_else(|| AppError::Invalid("No one else is in this conversation.".into()))?
                        .remote_id
                        .clone(),
                ),
                ..OutgoingPost::default()
            },
            _ => {
                let mentions: Vec<String> = row.participants.iter().map(|p| format!("@{}", p.handle)).collect();
                OutgoingPost {
                    text: addressed(&mentions, text),
                    visibility: "direct".into(),
                    in_reply_to_id: row.last_message.as_ref().map(|m| m.remote_id.clone()),
                    conversation_id: Some(id.clone()),
                    ..OutgoingPost::default()
                }
            }
        };
        let document = serde_json::json!({ "kind": "reply", "conversation": key, "text": text });
        let queued = self.send_message(surface, post, document)?;
        for person in &row.participants {
            self.record_activity(surface, SignalKind::Message, &person.remote_id, None);
        }
        Ok(queued)
    }

    /// Starts a conversation: a direct message to one person the cache knows on `surface`,
    /// queued in the outbox. Once sent, the inbox is refreshed and shows the conversation.
    pub fn start_conversation(&self, surface: Surface, recipient: &str, text: &str) -> Result<OutboxEntry, AppError> {
        if text.trim().is_empty() {
            return Err(AppError::Invalid("Write something to send.".into()));
        }
        let person = self.store().person_by_handle(surface, recipient)?.ok_or_else(|| {
            AppError::Invalid(format!(
                "Facets does not know {} on {surface} yet. Choose someone from the suggestions.",
                recipient.trim()
            ))
        })?;
        let post = match self.dialect_of(surface)? {
            Some(Dialect::Pixelfed) => OutgoingPost {
                text: text.trim().to_owned(),
                visibility: "direct".into(),
                direct_to: Some(person.remote_id.clone()),
                ..OutgoingPost::default()
            },
            _ => OutgoingPost {
                text: addressed(&[format!("@{}", person.handle)], text),
                visibility: "direct".into(),
                ..OutgoingPost::default()
            },
        };
        let document = serde_json::json!({ "kind": "message", "surface": surface, "to": person.handle, "text": text });
        let queued = self.send_message(surface, post, document)?;
        self.record_activity(surface, SignalKind::Message, &person.remote_id, None);
        Ok(queued)
    }

    /// Checks a message (or a reply) against its server's limit and queues it.
    pub(crate) fn send_message(
        &self,
        surface: Surface,
        post: OutgoingPost,
        document: serde_json::Value,
    ) -> Result<OutboxEntry, AppError> {
        if let Some(limit) = self.compose_limits()?.iter().find(|l| l.surface == surface) {
            let length = crate::compose::counted_length(&post.text, limit.characters_reserved_per_url);
            if length > limit.max_characters as usize {
                return Err(AppError::Invalid(format!(
                    "The message is {} characters over the limit of {}.",
                    length - limit.max_characters as usize,
                    limit.max_characters
                )));
            }
        }
        let payload = serde_json::to_string(&post).map_err(|e| AppError::internal(e.to_string()))?;
        let group = uuid::Uuid::new_v4().to_string();
        let outbox_row = NewOutboxRow {
            id: format!("{group}-{surface}"),
            surface,
            idempotency_key: uuid::Uuid::new_v4().to_string(),
            payload,
        };
        self.store().enqueue_written(&group, &document.to_string(), std::slice::from_ref(&outbox_row), now_ms())?;
        self.outbox.wake();
        let row = self.store().outbox_row(&outbox_row.id)?.ok_or_else(|| AppError::internal("message vanished"))?;
        let entry = outbox_entry(&row);
        let _ = self.outbox_changes.send(entry.clone());
        Ok(entry)
    }

    /// People of a surface to choose a recipient from, by the start of their handle or name.
    pub fn known_people(&self, surface: Surface, prefix: &str) -> Result<Vec<PersonView>, AppError> {
        let me = self.my_accounts()?.remove(&surface).unwrap_or_default();
        let people = self.store().people_starting_with(surface, prefix, &me, KNOWN_PEOPLE)?;
        Ok(people.iter().map(|p| self.urls.person_view(p)).collect())
    }

    /// People to write to: the cached ones matching first, then, when the words typed are
    /// enough to search by, those the server knows (cached from then on, so a conversation
    /// with them can start).
    pub async fn find_people(&self, surface: Surface, query: &str) -> Result<Vec<PersonView>, AppError> {
        let mut people = self.known_people(surface, query)?;
        let typed = query.trim().trim_start_matches('@');
        if people.len() >= KNOWN_PEOPLE || typed.chars().count() < SERVER_SEARCH_MIN_CHARS {
            return Ok(people);
        }
        let session = self.session(surface).await?;
        let accounts = session.client.search_accounts(typed, KNOWN_PEOPLE as u32).await?;
        self.store().ingest_accounts(surface, &accounts)?;
        let me = self.my_accounts()?.remove(&surface).unwrap_or_default();
        for account in accounts.iter().filter(|a| a.id != me) {
            if people.len() >= KNOWN_PEOPLE {
                break;
            }
            if people.iter().any(|p| p.id == account.id) {
                continue;
            }
            if let Some(person) = self.store().person(surface, &account.id)? {
                people.push(self.urls.person_view(&person));
            }
        }
        Ok(people)
    }

    /// What the user says about two accounts: one person (`Some(true)`), not (`Some(false)`),
    /// or nothing any more (`None`: the profiles decide again).
    pub fn set_same_person(&self, feed_person: &str, visual_person: &str, same: Option<bool>) -> Result<(), AppError> {
        let verdict = same.map(|same| if same { PersonVerdict::Same } else { PersonVerdict::Apart });
        self.store().set_person_verdict(feed_person, visual_person, verdict, crate::now())?;
        self.inbox_changed();
        Ok(())
    }

    pub fn inbox_settings(&self) -> Result<InboxSettings, AppError> {
        let notify = self.store().setting(NOTIFY_SETTING)?.is_none_or(|value| value != "false");
        Ok(InboxSettings { notify })
    }

    pub fn set_inbox_notify(&self, notify: bool) -> Result<InboxSettings, AppError> {
        self.store().set_setting(NOTIFY_SETTING, if notify { "true" } else { "false" })?;
        self.inbox_settings()
    }

    /// New messages from others, as sync finds them, for desktop notifications.
    pub fn subscribe_incoming(&self) -> tokio::sync::broadcast::Receiver<IncomingMessage> {
        self.incoming.subscribe()
    }

    /// The desktop notification a new message deserves: none while the user looks at the
    /// Facets window, or when they turned notifications off in the Inbox.
    pub fn notification_for(&self, message: &IncomingMessage, window_focused: bool) -> Option<DesktopNotification> {
        let wanted = self.inbox_settings().map(|settings| settings.notify).unwrap_or(true);
        (wanted && !window_focused).then(|| DesktopNotification::of(message))
    }

    /// Asks the inbox poller to look now (a message was just sent, say).
    pub(crate) fn poke_inbox(&self) {
        self.inbox_poke.notify_one();
    }

    /// Every cached message matching the words typed, newest first.
    pub fn search_messages(&self, query: &str) -> Result<Vec<MessageSearchHit>, AppError> {
        let hits = self.store().search_messages(query, SEARCH_RESULTS)?;
        let posts: Vec<_> = hits.iter().map(|h| h.post.clone()).collect();
        Ok(self
            .post_views(&posts)
            .into_iter()
            .zip(&hits)
            .map(|(view, hit)| MessageSearchHit {
                conversation_key: format!("{}:{}", hit.post.surface, hit.conversation_id),
                message_key: view.key,
                surface: hit.post.surface,
                author: view.author,
                created_at: view.created_at,
                snippet: snippet(&facets_sanitize::html_to_text(&hit.post.content_html), query),
            })
            .collect())
    }

    /// Brings the inbox of every linked surface up to date from its server.
    pub async fn refresh_inbox(&self) -> Result<(), AppError> {
        for surface in Surface::ALL {
            match self.session(surface).await {
                Ok(session) => {
                    crate::sync::sync_conversations(self, &session).await?;
                }
                Err(AppError::NotLinked(_)) => {}
                Err(error) => return Err(error),
            }
        }
        Ok(())
    }

    /// Tells the UI the inbox changed.
    pub(crate) fn inbox_changed(&self) {
        let _ = self.inbox_changes.send(());
    }

    /// Inbox changes (new messages, read marks, replies sent), for the shell to forward.
    pub fn subscribe_inbox(&self) -> tokio::sync::broadcast::Receiver<()> {
        self.inbox_changes.subscribe()
    }
}

/// The words typed, addressed to `mentions` unless they already are.
pub(crate) fn addressed(mentions: &[String], text: &str) -> String {
    let missing: Vec<&str> = mentions
        .iter()
        .map(String::as_str)
        .filter(|mention| !text.split_whitespace().any(|word| word.eq_ignore_ascii_case(mention)))
        .collect();
    if missing.is_empty() {
        text.trim().to_owned()
    } else {
        format!("{} {}", missing.join(" "), text.trim())
    }
}

/// A direct message starts with the mentions that address it; the preview skips them.
/// A list row shows one line of a message: the first words are enough, and a long message
/// would otherwise cross to the window whole, once a conversation.
fn preview_text(text: &str) -> String {
    let text = without_leading_mentions(text);
    match text.char_indices().nth(PREVIEW_CHARS) {
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
        None => text,
    }
}

pub(crate) fn without_leading_mentions(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let first_word = words.iter().position(|w| !w.starts_with('@')).unwrap_or(words.len());
    let rest = words[first_word..].join(" ");
    if rest.is_empty() {
        words.join(" ")
    } else {
        rest
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    fn facts(surface: Surface, participants: &[&str], unread: bool, updated_at: i64) -> ConversationFacts {
        ConversationFacts {
            surface,
            participants: participants.iter().map(|p| p.to_string()).collect(),
            unread,
            updated_at,
        }
    }

    #[test]
    fn one_persons_conversations_on_both_surfaces_come_together() {
        let conversations = vec![
            facts(Surface::Feed, &["ana-f"], true, 10),
            facts(Surface::Visual, &["bo-v"], false, 30),
            facts(Surface::Visual, &["ana-v"], true, 20),
            facts(Surface::Feed, &["ana-f", "bo-f"], true, 40),
        ];
        let pairs = vec![("ana-f".to_owned(), "ana-v".to_owned())];
        let groups = group_conversations(&conversations, &pairs, true);
        let members: Vec<Vec<usize>> = groups.iter().map(|g| g.members.clone()).collect();
        assert_eq!(members, vec![vec![3], vec![1], vec![2, 0]], "latest first; Ana's two together");
        assert_eq!(groups[2].unread, 2);
        assert_eq!(groups[2].person, Some((Surface::Visual, "ana-v".to_owned())), "named by the latest");
        assert_eq!(groups[0].person, None, "a group chat stands alone");

        let apart = group_conversations(&conversations, &pairs, false);
        assert_eq!(apart.len(), 4, "seen apart, every conversation is its own row");
        assert!(group_conversations(&conversations, &[], true).iter().all(|g| g.members.len() == 1));
    }

    #[test]
    fn a_notification_names_the_sender_and_surface_and_keeps_long_text_short() {
        let message = IncomingMessage {
            conversation_key: "visual:1".into(),
            surface: Surface::Visual,
            author_name: "Ana".into(),
            text: "word ".repeat(100),
        };
        let shown = DesktopNotification::of(&message);
        assert_eq!(shown.title, "Ana on Visual");
        assert!(shown.body.ends_with("word…"), "{}", shown.body);
        assert!(shown.body.chars().count() <= NOTIFICATION_BODY_CHARS + 1);
        let short = IncomingMessage { text: "  See you  at six ".into(), ..message };
        assert_eq!(DesktopNotification::of(&short).body, "See you at six");
    }

    #[test]
    fn previews_skip_the_mentions_that_address_a_message() {
        assert_eq!(without_leading_mentions("@mara@facets.example @li see you at 5"), "see you at 5");
        assert_eq!(without_leading_mentions("@mara"), "@mara");
        assert_eq!(without_leading_mentions("hi @mara"), "hi @mara");
    }

    #[test]
    fn snippets_show_the_match_in_its_context() {
        let long = format!("{} the harbour at dawn {}", "word ".repeat(40), "tail ".repeat(40));
        let snip = snippet(&long, "HARBOUR");
        assert!(snip.contains("the harbour at dawn"), "{snip}");
        assert!(snip.starts_with('…') && snip.ends_with('…'));
        assert_eq!(snippet("short text", "text"), "short text");
        assert_eq!(snippet("naïve café", "café"), "naïve café", "multi-byte text is cut on characters");
    }

    fn arbitrary_inbox() -> impl Strategy<Value = (Vec<ConversationFacts>, Vec<(String, String)>)> {
        let person = 0..6u8;
        let conversation = (
            prop_oneof![Just(Surface::Feed), Just(Surface::Visual)],
            proptest::collection::vec(person.clone(), 1..3),
            any::<bool>(),
            0..50i64,
        );
        (proptest::collection::vec(conversation, 0..14), proptest::collection::vec((person.clone(), person), 0..5))
            .prop_map(|(conversations, pairs)| {
                let account = |surface: Surface, p: u8| format!("{}-{p}", surface.as_str());
                (
                    conversations
                        .into_iter()
                        .map(|(surface, people, unread, at)| ConversationFacts {
                            surface,
                            participants: people.into_iter().map(|p| account(surface, p)).collect(),
                            unread,
                            updated_at: at,
                        })
                        .collect(),
                    pairs.into_iter().map(|(f, v)| (account(Surface::Feed, f), account(Surface::Visual, v))).collect(),
                )
            })
    }

    /// Whether two accounts are one person by the pairs, found the slow, obvious way.
    fn connected(a: &(Surface, String), b: &(Surface, String), pairs: &[(String, String)]) -> bool {
        let mut reached = vec![a.clone()];
        let mut changed = true;
        while changed {
            changed = false;
            for (feed, visual) in pairs {
                let (f, v) = ((Surface::Feed, feed.clone()), (Surface::Visual, visual.clone()));
                if reached.contains(&f) != reached.contains(&v) {
                    reached.push(if reached.contains(&f) { v } else { f });
                    changed = true;
                }
            }
        }
        reached.contains(b)
    }

    proptest! {
        #[test]
        fn grouping_keeps_every_conversation_once_in_order_with_true_counts(
            (conversations, pairs) in arbitrary_inbox(),
            merged in any::<bool>(),
        ) {
            let groups = group_conversations(&conversations, &pairs, merged);
            let mut seen: Vec<usize> = groups.iter().flat_map(|g| g.members.clone()).collect();
            seen.sort();
            prop_assert_eq!(seen, (0..conversations.len()).collect::<Vec<_>>(), "each conversation exactly once");
            for pair in groups.windows(2) {
                prop_assert!(pair[0].updated_at >= pair[1].updated_at, "groups latest first");
            }
            for group in &groups {
                let times: Vec<i64> = group.members.iter().map(|&i| conversations[i].updated_at).collect();
                prop_assert!(times.windows(2).all(|w| w[0] >= w[1]), "members latest first");
                prop_assert_eq!(group.updated_at, times[0]);
                let unread = group.members.iter().filter(|&&i| conversations[i].unread).count();
                prop_assert_eq!(group.unread, unread);
            }
            let identities: HashSet<_> = groups.iter().filter_map(|g| g.identity.clone()).collect();
            prop_assert_eq!(identities.len(), groups.iter().filter(|g| g.identity.is_some()).count(), "one group a person");
            let total: usize = groups.iter().map(|g| g.unread).sum();
            prop_assert_eq!(total, conversations.iter().filter(|c| c.unread).count());

            // Two conversations share a group exactly when both are 1:1 and their people are one.
            let group_of: HashMap<usize, usize> =
                groups.iter().enumerate().flat_map(|(g, group)| group.members.iter().map(move |&m| (m, g))).collect();
            for a in 0..conversations.len() {
                for b in a + 1..conversations.len() {
                    let (ca, cb) = (&conversations[a], &conversations[b]);
                    let together = merged
                        && ca.participants.len() == 1
                        && cb.participants.len() == 1
                        && connected(
                            &(ca.surface, ca.participants[0].clone()),
                            &(cb.surface, cb.participants[0].clone()),
                            &pairs,
                        );
                    prop_assert_eq!(group_of[&a] == group_of[&b], together, "conversations {} and {}", a, b);
                }
            }
        }
    }
}
