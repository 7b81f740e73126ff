//! The demo's people write to the user now and then, so the inbox is alive: one of them answers
//! in a conversation they already have with the user, as a direct message that mentions the user
//! and replies to the conversation's latest message.

use facets_model::Surface;

use crate::ids::Id;
use crate::model::{StatusRecord, Visibility};
use crate::state::Data;

const LINES: &[&str] = &[
    "Are you around this weekend? The light is supposed to be perfect.",
    "Just saw your last post. Where was that?",
    "Still up for coffee on Thursday?",
    "I found the book you mentioned, starting it tonight.",
    "Sending you the address in a bit.",
    "That sunset last night, did you see it?",
];

/// One person writes in one of the user's one-to-one conversations on `surface`; `turn` picks
/// who and what, so successive turns go round. Returns the new message's id, or `None` when
/// the user has no one-to-one conversation there.
pub(crate) fn write_to_user(data: &mut Data, surface: Surface, turn: u64, now_ms: i64) -> Option<Id> {
    let state = data.surface(surface);
    let pairs: Vec<usize> =
        (0..state.conversations.len()).filter(|&i| state.conversations[i].participants.len() == 1).collect();
    let index = *pairs.get(turn as usize % pairs.len().max(1))?;
    let conversation = &state.conversations[index];
    let author = conversation.participants[0];
    let answered = state.status(conversation.last_status())?;
    let (answered_id, answered_author) = (answered.id, answered.author);
    let user = state.user_account();
    let user_id = user.id;
    let line = LINES[turn as usize % LINES.len()];
    // Pixelfed's messages are words alone, outside any thread of replies.
    let (text, in_reply_to) = match surface {
        Surface::Feed => {
            (format!("@{} {line}", data.people[user.person].username), Some((answered_id, answered_author)))
        }
        Surface::Visual => (line.to_owned(), None),
    };
    let record = StatusRecord {
        id: data.ids.issue(now_ms),
        author,
        text,
        mentions: vec![user_id],
        tags: Vec::new(),
        spoiler_text: String::new(),
        sensitive: false,
        visibility: Visibility::Direct,
        in_reply_to: in_reply_to.map(|(id, _)| id),
        in_reply_to_account: in_reply_to.map(|(_, author)| author),
        media: Vec::new(),
        language: Some("en".to_owned()),
        others_favourites: 0,
        reblogs: 0,
        edited_at: None,
    };
    let id = record.id;
    let state = data.surface_mut(surface);
    state.insert_status(record);
    let conversation = &mut state.conversations[index];
    conversation.statuses.push(id);
    conversation.unread = true;
    Some(id)
}
