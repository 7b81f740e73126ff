//! Pulling from servers into the cache. Each page is written in one transaction together with
//! the sync stream's new position, so a crash never leaves the cursor ahead of the data.

use facets_client::{AccountStatusesFilter, MastodonClient, Page, PageQuery};
use facets_model::{Dialect, PostKey, Surface, TimelineKind};
use facets_store::{CursorUpdate, IngestReport};
use facets_wire::Status;
use url::Url;

use crate::views::SyncReport;
use crate::{now, AppError, Core, Session};

/// Posts per request; Mastodon's maximum.
const PAGE_SIZE: u32 = 40;
/// How long to wait before asking again for a home feed the server is still building (it
/// answers 206 meanwhile; Mastodon takes seconds).
const HOME_REGENERATION_WAITS: [std::time::Duration; 3] =
    [std::time::Duration::from_secs(1), std::time::Duration::from_secs(2), std::time::Duration::from_secs(4)];
/// Pages fetched per refresh. The first sync fills the cache with this many; later refreshes
/// stop as soon as they reach what is cached.
const MAX_PAGES_PER_REFRESH: usize = 5;

fn stream(timeline: TimelineKind) -> &'static str {
    timeline.as_str()
}

async fn first_page(session: &Session, timeline: TimelineKind) -> Result<Page<Status>, AppError> {
    let query = PageQuery::limit(PAGE_SIZE);
    Ok(match timeline {
        TimelineKind::Home => session.client.home_timeline(&query).await?,
        TimelineKind::Explore => {
            session.client.public_timeline(&query, session.link.surface == Surface::Visual).await?
        }
        TimelineKind::Profile => {
            // The Visual grid shows the identity's media posts; Feed shows all its posts.
            let filter = AccountStatusesFilter {
                only_media: session.link.surface == Surface::Visual,
                exclude_reblogs: true,
                exclude_replies: false,
            };
            session.client.account_statuses(&session.link.remote_account_id, filter, &query).await?
        }
    })
}

/// Brings a timeline up to date: newest pages first, until the cached part is reached.
pub(crate) async fn sync_timeline(
    core: &Core,
    session: &Session,
    timeline: TimelineKind,
) -> Result<SyncReport, AppError> {
    let surface = session.link.surface;
    let known_newest = core.store().newest_synced_id(surface, stream(timeline))?;
    let first_sync = known_newest.is_none();
    let mut total = IngestReport::default();
    let mut page = first_page(session, timeline).await?;
    let mut waits = HOME_REGENERATION_WAITS.iter();
    while page.partial {
        let Some(wait) = waits.next() else {
            // Still being built: the posts that came are cached, not placed in the timeline, and
            // no cursor moves, so the next refresh reads the timeline whole, with no gap.
            tracing::info!(%surface, "the server is still building the home feed; refreshing later");
            let report = core.store().ingest_statuses(surface, None, &page.items, None, now())?;
            return Ok(SyncReport {
                surface,
                timeline,
                new_posts: report.new_posts,
                updated_posts: report.updated_posts,
            });
        };
        tokio::time::sleep(*wait).await;
        page = first_page(session, timeline).await?;
    }
    for index in 0..MAX_PAGES_PER_REFRESH {
        let reached_cache = known_newest.as_ref().is_some_and(|id| page.items.iter().any(|s| &s.id == id));
        let update = CursorUpdate {
            newest_id: if index == 0 { page.items.first().map(|s| s.id.clone()) } else { None },
            // Only a first sync extends the bottom of the cache; a refresh fills from the top.
            older_link: first_sync.then(|| page.next.as_ref().map(Url::to_string)),
        };
        let report = core.store().ingest_statuses(
            surface,
            Some(timeline),
            &page.items,
            Some((stream(timeline), &update)),
            now(),
        )?;
        total.add(report);
        let done = page.items.is_empty() || reached_cache || report.new_posts == 0;
        let Some(next) = page.next.clone().filter(|_| !done) else {
            break;
        };
        if index + 1 == MAX_PAGES_PER_REFRESH {
            break;
        }
        page = session.client.follow(&next).await?;
    }
    Ok(SyncReport { surface, timeline, new_posts: total.new_posts, updated_posts: total.updated_posts })
}

/// Fetches the page older than the oldest cached one, if the server has more.
pub(crate) async fn fetch_older(
    core: &Core,
    surface: Surface,
    timeline: TimelineKind,
) -> Result<IngestReport, AppError> {
    let Some(link) = core.store().older_link(surface, stream(timeline))? else {
        return Ok(IngestReport::default());
    };
    let link = Url::parse(&link).map_err(|e| AppError::internal(format!("bad stored link: {e}")))?;
    let session = core.session(surface).await?;
    let page: Page<Status> = session.client.follow(&link).await?;
    let update = CursorUpdate { newest_id: None, older_link: Some(page.next.as_ref().map(Url::to_string)) };
    Ok(core.store().ingest_statuses(surface, Some(timeline), &page.items, Some((stream(timeline), &update)), now())?)
}

/// Refreshes a post and its comments into the cache.
pub(crate) async fn fetch_thread(core: &Core, key: &PostKey) -> Result<(), AppError> {
    let session = core.session(key.surface).await?;
    let (status, context) =
        tokio::try_join!(session.client.status(&key.remote_id), session.client.context(&key.remote_id))?;
    let mut statuses = context.ancestors;
    statuses.push(status);
    statuses.extend(context.descendants);
    core.store().ingest_statuses(key.surface, None, &statuses, None, now())?;
    Ok(())
}

/// Learns the domain the server names its own accounts with, which completes their handles.
pub(crate) async fn sync_instance(core: &Core, session: &Session) -> Result<(), AppError> {
    let instance = session.client.instance().await?;
    core.remember_limits(session.link.surface, &instance.configuration);
    if !instance.domain.trim().is_empty() {
        core.store().set_instance_domain(session.link.surface, instance.domain.trim())?;
    }
    Ok(())
}

/// Refreshes the identity's own account on a surface (profile header, counts).
pub(crate) async fn sync_profile(core: &Core, session: &Session) -> Result<(), AppError> {
    let account = session.client.verify_credentials().await?;
    core.remember_credentials(session.link.surface, &account)?;
    Ok(())
}

/// Pages of conversations one refresh reads at most.
const CONVERSATION_PAGES: usize = 3;

/// Caches the conversations of a surface, newest activity first, and the messages of each one
/// whose latest message is new (its thread, through the latest message's context). Stops
/// paging once a page holds nothing new.
pub(crate) async fn sync_conversations(core: &Core, session: &Session) -> Result<IngestReport, AppError> {
    let (client, surface) = (&session.client, session.link.surface);
    if session.link.dialect == Dialect::Pixelfed {
        return crate::pixelfed_messages::sync_conversations(core, client, surface).await;
    }
    let mut report = IngestReport::default();
    // A conversation with a new latest message is news even when its posts were cached already
    // (a message this app just sent).
    let mut news = false;
    let mut page = client.conversations(&PageQuery::limit(PAGE_SIZE)).await?;
    for pages in 1.. {
        let absorbed = absorb_conversations(core, client, surface, &page.items).await?;
        news |= absorbed.news;
        report.add(absorbed.report);
        let next = page.next.clone();
        match next {
            Some(link) if absorbed.news && pages < CONVERSATION_PAGES => page = client.follow(&link).await?,
            _ => break,
        }
    }
    if news || report.changed() {
        core.inbox_changed();
    }
    Ok(report)
}

/// A conversation the server's stream announced: cached with its new messages at once.
pub(crate) async fn streamed_conversation(
    core: &Core,
    client: &MastodonClient,
    surface: Surface,
    conversation: facets_wire::Conversation,
) -> Result<(), AppError> {
    let absorbed = absorb_conversations(core, client, surface, std::slice::from_ref(&conversation)).await?;
    if absorbed.news || absorbed.report.changed() {
        core.inbox_changed();
    }
    Ok(())
}

pub(crate) struct Absorbed {
    pub report: IngestReport,
    /// Some conversation has a latest message not cached before.
    pub news: bool,
}

/// Caches conversations as the server describes them, reads the thread of each whose latest
/// message is new, and announces messages from others written since this run began.
async fn absorb_conversations(
    core: &Core,
    client: &MastodonClient,
    surface: Surface,
    conversations: &[facets_wire::Conversation],
) -> Result<Absorbed, AppError> {
    let stale: Vec<(String, String)> = {
        let store = core.store();
        conversations
            .iter()
            .filter_map(|c| c.last_status.as_ref().map(|last| (c.id.clone(), last.id.clone())))
            .filter(|(id, last)| store.conversation_history_of(surface, id).ok().flatten().as_ref() != Some(last))
            .collect()
    };
    let mut report = core.store().ingest_conversations(surface, conversations, None, now())?;
    let me = core.my_accounts()?.remove(&surface);
    for conversation in conversations.iter().filter(|c| c.unread && stale.iter().any(|(id, _)| id == &c.id)) {
        announce_news(core, surface, conversation, me.as_ref());
    }
    for (conversation, last) in &stale {
        let context = client.context(last).await?;
        let mut thread = context.ancestors;
        thread.extend(conversations.iter().filter_map(|c| c.last_status.clone()).filter(|s| &s.id == last));
        thread.extend(context.descendants);
        thread.retain(|s| s.visibility == "direct");
        report.add(core.store().ingest_messages(surface, conversation, &thread)?);
        core.store().set_conversation_history_of(surface, conversation, last)?;
    }
    Ok(Absorbed { report, news: !stale.is_empty() })
}

/// Tells the app about an unread conversation's latest message when it is news: written by
/// someone else since this run began.
pub(crate) fn announce_news(
    core: &Core,
    surface: Surface,
    conversation: &facets_wire::Conversation,
    me: Option<&String>,
) {
    let Some(last) = &conversation.last_status else { return };
    if Some(&last.account.id) == me || unix_seconds(&last.created_at) < core.opened_at {
        return;
    }
    let _ = core.incoming.send(crate::inbox::IncomingMessage {
        conversation_key: format!("{surface}:{}", conversation.id),
        surface,
        author_name: if last.account.display_name.trim().is_empty() {
            last.account.username.clone()
        } else {
            facets_sanitize::plain_text(&last.account.display_name)
        },
        text: crate::inbox::without_leading_mentions(&facets_sanitize::html_to_text(&facets_sanitize::sanitize_html(
            &last.content,
        ))),
    });
}

/// Brings the inbox of every signed-in surface whose server does not stream it up to date.
pub(crate) async fn poll_inbox(core: &Core) -> Result<IngestReport, AppError> {
    let mut report = IngestReport::default();
    for surface in Surface::ALL {
        if core.delivery().get(&surface) == Some(&crate::inbox_watch::Delivery::Streaming) {
            continue;
        }
        let session = core.sessions.lock().expect("sessions lock poisoned").get(&surface).cloned();
        if let Some(session) = session {
            report.add(sync_conversations(core, &session).await?);
        }
    }
    Ok(report)
}

/// An RFC 3339 time as Unix seconds; 0 when it cannot be read.
pub(crate) fn unix_seconds(iso: &str) -> i64 {
    time::OffsetDateTime::parse(iso, &time::format_description::well_known::Rfc3339)
        .map(|t| t.unix_timestamp())
        .unwrap_or(0)
}
