//! The demo world: people, their accounts on the two servers, a month of posts, comment
//! threads, photo albums and direct messages, all generated from a seed.
//!
//! The world is a pure function of the seed and an *anchor* time (when the server started): the
//! same seed gives the same people, texts and pictures, and every post is placed at a fixed
//! distance before the anchor, so ids — which encode time — shift with the anchor but nothing
//! else does.

mod people;
mod writing;

use std::collections::HashMap;

use facets_model::Surface;

use crate::art::{ArtSpec, Aspect, Mood, Subject, MARBLE_PALETTES, STILL_LIFE_SETTINGS};
use crate::ids::Id;
use crate::model::{AccountRecord, ConversationRecord, MediaRecord, MediaSource, Person, StatusRecord, Visibility};
use crate::rng::Rng;
use crate::text;
use people::{Character, Presence, OTHERS, USER};
use writing::Topic;

const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 60 * MINUTE_MS;
const DAY_MS: i64 = 24 * HOUR_MS;
/// How far back the world's history reaches.
const HISTORY_MS: i64 = 28 * DAY_MS;
/// Nothing in the world is younger than this, so ids issued at runtime always sort after it.
pub(crate) const NEWEST_AGE_MS: i64 = MINUTE_MS;
/// 2017-01-01, before anyone in the world joined.
const EARLIEST_JOIN_MS: i64 = 1_483_228_800_000;

/// Index of the signed-in user in [`World::people`] and of their account in each surface's list.
pub(crate) const USER_PERSON: usize = 0;

pub(crate) struct World {
    pub people: Vec<Person>,
    pub feed: SurfaceWorld,
    pub visual: SurfaceWorld,
}

/// One server's share of the world.
pub(crate) struct SurfaceWorld {
    /// The signed-in user's account comes first.
    pub accounts: Vec<AccountRecord>,
    pub statuses: Vec<StatusRecord>,
    pub media: Vec<MediaRecord>,
    pub conversations: Vec<ConversationRecord>,
    /// Statuses the signed-in user has favourited.
    pub favourites: Vec<Id>,
}

impl World {
    pub(crate) fn generate(seed: u64, anchor_ms: i64) -> World {
        let characters: Vec<&Character> = std::iter::once(&USER).chain(OTHERS.iter()).collect();
        let people = make_people(seed, &characters);
        let feed = SurfaceBuilder::new(Surface::Feed, seed, anchor_ms, &characters, &people).build();
        let visual = SurfaceBuilder::new(Surface::Visual, seed, anchor_ms, &characters, &people).build();
        World { people, feed, visual }
    }

    pub(crate) fn into_surfaces(self) -> (Vec<Person>, SurfaceWorld, SurfaceWorld) {
        (self.people, self.feed, self.visual)
    }
}

fn make_people(seed: u64, characters: &[&Character]) -> Vec<Person> {
    let mut rng = Rng::derive(seed, "people");
    characters
        .iter()
        .map(|character| {
            let avatar_subject = match rng.below(10) {
                0..=4 => Subject::Portrait,
                5 | 6 => Subject::Orbs(rng.below(usize::from(MARBLE_PALETTES)) as u8),
                7 => Subject::Marbling(rng.below(usize::from(MARBLE_PALETTES)) as u8),
                _ => Subject::Landscape(*rng.pick(&Mood::LANDSCAPE)),
            };
            let header_subject = match rng.below(4) {
                0 => Subject::Orbs(rng.below(usize::from(MARBLE_PALETTES)) as u8),
                1 => Subject::City(*rng.pick(&Mood::CITY)),
                _ => Subject::Landscape(*rng.pick(&Mood::LANDSCAPE)),
            };
            Person {
                username: character.username.to_owned(),
                display_name: character.display_name.to_owned(),
                bio: character.bio.to_owned(),
                avatar: ArtSpec { subject: avatar_subject, aspect: Aspect::Square, seed: rng.next_u32() },
                header: ArtSpec { subject: header_subject, aspect: Aspect::Banner3x1, seed: rng.next_u32() },
                joined_ms: EARLIEST_JOIN_MS + rng.range(0, 2500) as i64 * DAY_MS,
                language: character.language,
            }
        })
        .collect()
}

struct SurfaceBuilder<'a> {
    surface: Surface,
    rng: Rng,
    anchor_ms: i64,
    characters: &'a [&'a Character],
    /// Index into `characters` of each account, parallel to `accounts`.
    account_people: Vec<usize>,
    accounts: Vec<AccountRecord>,
    account_by_username: HashMap<&'a str, usize>,
    statuses: Vec<StatusRecord>,
    media: Vec<MediaRecord>,
    conversations: Vec<ConversationRecord>,
    favourites: Vec<Id>,
    next_status_sequence: u16,
    next_media_sequence: u16,
}

/// A status about to be posted by someone in the world.
struct Draft {
    /// Index into the server's accounts.
    author: usize,
    at_ms: i64,
    text: String,
    warning: &'static str,
    language: &'static str,
    media: Vec<ArtSpec>,
    reply_to: Option<Posted>,
    visibility: Visibility,
}

impl Draft {
    /// A public post in English, without media, a content warning or a parent.
    fn new(author: usize, at_ms: i64, text: String) -> Draft {
        Draft {
            author,
            at_ms,
            text,
            warning: "",
            language: "en",
            media: Vec::new(),
            reply_to: None,
            visibility: Visibility::Public,
        }
    }
}

/// Who posted a status, for building threads.
#[derive(Clone, Copy)]
struct Posted {
    id: Id,
    author: usize,
}

impl<'a> SurfaceBuilder<'a> {
    fn new(
        surface: Surface,
        seed: u64,
        anchor_ms: i64,
        characters: &'a [&'a Character],
        people: &[Person],
    ) -> SurfaceBuilder<'a> {
        let mut rng = Rng::derive(seed, surface.as_str());
        let mut builder = SurfaceBuilder {
            surface,
            rng: Rng::derive(seed, &format!("{surface}-content")),
            anchor_ms,
            characters,
            account_people: Vec::new(),
            accounts: Vec::new(),
            account_by_username: HashMap::new(),
            statuses: Vec::new(),
            media: Vec::new(),
            conversations: Vec::new(),
            favourites: Vec::new(),
            next_status_sequence: 0,
            next_media_sequence: 0,
        };
        for (index, character) in characters.iter().enumerate() {
            if !character.presence.on(surface) {
                continue;
            }
            // People joined the photo server later than the microblog, as they tend to.
            let joined = people[index].joined_ms
                + if surface == Surface::Visual { rng.range(30, 400) as i64 * DAY_MS } else { 0 };
            let popular = rng.unit().powi(3);
            builder.account_by_username.insert(character.username, builder.accounts.len());
            builder.account_people.push(index);
            builder.accounts.push(AccountRecord {
                id: Id::at(joined, index as u16 * 2 + u16::from(surface == Surface::Visual)),
                person: index,
                followed: character.followed,
                followers_count: 40 + (popular * 4000.0) as i64 + rng.range(0, 200) as i64,
                following_count: rng.range(30, 600) as i64,
            });
        }
        builder
    }

    fn build(mut self) -> SurfaceWorld {
        match self.surface {
            Surface::Feed => self.write_feed(),
            Surface::Visual => self.write_visual(),
        }
        self.write_conversations();
        self.statuses.sort_by_key(|status| status.id);
        SurfaceWorld {
            accounts: self.accounts,
            statuses: self.statuses,
            media: self.media,
            conversations: self.conversations,
            favourites: self.favourites,
        }
    }

    fn character(&self, account: usize) -> &'a Character {
        self.characters[self.account_people[account]]
    }

    /// Posting activity differs: a few people post a lot, most a little.
    fn pick_poster(&mut self, followed: bool) -> usize {
        loop {
            let account = 1 + self.rng.below(self.accounts.len() - 1);
            if self.accounts[account].followed != followed {
                continue;
            }
            let activity = 0.25 + 0.75 * ((account * 7919) % 13) as f32 / 12.0;
            if self.rng.chance(activity) {
                return account;
            }
        }
    }

    fn some_time_ago(&mut self) -> i64 {
        // More recent posts are a little denser, as on any live timeline.
        let age = (self.rng.unit().powf(1.2) * (HISTORY_MS - 10 * MINUTE_MS) as f32) as i64 + 5 * MINUTE_MS;
        self.anchor_ms - age
    }

    fn fill_slots(&mut self, template: &str, author: usize) -> String {
        let mut text = template.to_owned();
        while let Some(start) = text.find('{') {
            let Some(length) = text[start..].find('}') else {
                break;
            };
            let slot = &text[start + 1..start + length];
            let value = match slot {
                "friend" => {
                    let friend = self.pick_friend(author);
                    format!("@{}", self.character(friend).username)
                }
                "place" => self.rng.pick(writing::PLACES).to_string(),
                "n" => self.rng.range(2, 40).to_string(),
                other => panic!("unknown slot {{{other}}} in a template"),
            };
            text.replace_range(start..=start + length, &value);
        }
        text
    }

    fn pick_friend(&mut self, not: usize) -> usize {
        loop {
            let account = 1 + self.rng.below(self.accounts.len() - 1);
            if account != not && self.accounts[account].followed {
                return account;
            }
        }
    }

    fn popularity(&mut self, scale: f32) -> i64 {
        (self.rng.unit().powi(3) * scale) as i64 + self.rng.range(0, 6) as i64
    }

    fn add_media(&mut self, owner: usize, at_ms: i64, specs: &[ArtSpec]) -> Vec<Id> {
        specs
            .iter()
            .map(|spec| {
                let id = Id::at(at_ms - 90_000, self.next_media_sequence);
                self.next_media_sequence += 1;
                // Most people write alt text; not everyone, not every time.
                let description = (owner == USER_PERSON || self.rng.chance(0.78)).then(|| spec.describe());
                self.media.push(MediaRecord {
                    id,
                    owner: self.accounts[owner].id,
                    description,
                    blurhash: Some(spec.blurhash()),
                    source: MediaSource::Art(*spec),
                    status: None,
                });
                id
            })
            .collect()
    }

    fn post(&mut self, draft: Draft) -> Posted {
        let Draft { author, at_ms, text, warning, language, media, reply_to, visibility } = draft;
        let id = Id::at(at_ms, self.next_status_sequence);
        self.next_status_sequence += 1;
        let media = self.add_media(author, at_ms, &media);
        for media_id in &media {
            if let Some(record) = self.media.iter_mut().rev().find(|m| m.id == *media_id) {
                record.status = Some(id);
            }
        }
        let mentions = text::mentioned_usernames(&text)
            .iter()
            .filter_map(|name| self.account_by_username.get(name.as_str()))
            .map(|&account| self.accounts[account].id)
            .collect();
        // Photos draw more favourites than words; comments far fewer than posts.
        let reach = match (self.surface, reply_to.is_some()) {
            (_, true) => 12.0,
            (Surface::Visual, false) => 260.0,
            (Surface::Feed, false) => 90.0,
        };
        let others_favourites = self.popularity(reach);
        self.statuses.push(StatusRecord {
            id,
            author: self.accounts[author].id,
            tags: text::hashtags(&text),
            text,
            mentions,
            spoiler_text: warning.to_owned(),
            sensitive: !warning.is_empty(),
            visibility,
            in_reply_to: reply_to.map(|parent| parent.id),
            in_reply_to_account: reply_to.map(|parent| self.accounts[parent.author].id),
            media,
            language: Some(language.to_owned()),
            others_favourites,
            reblogs: self.rng.range(0, 1 + others_favourites as u64 / 4) as i64,
            edited_at: None,
        });
        if author != USER_PERSON && reply_to.is_none() && visibility != Visibility::Direct && self.rng.chance(0.15) {
            self.favourites.push(id);
        }
        Posted { id, author }
    }

    fn pick_art(&mut self, topics: &[Topic], aspects: &[Aspect]) -> ArtSpec {
        let topic = *self.rng.pick(topics);
        let subject = match topic {
            Topic::Cities => Subject::City(*self.rng.pick(&Mood::CITY)),
            Topic::Art if self.rng.chance(0.5) => Subject::Marbling(self.rng.below(usize::from(MARBLE_PALETTES)) as u8),
            Topic::Art => Subject::Poster(self.rng.below(6) as u8),
            Topic::Food | Topic::Everyday => Subject::StillLife(self.rng.below(usize::from(STILL_LIFE_SETTINGS)) as u8),
            Topic::Science if self.rng.chance(0.5) => Subject::Landscape(Mood::Night),
            _ => Subject::Landscape(*self.rng.pick(&Mood::LANDSCAPE)),
        };
        ArtSpec { subject, aspect: *self.rng.pick(aspects), seed: self.rng.next_u32() }
    }

    fn album(&mut self, topics: &[Topic], aspects: &[Aspect]) -> Vec<ArtSpec> {
        let count = match self.rng.below(100) {
            0..=54 => 1,
            55..=74 => 2,
            75..=87 => 3,
            _ => 4,
        };
        let first = self.pick_art(topics, aspects);
        // An album is one outing: the same subject and light, different frames.
        (0..count).map(|i| if i == 0 { first } else { ArtSpec { seed: self.rng.next_u32(), ..first } }).collect()
    }

    fn write_feed(&mut self) {
        for _ in 0..330 {
            let author = self.pick_poster(true);
            self.write_feed_post(author);
        }
        for _ in 0..30 {
            let author = self.pick_poster(false);
            self.write_feed_post(author);
        }
        for template in writing::USER_POSTS {
            let at = self.some_time_ago();
            let media =
                if self.rng.chance(0.3) { self.album(USER.topics, &[Aspect::Landscape3x2]) } else { Vec::new() };
            let posted = self.post(Draft { media, ..Draft::new(USER_PERSON, at, template.to_string()) });
            self.write_thread(posted, at, writing::COMMENTS, writing::ANSWERS);
        }
    }

    fn write_feed_post(&mut self, author: usize) {
        let character = self.character(author);
        let at = self.some_time_ago();
        let (text, warning, language) = if character.language != "en" && self.rng.chance(0.35) {
            let own: Vec<&writing::Foreign> =
                writing::FOREIGN.iter().filter(|f| f.language == character.language).collect();
            match own.is_empty() {
                true => self.english_post(author),
                false => {
                    let foreign = own[self.rng.below(own.len())];
                    (foreign.text.to_owned(), "", foreign.language)
                }
            }
        } else {
            self.english_post(author)
        };
        let media = if self.rng.chance(0.2) {
            self.album(character.topics, &[Aspect::Landscape3x2, Aspect::Square])
        } else {
            Vec::new()
        };
        let posted = self.post(Draft { warning, language, media, ..Draft::new(author, at, text) });
        if self.rng.chance(0.3) {
            self.write_thread(posted, at, writing::COMMENTS, writing::ANSWERS);
        }
    }

    fn english_post(&mut self, author: usize) -> (String, &'static str, &'static str) {
        let topic = *self.rng.pick(self.character(author).topics);
        let line = self.rng.pick(writing::posts(topic));
        (self.fill_slots(line.text, author), line.warning, "en")
    }

    /// Comments under a post: strangers and friends, sometimes the author answering, sometimes
    /// the signed-in user joining in.
    fn write_thread(&mut self, root: Posted, root_at: i64, comments: &[&str], answers: &[&str]) {
        let newest_allowed = self.anchor_ms - NEWEST_AGE_MS;
        let mut at = root_at;
        let mut thread = vec![root];
        for _ in 0..self.rng.range(1, 5) {
            at += self.rng.range(3 * MINUTE_MS as u64, 8 * HOUR_MS as u64) as i64;
            if at > newest_allowed {
                break;
            }
            let commenter =
                if self.rng.chance(0.12) { USER_PERSON } else { 1 + self.rng.below(self.accounts.len() - 1) };
            // The author answers comments; everyone else comments on the post, now and then
            // on a comment.
            let is_author = commenter == root.author;
            let parent = if is_author || (thread.len() > 1 && self.rng.chance(0.3)) {
                match thread.get(1..).filter(|comments| !comments.is_empty()) {
                    Some(comments) => comments[self.rng.below(comments.len())],
                    None => continue,
                }
            } else {
                root
            };
            if commenter == parent.author {
                continue;
            }
            let body = if is_author { *self.rng.pick(answers) } else { *self.rng.pick(comments) };
            let text = format!("@{} {body}", self.character(parent.author).username);
            let posted = self.post(Draft { reply_to: Some(parent), ..Draft::new(commenter, at, text) });
            thread.push(posted);
        }
    }

    fn write_visual(&mut self) {
        let aspects =
            [Aspect::Portrait4x5, Aspect::Portrait4x5, Aspect::Square, Aspect::Landscape3x2, Aspect::Portrait2x3];
        for _ in 0..170 {
            let author = self.pick_poster(true);
            let topics = self.character(author).topics;
            let album = self.album(topics, &aspects);
            let caption = self.caption(&album[0], None);
            let at = self.some_time_ago();
            let posted = self.post(Draft { media: album, ..Draft::new(author, at, caption) });
            if self.rng.chance(0.45) {
                self.write_thread(posted, at, writing::PHOTO_COMMENTS, writing::ANSWERS);
            }
        }
        for index in 0..26 {
            let mut album = self.album(&[Topic::Photography, Topic::Outdoors, Topic::Cities, Topic::Food], &aspects);
            if index % 4 == 0 && album.len() == 1 {
                // Several of the user's own posts are series, whatever the dice said.
                album.push(ArtSpec { seed: self.rng.next_u32(), ..album[0] });
                album.push(ArtSpec { seed: self.rng.next_u32(), ..album[0] });
            }
            let caption = self.caption(&album[0], Some(writing::USER_CAPTIONS));
            let at = self.some_time_ago();
            let posted = self.post(Draft { media: album, ..Draft::new(USER_PERSON, at, caption) });
            self.write_thread(posted, at, writing::PHOTO_COMMENTS, writing::ANSWERS);
        }
    }

    fn caption(&mut self, spec: &ArtSpec, own_words: Option<&[&str]>) -> String {
        let (words, tags): (&[&str], &[&str]) = match spec.subject {
            Subject::Landscape(mood) => (writing::LANDSCAPE_CAPTIONS, landscape_tags(mood)),
            Subject::City(_) => (writing::CITY_CAPTIONS, &["#cityscape", "#citylights", "#nightphotography", "#urban"]),
            Subject::StillLife(_) => (writing::STILL_LIFE_CAPTIONS, &["#stilllife", "#naturallight", "#minimal"]),
            Subject::Poster(_) => (writing::ART_CAPTIONS, &["#midcenturymodern", "#graphicdesign", "#print"]),
            _ => (writing::ART_CAPTIONS, &["#abstractart", "#generativeart", "#digitalart"]),
        };
        let words = own_words.unwrap_or(words);
        let sentence = *self.rng.pick(words);
        let first = *self.rng.pick(tags);
        let second = *self.rng.pick(tags);
        if first == second {
            format!("{sentence} {first}")
        } else {
            format!("{sentence} {first} {second}")
        }
    }

    fn write_conversations(&mut self) {
        let count = if self.surface == Surface::Feed { 7 } else { 5 };
        let offset = if self.surface == Surface::Feed { 0 } else { 3 };
        let mut partners: Vec<usize> = (1..self.accounts.len()).filter(|&a| self.accounts[a].followed).collect();
        for index in 0..count {
            let script = writing::CONVERSATIONS[(index + offset) % writing::CONVERSATIONS.len()];
            // The first conversation on each server is with the same person, someone on both:
            // the merged inbox has one person to gather across surfaces.
            let pen_pal = partners.iter().position(|&a| self.character(a).presence == Presence::Both);
            let first = match (index, pen_pal) {
                (0, Some(position)) => position,
                _ => self.rng.below(partners.len()),
            };
            let mut participants = vec![partners.remove(first)];
            if index == 2 {
                // One small group chat on Feed; Pixelfed's messages are between two. The
                // partner is drawn on both servers so the rest of the world stays the same.
                let third = partners.remove(self.rng.below(partners.len()));
                if self.surface == Surface::Feed {
                    participants.push(third);
                }
            }
            let mut at = self.anchor_ms - self.rng.range(HOUR_MS as u64, 20 * DAY_MS as u64) as i64;
            let mut previous: Option<Posted> = None;
            let mut statuses = Vec::new();
            for (from_user, words) in script.iter() {
                let sender = if *from_user { USER_PERSON } else { participants[0] };
                let recipients: Vec<&str> = std::iter::once(USER_PERSON)
                    .chain(participants.iter().copied())
                    .filter(|&account| account != sender)
                    .map(|account| self.character(account).username)
                    .collect();
                // Mastodon addresses a message by mentioning its people; Pixelfed's carry
                // only the words.
                let text = match self.surface {
                    Surface::Feed => format!("@{} {words}", recipients.join(" @")),
                    Surface::Visual => words.to_string(),
                };
                let posted = self.post(Draft {
                    reply_to: previous,
                    visibility: Visibility::Direct,
                    ..Draft::new(sender, at, text)
                });
                statuses.push(posted.id);
                previous = Some(posted);
                at = (at + self.rng.range(2 * MINUTE_MS as u64, 5 * HOUR_MS as u64) as i64)
                    .min(self.anchor_ms - NEWEST_AGE_MS);
            }
            if self.surface == Surface::Visual && index == 1 {
                // On Pixelfed a message may be a picture: the question about a film stock
                // comes with the photo it is about.
                if let Some(&question) = statuses.first() {
                    self.attach_seascape(question);
                }
            }
            let last_from_other = !script.last().is_none_or(|(from_user, _)| *from_user);
            self.conversations.push(ConversationRecord {
                id: Id::at(self.statuses[self.statuses.len() - script.len()].id.unix_ms(), 60_000 + index as u16),
                participants: participants.iter().map(|&account| self.accounts[account].id).collect(),
                statuses,
                unread: last_from_other && index % 3 != 2,
            });
        }
    }
}

impl SurfaceBuilder<'_> {
    /// Adds a photo of the coast to a message written already. It draws no random number, so
    /// everything generated after it stays as it was.
    fn attach_seascape(&mut self, message: Id) {
        let spec = ArtSpec { subject: Subject::Landscape(Mood::Ocean), aspect: Aspect::Landscape3x2, seed: 0x5EA_5CA9 };
        let Some(status) = self.statuses.iter_mut().rev().find(|s| s.id == message) else { return };
        let id = Id::at(message.unix_ms() - 90_000, self.next_media_sequence);
        self.next_media_sequence += 1;
        status.media.push(id);
        self.media.push(MediaRecord {
            id,
            owner: status.author,
            description: Some(spec.describe()),
            blurhash: Some(spec.blurhash()),
            source: MediaSource::Art(spec),
            status: Some(message),
        });
    }
}

fn landscape_tags(mood: Mood) -> &'static [&'static str] {
    match mood {
        Mood::Golden => &["#landscape", "#goldenhour", "#mountains"],
        Mood::BlueHour => &["#landscape", "#bluehour", "#mountains"],
        Mood::Dawn => &["#sunrise", "#landscape", "#mountains"],
        Mood::Night => &["#nightsky", "#astrophotography", "#landscape"],
        Mood::Snow => &["#winter", "#snow", "#mountains"],
        Mood::Desert => &["#desert", "#landscape", "#travel"],
        Mood::Forest => &["#forest", "#mist", "#naturephotography"],
        Mood::Ocean => &["#seascape", "#coast", "#naturephotography"],
        Mood::Noon | Mood::Neon => &["#landscape", "#naturephotography", "#hiking"],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANCHOR: i64 = 1_780_000_000_000;

    #[test]
    fn the_same_seed_makes_the_same_world() {
        let (a, b) = (World::generate(42, ANCHOR), World::generate(42, ANCHOR));
        let texts = |w: &World| w.feed.statuses.iter().map(|s| (s.id, s.text.clone())).collect::<Vec<_>>();
        assert_eq!(texts(&a), texts(&b), "a seed must fully determine the world");
        assert_eq!(a.visual.media.len(), b.visual.media.len());
        let other = World::generate(43, ANCHOR);
        assert_ne!(texts(&a), texts(&other), "another seed must make another world");
    }

    #[test]
    fn the_world_is_as_big_as_promised() {
        let world = World::generate(42, ANCHOR);
        assert!(world.people.len() > 30, "{} people", world.people.len());
        let user_feed_id = world.feed.accounts[USER_PERSON].id;
        let top_level = |w: &SurfaceWorld, own: bool, user: Id| {
            w.statuses
                .iter()
                .filter(|s| s.in_reply_to.is_none() && s.visibility != Visibility::Direct && (s.author == user) == own)
                .count()
        };
        assert!(top_level(&world.feed, false, user_feed_id) >= 300);
        assert!(top_level(&world.feed, true, user_feed_id) >= 20);
        let user_visual_id = world.visual.accounts[USER_PERSON].id;
        assert!(top_level(&world.visual, false, user_visual_id) >= 150);
        assert!(top_level(&world.visual, true, user_visual_id) >= 24);
        assert!(world.feed.conversations.len() >= 6 && world.visual.conversations.len() >= 4);
        assert!(world
            .visual
            .statuses
            .iter()
            .filter(|s| s.in_reply_to.is_none() && s.visibility != Visibility::Direct)
            .all(|s| !s.media.is_empty()));
    }

    /// Pixelfed's messages may be pictures; the demo's Visual inbox has one, and the rest of the
    /// world is what it was without it.
    #[test]
    fn a_pixelfed_message_is_a_picture() {
        let world = World::generate(42, ANCHOR);
        let pictured: Vec<&StatusRecord> = world
            .visual
            .statuses
            .iter()
            .filter(|s| s.visibility == Visibility::Direct && !s.media.is_empty())
            .collect();
        assert_eq!(pictured.len(), 1);
        let picture = world.visual.media.iter().find(|m| m.id == pictured[0].media[0]).expect("its picture");
        assert_eq!((picture.status, picture.owner), (Some(pictured[0].id), pictured[0].author));
        assert!(picture.description.is_some());
        assert!(world.visual.conversations.iter().any(|c| c.statuses.contains(&pictured[0].id)));
        assert!(world.feed.statuses.iter().all(|s| s.visibility != Visibility::Direct || s.media.is_empty()));
    }

    #[test]
    fn everything_happened_before_the_anchor_and_ids_are_unique() {
        let world = World::generate(7, ANCHOR);
        for surface in [&world.feed, &world.visual] {
            let mut ids: Vec<Id> = surface.statuses.iter().map(|s| s.id).collect();
            assert!(ids.iter().all(|id| id.unix_ms() <= ANCHOR - NEWEST_AGE_MS), "a status is from the future");
            ids.dedup();
            assert_eq!(ids.len(), surface.statuses.len(), "status ids must be unique");
            for status in &surface.statuses {
                if let Some(parent) = status.in_reply_to {
                    assert!(parent < status.id, "a reply must come after what it answers");
                }
            }
        }
    }
}
