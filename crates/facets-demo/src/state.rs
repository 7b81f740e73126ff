//! Everything the two servers know while running: the world, what the user added to it, and
//! the OAuth registrations. One lock guards it all; handlers hold it briefly and never across
//! an `.await`.

use std::collections::{BTreeMap, HashMap, HashSet};

use facets_model::Surface;

use crate::ids::{Id, IdIssuer};
use crate::model::{AccountPrivacy, AccountRecord, ConversationRecord, MediaRecord, Person, StatusRecord, Visibility};
use crate::oauth::Registry;
use crate::world::{SurfaceWorld, World, USER_PERSON};

/// Feed accounts the user is said to have blocked and muted before the demo began (people they
/// do not follow, so nothing they would miss).
const SEEDED_BLOCK: &str = "marta";
const SEEDED_MUTE: &str = "jonah";

pub(crate) struct Data {
    /// When the world was generated; every world id is older, every runtime id newer.
    pub anchor_ms: i64,
    pub people: Vec<Person>,
    pub feed: SurfaceState,
    pub visual: SurfaceState,
    pub oauth: Registry,
    pub ids: IdIssuer,
}

impl Data {
    pub(crate) fn new(seed: u64, anchor_ms: i64) -> Data {
        let (people, feed, visual) = World::generate(seed, anchor_ms).into_surfaces();
        Data {
            anchor_ms,
            feed: SurfaceState::new(Surface::Feed, feed, &people),
            visual: SurfaceState::new(Surface::Visual, visual, &people),
            people,
            oauth: Registry::default(),
            ids: IdIssuer::new(Id::at(anchor_ms, 0)),
        }
    }

    pub(crate) fn surface(&self, surface: Surface) -> &SurfaceState {
        match surface {
            Surface::Feed => &self.feed,
            Surface::Visual => &self.visual,
        }
    }

    pub(crate) fn surface_mut(&mut self, surface: Surface) -> &mut SurfaceState {
        match surface {
            Surface::Feed => &mut self.feed,
            Surface::Visual => &mut self.visual,
        }
    }

    /// Whether an id was made while a server ran (rather than by the world generator).
    pub(crate) fn made_at_runtime(&self, id: Id) -> bool {
        id.unix_ms() >= self.anchor_ms
    }
}

/// One server's content.
pub(crate) struct SurfaceState {
    surface: Surface,
    accounts: Vec<AccountRecord>,
    account_positions: HashMap<Id, usize>,
    usernames: HashMap<String, usize>,
    statuses: BTreeMap<Id, StatusRecord>,
    /// Direct replies of each status, oldest first.
    replies: HashMap<Id, Vec<Id>>,
    pub media: HashMap<Id, MediaRecord>,
    /// The bytes of uploaded files: the original and a JPEG preview.
    pub uploads: HashMap<Id, (Vec<u8>, Vec<u8>)>,
    pub conversations: Vec<ConversationRecord>,
    pub favourites: HashSet<Id>,
    /// `(token, Idempotency-Key)` → the status that request created.
    pub idempotency: HashMap<(String, String), Id>,
    /// Statuses of the generated world the user deleted; kept so a restart does not revive them.
    pub deleted: HashSet<Id>,
    pub privacy: AccountPrivacy,
}

impl SurfaceState {
    fn new(surface: Surface, world: SurfaceWorld, people: &[Person]) -> SurfaceState {
        let mut state = SurfaceState {
            surface,
            account_positions: world.accounts.iter().enumerate().map(|(i, a)| (a.id, i)).collect(),
            usernames: world
                .accounts
                .iter()
                .enumerate()
                .map(|(i, a)| (people[a.person].username.to_lowercase(), i))
                .collect(),
            accounts: world.accounts,
            statuses: BTreeMap::new(),
            replies: HashMap::new(),
            media: world.media.into_iter().map(|m| (m.id, m)).collect(),
            uploads: HashMap::new(),
            conversations: world.conversations,
            favourites: world.favourites.into_iter().collect(),
            idempotency: HashMap::new(),
            deleted: HashSet::new(),
            privacy: AccountPrivacy::default(),
        };
        // Someone the user blocked and someone they muted before the demo began, so the lists
        // in Privacy have something to undo.
        let of = |username: &str| state.account_by_username(username).map(|a| a.id).into_iter().collect();
        let (blocked, muted) = (of(SEEDED_BLOCK), of(SEEDED_MUTE));
        state.privacy.blocked = blocked;
        state.privacy.muted = muted;
        for status in world.statuses {
            state.insert_status(status);
        }
        state
    }

    pub(crate) fn user_account(&self) -> &AccountRecord {
        &self.accounts[USER_PERSON]
    }

    pub(crate) fn followed_count(&self) -> i64 {
        self.accounts.iter().filter(|a| a.followed).count() as i64
    }

    pub(crate) fn accounts(&self) -> &[AccountRecord] {
        &self.accounts
    }

    pub(crate) fn account(&self, id: Id) -> Option<&AccountRecord> {
        self.account_positions.get(&id).map(|&i| &self.accounts[i])
    }

    pub(crate) fn account_by_username(&self, username: &str) -> Option<&AccountRecord> {
        self.usernames.get(&username.to_lowercase()).map(|&i| &self.accounts[i])
    }

    pub(crate) fn status(&self, id: Id) -> Option<&StatusRecord> {
        self.statuses.get(&id)
    }

    pub(crate) fn status_mut(&mut self, id: Id) -> Option<&mut StatusRecord> {
        self.statuses.get_mut(&id)
    }

    pub(crate) fn statuses_newest_first(&self) -> impl Iterator<Item = &StatusRecord> {
        self.statuses.values().rev()
    }

    pub(crate) fn replies_to(&self, id: Id) -> &[Id] {
        self.replies.get(&id).map_or(&[], Vec::as_slice)
    }

    pub(crate) fn insert_status(&mut self, status: StatusRecord) {
        if let Some(parent) = status.in_reply_to {
            let siblings = self.replies.entry(parent).or_default();
            siblings.push(status.id);
            siblings.sort();
        }
        self.statuses.insert(status.id, status);
    }

    /// Removes a status with its place among replies, its favourite and its attachments.
    pub(crate) fn remove_status(&mut self, id: Id) -> Option<StatusRecord> {
        let status = self.statuses.remove(&id)?;
        if let Some(parent) = status.in_reply_to {
            if let Some(siblings) = self.replies.get_mut(&parent) {
                siblings.retain(|s| *s != id);
            }
        }
        self.favourites.remove(&id);
        for conversation in &mut self.conversations {
            conversation.statuses.retain(|s| *s != id);
        }
        self.idempotency.retain(|_, created| *created != id);
        for media in &status.media {
            self.media.remove(media);
            self.uploads.remove(media);
        }
        self.deleted.insert(id);
        Some(status)
    }

    /// Forgets the user's uploads that no post uses, as Mastodon does after a day; answers how
    /// many went.
    pub(crate) fn purge_unattached_media(&mut self) -> usize {
        let user = self.user_account().id;
        let unattached: Vec<Id> =
            self.media.values().filter(|m| m.owner == user && m.status.is_none()).map(|m| m.id).collect();
        for id in &unattached {
            self.media.remove(id);
            self.uploads.remove(id);
        }
        unattached.len()
    }

    /// Statuses an account has posted publicly or to followers: what its profile counts.
    pub(crate) fn statuses_count(&self, account: Id) -> i64 {
        self.statuses.values().filter(|s| s.author == account && s.visibility != Visibility::Direct).count() as i64
    }

    /// The home feed: the user's and followed accounts' posts. Mastodon adds replies among
    /// them; Pixelfed shows photo posts only, never comments.
    /// Whether the user keeps this account away (blocked or muted): its posts leave their feeds.
    pub(crate) fn kept_away(&self, account: Id) -> bool {
        self.privacy.blocked.contains(&account) || self.privacy.muted.contains(&account)
    }

    pub(crate) fn in_home(&self, status: &StatusRecord) -> bool {
        if self.kept_away(status.author) {
            return false;
        }
        let followed_or_self = |id: Id| self.account(id).is_some_and(|a| a.followed || a.id == self.user_account().id);
        let replies_allowed = self.surface == Surface::Feed;
        status.visibility != Visibility::Direct
            && followed_or_self(status.author)
            && match status.in_reply_to_account {
                None => true,
                Some(to) => replies_allowed && followed_or_self(to),
            }
    }

    pub(crate) fn conversation_of(&self, status: Id) -> Option<usize> {
        self.conversations.iter().position(|c| c.statuses.contains(&status))
    }

    /// The statuses the user created while a server ran, oldest first.
    pub(crate) fn runtime_statuses(&self, made_at_runtime: impl Fn(Id) -> bool) -> Vec<StatusRecord> {
        self.statuses.values().filter(|s| made_at_runtime(s.id)).cloned().collect()
    }
}
