//! `GET /api/v1/streaming/direct` and `/health`: Mastodon's streaming API as server-sent events.
//! Only the Feed server has it; Pixelfed has no streaming API, so Visual answers 404 and its
//! clients poll.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use tokio::sync::broadcast::error::RecvError;

use super::extract::UserSession;
use super::Ctx;
use crate::ids::Id;
use crate::render::Renderer;

/// Mastodon's streaming server writes a comment this often, so idle connections stay open.
const HEARTBEAT: Duration = Duration::from_secs(15);

pub(crate) async fn health() -> &'static str {
    "OK"
}

/// A `conversation` event, with the conversation as the user sees it, each time a direct message
/// is posted in it (by the user or to them).
pub(crate) async fn direct(
    State(ctx): State<Ctx>,
    _: UserSession,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let posted = ctx.shared.direct_messages.subscribe();
    let closing = ctx.shared.closing.subscribe();
    let events = futures_util::stream::unfold((ctx, posted, closing), |(ctx, mut posted, mut closing)| async move {
        loop {
            let message = tokio::select! {
                message = posted.recv() => message,
                // The server is stopping: end the response so the shutdown need not wait for it.
                _ = closing.wait_for(|closing| *closing) => return None,
            };
            match message {
                Ok((surface, status)) if surface == ctx.surface => {
                    if let Some(event) = conversation_event(&ctx, status) {
                        return Some((Ok(event), (ctx, posted, closing)));
                    }
                }
                // A listener too slow for the messages misses some, as with Mastodon; the
                // client catches up when it next reads the conversations.
                Ok(_) | Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(HEARTBEAT).text("thump"))
}

fn conversation_event(ctx: &Ctx, status: Id) -> Option<Event> {
    let data = ctx.shared.lock();
    let state = data.surface(ctx.surface);
    let conversation = &state.conversations[state.conversation_of(status)?];
    let rendered = Renderer::new(&ctx.shared.origin, ctx.surface, &data).conversation(conversation);
    let json = serde_json::to_string(&rendered).ok()?;
    Some(Event::default().event("conversation").data(json))
}
