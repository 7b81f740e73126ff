//! New messages while the app runs: each server's stream where it offers one (Mastodon's
//! `/api/v1/streaming/direct`), polling for the others, and neither hammering a server that
//! cannot be reached.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use facets_client::{ClientError, StatusCode, StreamEvent};
use facets_model::Surface;
use serde::Serialize;

use crate::{AppError, Core};

/// How often surfaces without a stream are polled, and how far that stretches while offline.
const INBOX_POLL: Duration = Duration::from_secs(30);
const INBOX_POLL_CAP: Duration = Duration::from_secs(300);
/// First wait before opening a stream again; it doubles with each failure up to the cap.
const STREAM_RETRY: Duration = Duration::from_secs(1);

/// A stream that ends sooner than this after opening counts as a failure, so a server that
/// accepts and drops streams at once is not reconnected to in a tight loop.
const STREAM_SETTLED: Duration = Duration::from_secs(30);

/// How a surface's new messages reach Facets (not known yet before its first attempt).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Delivery {
    /// The server pushes new messages as they are written.
    Streaming,
    /// The server has no stream, or it is down for now: Facets asks every so often.
    Polling,
}

impl Core {
    /// Starts looking for new messages on every linked surface.
    pub fn watch_inbox(self: &Arc<Self>) {
        self.watch_inbox_polling_every(INBOX_POLL);
    }

    /// [`Core::watch_inbox`], polling surfaces without a stream every `every`.
    pub fn watch_inbox_polling_every(self: &Arc<Self>, every: Duration) {
        for surface in Surface::ALL {
            let core = self.clone();
            self.spawn_until_closed(async move { core.stream_surface(surface).await });
        }
        let core = self.clone();
        self.spawn_until_closed(async move { core.poll_surfaces(every).await });
    }

    /// How each surface's new messages arrive, as far as Facets knows yet.
    pub fn delivery(&self) -> BTreeMap<Surface, Delivery> {
        self.delivery.borrow().clone()
    }

    pub fn subscribe_delivery(&self) -> tokio::sync::watch::Receiver<BTreeMap<Surface, Delivery>> {
        self.delivery.subscribe()
    }

    fn set_delivery(&self, surface: Surface, delivery: Delivery) {
        let changed = self.delivery.send_if_modified(|all| all.insert(surface, delivery) != Some(delivery));
        if changed {
            self.inbox_changed();
        }
    }

    /// Polls, every `every` and at once when poked, the surfaces that do not stream; less often
    /// while the servers cannot be reached, so an offline machine is not polled into a storm.
    async fn poll_surfaces(self: Arc<Self>, every: Duration) {
        let mut wait = every;
        loop {
            let _ = tokio::time::timeout(wait, self.inbox_poke.notified()).await;
            wait = match crate::sync::poll_inbox(&self).await {
                Ok(_) => every,
                Err(error) => {
                    tracing::info!(%error, "could not look for new messages");
                    (wait * 2).min(INBOX_POLL_CAP.max(every))
                }
            };
        }
    }

    /// Keeps a surface's stream open while the app runs, catching up on every (re)connection,
    /// and leaves the surface to polling when its server has no stream.
    async fn stream_surface(self: Arc<Self>, surface: Surface) {
        let mut failures = 0u32;
        loop {
            // Subscribed before asking, so a sign-in renewed in between is not missed.
            let mut sign_in_news = self.subscribe_sign_ins();
            let session = match self.session(surface).await {
                Ok(session) => session,
                Err(AppError::NotLinked(_)) => return,
                Err(AppError::SignedOut(_) | AppError::SignInRefused(_)) => {
                    // Nothing to stream with until the user signs in again.
                    self.set_delivery(surface, Delivery::Polling);
                    let _ = tokio::time::timeout(INBOX_POLL_CAP, sign_in_news.recv()).await;
                    failures = 0;
                    continue;
                }
                Err(error) => {
                    tracing::info!(%surface, %error, "no session to stream messages with yet");
                    failures += 1;
                    tokio::time::sleep(retry_after(failures)).await;
                    continue;
                }
            };
            let streaming_url = self.instance_configuration(surface).and_then(|config| config.urls.streaming);
            match session.client.stream_direct(streaming_url.as_deref()).await {
                Ok(mut stream) => {
                    let opened = std::time::Instant::now();
                    // What arrived while no stream was open.
                    if let Err(error) = crate::sync::sync_conversations(&self, &session).await {
                        tracing::info!(%surface, %error, "could not catch up with the conversations");
                    }
                    self.set_delivery(surface, Delivery::Streaming);
                    loop {
                        match stream.next_event().await {
                            Ok(Some(StreamEvent::Conversation(conversation))) => {
                                let absorbed =
                                    crate::sync::streamed_conversation(&self, &session.client, surface, *conversation);
                                if let Err(error) = absorbed.await {
                                    tracing::info!(%surface, %error, "could not cache a streamed message");
                                }
                            }
                            Ok(Some(StreamEvent::Other(_))) => {}
                            Ok(None) => break,
                            Err(error) => {
                                tracing::info!(%surface, %error, "the message stream broke");
                                break;
                            }
                        }
                    }
                    // Polling covers the gap until the stream is back.
                    self.set_delivery(surface, Delivery::Polling);
                    failures = if opened.elapsed() >= STREAM_SETTLED { 0 } else { failures + 1 };
                }
                Err(error) if has_no_stream(&error) => {
                    tracing::info!(%surface, %error, "the server has no message stream; polling it");
                    self.set_delivery(surface, Delivery::Polling);
                    self.inbox_poke.notify_one();
                    return;
                }
                Err(error) => {
                    tracing::info!(%surface, %error, "could not open the message stream");
                    self.set_delivery(surface, Delivery::Polling);
                    failures += 1;
                }
            }
            tokio::time::sleep(retry_after(failures)).await;
        }
    }
}

/// The answer of a server without a streaming API (or with it turned off).
fn has_no_stream(error: &ClientError) -> bool {
    matches!(
        error.status(),
        Some(StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED | StatusCode::NOT_IMPLEMENTED | StatusCode::GONE)
    )
}

/// A dropped stream is opened again at once the first time, then ever more slowly.
fn retry_after(failures: u32) -> Duration {
    if failures == 0 {
        return Duration::ZERO;
    }
    STREAM_RETRY.saturating_mul(1 << (failures - 1).min(16)).min(INBOX_POLL_CAP)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_retries_slow_down_to_the_cap() {
        let waits: Vec<Duration> = (0..12).map(retry_after).collect();
        assert_eq!(waits[0], Duration::ZERO);
        assert_eq!(waits[1], STREAM_RETRY);
        assert!(waits.windows(2).all(|w| w[0] <= w[1]), "{waits:?}");
        assert_eq!(*waits.last().unwrap(), INBOX_POLL_CAP);
        assert_eq!(retry_after(u32::MAX), INBOX_POLL_CAP);
    }
}
