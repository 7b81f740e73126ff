//! Public replies: answering a post in its thread. A reply is a post like any other, so it goes
//! through the outbox with its own idempotency key.

use facets_model::{PostKey, Visibility};
use facets_store::SignalKind;

use crate::compose::OutboxEntry;
use crate::inbox::addressed;
use crate::outbox::OutgoingPost;
use crate::{AppError, Core};

/// The narrower of two audiences: a reply never reaches further than what it answers.
fn narrower(a: Visibility, b: Visibility) -> Visibility {
    let reach = |v: Visibility| match v {
        Visibility::Public => 3,
        Visibility::Unlisted => 2,
        Visibility::Private => 1,
        Visibility::Direct => 0,
    };
    if reach(a) <= reach(b) {
        a
    } else {
        b
    }
}

impl Core {
    /// Queues a reply to a cached post, on the post's surface, addressed to its author. Its
    /// audience is the post's, or the user's default audience there if that is narrower.
    pub fn reply_to_post(&self, key: &str, text: &str) -> Result<OutboxEntry, AppError> {
        let key: PostKey = key.parse()?;
        if text.trim().is_empty() {
            return Err(AppError::Invalid("Write something to reply.".into()));
        }
        let (post, links) = {
            let store = self.store();
            (store.post(&key)?.ok_or(AppError::NotFound)?, store.links()?)
        };
        let own = links.iter().any(|l| l.surface == key.surface && l.remote_account_id == post.author.remote_id);
        let mentions = if own { Vec::new() } else { vec![format!("@{}", post.author.handle)] };
        let default = self.default_audience(key.surface).unwrap_or(Visibility::Public);
        let reply = OutgoingPost {
            text: addressed(&mentions, text),
            visibility: narrower(post.visibility, default).as_str().to_owned(),
            in_reply_to_id: Some(post.remote_id.clone()),
            ..OutgoingPost::default()
        };
        let document = serde_json::json!({ "kind": "publicReply", "post": key.to_string(), "text": text });
        let queued = self.send_message(key.surface, reply, document)?;
        if !own {
            self.record_activity(key.surface, SignalKind::Reply, &post.author.remote_id, Some(&post.remote_id));
        }
        Ok(queued)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_is_no_wider_than_either_audience() {
        use Visibility::*;
        assert_eq!(narrower(Public, Unlisted), Unlisted);
        assert_eq!(narrower(Private, Public), Private);
        assert_eq!(narrower(Direct, Public), Direct);
        assert_eq!(narrower(Public, Public), Public);
    }
}
