//! Direct messages on Pixelfed, which keeps them apart from statuses: a thread is addressed by
//! the other person's account (`/api/v1.1/direct/thread?pid=`), read a few messages at a time;
//! a message is sent through `thread/send`, which takes no idempotency key; the conversations
//! list is paged by number and never says unread, and its ids are not stable. So on a Pixelfed
//! surface the cache keys a conversation by the other person's account id, learns unread from
//! the messages themselves, and the outbox looks in the thread before sending anything again.

use facets_client::MastodonClient;
use facets_model::Surface;
use facets_store::IngestReport;
use facets_wire::{Account, Conversation, DirectMessage, MediaAttachment, Status};

use crate::outbox::normalise;
use crate::sync::{announce_news, Absorbed};
use crate::{now, AppError, Core};

/// Conversations per page of Pixelfed's list.
const CONVERSATIONS_PAGE: u32 = 20;
/// Pages of the list one refresh reads at most.
const CONVERSATION_PAGES: u32 = 3;
/// Pages of one thread a refresh reads at most (Pixelfed sends 8 messages a page).
const THREAD_PAGES: usize = 4;
/// Pages of a thread looked through for a message sent before (a busy thread moves on).
const FIND_SENT_PAGES: usize = 10;

/// A Pixelfed message as the status the cache keeps: its status id, the words as typed shown
/// as text (never read as HTML), its pictures, from `me` or `them`.
pub(crate) fn message_status(message: &DirectMessage, me: &Account, them: &Account, sent_at: i64) -> Status {
    Status {
        id: message.report_id.clone(),
        created_at: message.created_at.clone().unwrap_or_else(|| crate::views::iso(sent_at)),
        account: if message.is_author { me.clone() } else { them.clone() },
        content: text_as_html(message.text.as_deref().unwrap_or_default()),
        visibility: "direct".into(),
        media_attachments: message_pictures(message),
        ..Status::default()
    }
}

/// A message's pictures as a status's: the carousel describes each (size, description,
/// blurhash); a message that names only its first picture's address gets that one.
fn message_pictures(message: &DirectMessage) -> Vec<MediaAttachment> {
    if !message.carousel.is_empty() {
        return message.carousel.clone();
    }
    let Some(url) = message.media.clone() else { return Vec::new() };
    let kind = if message.kind == "video" { "video" } else { "image" };
    // The status's own id, kept apart from any id Pixelfed gives its media.
    vec![MediaAttachment {
        id: format!("message-{}", message.report_id),
        kind: kind.into(),
        url: Some(url),
        ..MediaAttachment::default()
    }]
}

fn text_as_html(text: &str) -> String {
    let escaped = text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    format!("<p>{}</p>", escaped.replace('\n', "<br>"))
}

/// Caches a Pixelfed surface's conversations, newest first, with the messages of each one
/// whose latest message is new. Stops at a short page or a page with nothing new.
pub(crate) async fn sync_conversations(
    core: &Core,
    client: &MastodonClient,
    surface: Surface,
) -> Result<IngestReport, AppError> {
    let mut report = IngestReport::default();
    let mut news = false;
    for page in 1..=CONVERSATION_PAGES {
        let listed = client.conversations_numbered(page, CONVERSATIONS_PAGE).await?;
        let last_page = (listed.len() as u32) < CONVERSATIONS_PAGE;
        let absorbed = absorb(core, client, surface, listed).await?;
        news |= absorbed.news;
        report.add(absorbed.report);
        if last_page || !absorbed.news {
            break;
        }
    }
    if news || report.changed() {
        core.inbox_changed();
    }
    Ok(report)
}

async fn absorb(
    core: &Core,
    client: &MastodonClient,
    surface: Surface,
    listed: Vec<Conversation>,
) -> Result<Absorbed, AppError> {
    // One person per conversation; the key is theirs.
    let mut conversations: Vec<Conversation> = listed
        .into_iter()
        .filter_map(|mut c| {
            let person = c.accounts.first()?.id.clone();
            c.accounts.truncate(1);
            c.id = person;
            Some(c)
        })
        .collect();
    // Only conversations with a latest message not cached before are news; the rest are as
    // they were (Pixelfed's list says nothing else: its `unread` is always false).
    let stale: Vec<Conversation> = {
        let store = core.store();
        conversations
            .drain(..)
            .filter(|c| {
                c.last_status.as_ref().is_some_and(|last| {
                    store.conversation_history_of(surface, &c.id).ok().flatten().as_deref() != Some(&last.id)
                })
            })
            .collect()
    };
    if stale.is_empty() {
        return Ok(Absorbed { report: IngestReport::default(), news: false });
    }
    let me = client.verify_credentials().await?;
    let mut read = Vec::new();
    for listed in stale {
        let Some(them) = listed.accounts.first().cloned() else { continue };
        let messages = read_thread(core, client, surface, &them.id).await?;
        let statuses: Vec<Status> = messages.iter().map(|m| message_status(m, &me, &them, now())).collect();
        let mut conversation = listed.clone();
        // Pixelfed keeps unread on each message.
        conversation.unread = messages.iter().any(|m| !m.is_author && !m.seen);
        // The thread's newest message, as Facets keeps it, stands for the list's rendering of
        // it, so one message never has two versions.
        if let Some(newest) = statuses.first() {
            conversation.last_status = Some(newest.clone());
        }
        let seen_last = listed.last_status.map(|s| s.id).unwrap_or_default();
        read.push((conversation, statuses, seen_last));
    }
    let listed: Vec<Conversation> = read.iter().map(|(c, _, _)| c.clone()).collect();
    let mut report = core.store().ingest_conversations(surface, &listed, None, now())?;
    let me_id = core.my_accounts()?.remove(&surface);
    for (conversation, statuses, seen_last) in &read {
        report.add(core.store().ingest_messages(surface, &conversation.id, statuses)?);
        core.store().set_conversation_history_of(surface, &conversation.id, seen_last)?;
        if conversation.unread {
            announce_news(core, surface, conversation, me_id.as_ref());
        }
    }
    Ok(Absorbed { report, news: true })
}

/// The newest messages of a thread, back to the first one already cached (or a few pages).
async fn read_thread(
    core: &Core,
    client: &MastodonClient,
    surface: Surface,
    person: &str,
) -> Result<Vec<DirectMessage>, AppError> {
    let mut messages: Vec<DirectMessage> = Vec::new();
    let mut max_id: Option<String> = None;
    for _ in 0..THREAD_PAGES {
        let thread = client.direct_thread(person, max_id.as_deref()).await?;
        let Some(oldest) = thread.messages.last() else { break };
        max_id = Some(oldest.id.clone());
        let reached_cache = {
            let store = core.store();
            thread.messages.iter().any(|m| {
                store.post(&facets_model::PostKey { surface, remote_id: m.report_id.clone() }).ok().flatten().is_some()
            })
        };
        messages.extend(thread.messages);
        if reached_cache {
            break;
        }
    }
    Ok(messages)
}

/// A message Pixelfed may already have from an earlier attempt whose answer was lost: the
/// user's own, in the thread's newest messages, with the same words, written since the first
/// attempt, and not already the sent copy of another queued message.
pub(crate) async fn find_sent(
    client: &MastodonClient,
    person: &str,
    text: &str,
    first_attempt_ms: i64,
    claimed_elsewhere: &(dyn Fn(&str) -> bool + Sync),
) -> Result<Option<DirectMessage>, facets_client::ClientError> {
    let since = (first_attempt_ms - crate::outbox::CLOCK_SKEW_MS) / 1000;
    let wanted = normalise(text);
    let written = |m: &DirectMessage| m.created_at.as_deref().map(crate::sync::unix_seconds).unwrap_or(0);
    // Back through the thread to the first attempt: others may have written since.
    let mut max_id: Option<String> = None;
    for _ in 0..FIND_SENT_PAGES {
        let thread = client.direct_thread(person, max_id.as_deref()).await?;
        let Some(oldest) = thread.messages.last() else { break };
        let reached_first_attempt = written(oldest) < since;
        max_id = Some(oldest.id.clone());
        let found = thread.messages.into_iter().find(|m| {
            m.is_author
                && written(m) >= since
                && normalise(m.text.as_deref().unwrap_or_default()) == wanted
                && !claimed_elsewhere(&m.report_id)
        });
        if found.is_some() || reached_first_attempt {
            return Ok(found);
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_kept_under_its_status_id_with_its_words_as_text() {
        let me = Account { id: "1".into(), username: "me".into(), ..Account::default() };
        let them = Account { id: "7".into(), username: "mira".into(), ..Account::default() };
        let message = DirectMessage {
            id: "412".into(),
            report_id: "950".into(),
            text: Some("<b>six</b> & \"then\"\nsee you".into()),
            created_at: Some("2026-11-20T18:02:11+00:00".into()),
            ..DirectMessage::default()
        };
        let status = message_status(&message, &me, &them, 0);
        assert_eq!(status.id, "950", "the status id, which conversations name as their last");
        assert_eq!(status.account.id, "7");
        assert_eq!(status.visibility, "direct");
        assert_eq!(status.content, "<p>&lt;b&gt;six&lt;/b&gt; &amp; &quot;then&quot;<br>see you</p>");
        let mine = DirectMessage { is_author: true, created_at: None, ..message };
        let status = message_status(&mine, &me, &them, 1_764_000_000);
        assert_eq!(status.account.id, "1");
        assert_eq!(status.created_at, crate::views::iso(1_764_000_000), "an answer to sending has no time");
    }

    #[test]
    fn a_picture_message_keeps_its_pictures_or_at_least_the_one_it_names() {
        let (me, them) = (Account { id: "1".into(), ..Account::default() }, Account::default());
        let named_only = DirectMessage {
            report_id: "901".into(),
            kind: "photo".into(),
            media: Some("https://px.example/storage/m/harbour.jpg".into()),
            ..DirectMessage::default()
        };
        let pictures = message_status(&named_only, &me, &them, 0).media_attachments;
        assert_eq!(pictures.len(), 1);
        assert_eq!(pictures[0].url.as_deref(), Some("https://px.example/storage/m/harbour.jpg"));
        assert_eq!(pictures[0].kind, "image");
        assert!(!pictures[0].id.is_empty());

        let carousel = vec![
            MediaAttachment {
                id: "31".into(),
                kind: "image".into(),
                description: Some("Dawn".into()),
                ..Default::default()
            },
            MediaAttachment { id: "32".into(), kind: "video".into(), ..Default::default() },
        ];
        let described = DirectMessage { carousel: carousel.clone(), ..named_only };
        assert_eq!(message_status(&described, &me, &them, 0).media_attachments, carousel, "the carousel, whole");

        let words = DirectMessage { report_id: "902".into(), text: Some("hi".into()), ..DirectMessage::default() };
        assert!(message_status(&words, &me, &them, 0).media_attachments.is_empty());
    }
}
