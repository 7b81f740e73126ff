//! A seeded world of realistic statuses, the people who wrote them, and conversations, as a
//! Mastodon server's JSON. The same seed gives the same world, so figures are comparable
//! between runs and machines.

use facets_wire::{Account, Conversation, MediaAttachment, MediaDimensions, MediaMeta, Mention, Status, Tag};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const SERVER: &str = "https://social.example";
/// Posts are spaced this far apart on average, so a million cover a few years.
const MEAN_GAP_SECONDS: i64 = 120;
/// The newest post's time: 2026-11-01.
const NEWEST_UNIX: i64 = 1_793_491_200;

/// Sentences in several languages and scripts, as a home timeline mixes them.
const SENTENCES: &[(&str, &str)] = &[
    ("en", "The harbour was still at dawn and the boats had not gone out yet."),
    ("en", "Finished the book you lent me, chapter twelve was worth the wait."),
    ("en", "Low tide at six tomorrow, bring boots if you want the rock pools."),
    ("en", "Our release is out: faster start-up, smaller memory, and fewer surprises."),
    ("en", "Anyone know a good bakery near the station that opens before seven?"),
    ("es", "Los mejores tacos de la ciudad están en una esquina sin nombre."),
    ("es", "Mañana hay mercado en la plaza, llevad bolsas de tela."),
    ("de", "Der Zug hatte wieder Verspätung, aber der Blick auf den See war es wert."),
    ("fr", "Le café du coin a enfin rouvert, et le croissant est toujours parfait."),
    ("ja", "今朝の海はとても静かで、光がきれいでした。"),
    ("ja", "新しいカメラで初めて夜景を撮ってみました。"),
    ("ru", "Сегодня в парке первый снег, дети уже лепят снеговика."),
    ("ar", "الطقس جميل اليوم، سنذهب إلى البحر بعد الظهر."),
    ("hi", "आज शाम की चाय के साथ बारिश का मज़ा ही कुछ और है।"),
    ("pt", "A luz do fim da tarde na serra é impossível de fotografar direito."),
];
const HASHTAGS: &[&str] = &["photography", "harbour", "books", "rust", "coffee", "tacos", "sunset", "opensource"];
const EMOJI: &[&str] = &["🌊", "☕", "📷", "🌅", "🥐", "🚆", "✨", "🎉"];
const NAMES: &[&str] = &[
    "Mara Ellison",
    "Kenji Watanabe",
    "Arjun Kapoor",
    "Camila Torres",
    "Liam O'Connor",
    "Thandiwe Nkosi",
    "Wiremu Parata",
    "Nadia Haddad",
    "Diego Hernández",
    "Giulia Romano",
    "Юлия Смирнова",
    "山田 花子",
    "فاطمة الزهراء",
    "Noor Rahman",
    "Yusuf Demir",
    "Aino Virtanen",
];

/// One generated server: its people, and statuses made newest first.
pub struct World {
    rng: StdRng,
    people: Vec<Account>,
    /// Seconds before [`NEWEST_UNIX`] of the next status.
    age: i64,
    issued: u64,
}

impl World {
    /// A world of `people` accounts; statuses come from [`World::next_status`].
    pub fn new(seed: u64, people: usize) -> World {
        let mut rng = StdRng::seed_from_u64(seed);
        let people = (0..people.max(2))
            .map(|i| {
                let name = NAMES[i % NAMES.len()];
                let username = format!("{}{i}", name.split(' ').next().unwrap_or("user").to_lowercase());
                let followers = rng.gen_range(0..5_000);
                Account {
                    id: format!("{}", 100_000 + i),
                    acct: username.clone(),
                    url: format!("{SERVER}/@{username}"),
                    avatar: format!("{SERVER}/system/avatars/{i}.jpg"),
                    avatar_static: format!("{SERVER}/system/avatars/{i}.jpg"),
                    header: format!("{SERVER}/system/headers/{i}.jpg"),
                    display_name: name.to_owned(),
                    note: format!("<p>{}</p>", SENTENCES[i % SENTENCES.len()].1),
                    username,
                    created_at: "2022-03-01T10:00:00.000Z".to_owned(),
                    followers_count: followers,
                    following_count: followers / 3,
                    statuses_count: 1_000,
                    ..Account::default()
                }
            })
            .collect();
        World { rng, people, age: 0, issued: 0 }
    }

    pub fn people(&self) -> &[Account] {
        &self.people
    }

    /// The next status, older than the one before it, as Mastodon renders it.
    pub fn next_status(&mut self) -> Status {
        self.age += self.rng.gen_range(1..2 * MEAN_GAP_SECONDS);
        self.issued += 1;
        let unix = NEWEST_UNIX - self.age;
        // Snowflake-like: time in the high bits, so ids sort as time does.
        let id = format!("{:018}", ((unix as u64) * 1000) << 16 | (self.issued & 0xFFFF));
        let author = self.people[self.rng.gen_range(0..self.people.len())].clone();
        let (language, _) = SENTENCES[self.rng.gen_range(0..SENTENCES.len())];
        let mut html = String::from("<p>");
        let mut mentions = Vec::new();
        let mut tags = Vec::new();
        if self.rng.gen_bool(0.25) {
            let other = &self.people[self.rng.gen_range(0..self.people.len())];
            html.push_str(&format!(
                "<span class=\"h-card\"><a href=\"{}\" class=\"u-url mention\">@<span>{}</span></a></span> ",
                other.url, other.username
            ));
            mentions.push(Mention {
                id: other.id.clone(),
                username: other.username.clone(),
                acct: other.acct.clone(),
                url: other.url.clone(),
            });
        }
        let sentences = self.rng.gen_range(1..=4);
        for n in 0..sentences {
            let same_language: Vec<&str> = SENTENCES.iter().filter(|(l, _)| *l == language).map(|(_, s)| *s).collect();
            if n > 0 {
                html.push(' ');
            }
            html.push_str(same_language[self.rng.gen_range(0..same_language.len())]);
        }
        if self.rng.gen_bool(0.15) {
            html.push(' ');
            html.push_str(EMOJI[self.rng.gen_range(0..EMOJI.len())]);
        }
        if self.rng.gen_bool(0.2) {
            let path = self.rng.gen_range(1_000..9_999);
            html.push_str(&format!(
                " <a href=\"https://news.example/a/{path}\" rel=\"nofollow noopener\" target=\"_blank\"><span class=\"invisible\">https://</span><span>news.example/a/{path}</span></a>"
            ));
        }
        if self.rng.gen_bool(0.3) {
            let tag = HASHTAGS[self.rng.gen_range(0..HASHTAGS.len())];
            html.push_str(&format!(
                " <a href=\"{SERVER}/tags/{tag}\" class=\"mention hashtag\" rel=\"tag\">#<span>{tag}</span></a>"
            ));
            tags.push(Tag { name: tag.to_owned(), url: format!("{SERVER}/tags/{tag}") });
        }
        html.push_str("</p>");
        let pictures = if self.rng.gen_bool(0.3) { self.rng.gen_range(1..=4) } else { 0 };
        let media_attachments = (0..pictures)
            .map(|n| MediaAttachment {
                id: format!("{id}{n}"),
                kind: "image".to_owned(),
                url: Some(format!("{SERVER}/media/{id}/{n}.jpg")),
                preview_url: Some(format!("{SERVER}/media/{id}/{n}-small.jpg")),
                remote_url: None,
                description: self.rng.gen_bool(0.6).then(|| "A view of the harbour at dawn".to_owned()),
                blurhash: Some("UBL_:rOpGG-oBUNG,qRj2so|=eE1w^n4S5NH".to_owned()),
                meta: Some(MediaMeta {
                    original: Some(MediaDimensions { width: Some(4000), height: Some(3000) }),
                    small: Some(MediaDimensions { width: Some(640), height: Some(480) }),
                }),
            })
            .collect();
        Status {
            uri: format!("{SERVER}/users/{}/statuses/{id}", author.username),
            url: Some(format!("{}/{id}", author.url)),
            created_at: iso(unix),
            account: author,
            content: html,
            visibility: "public".to_owned(),
            media_attachments,
            mentions,
            tags,
            replies_count: self.rng.gen_range(0..20),
            reblogs_count: self.rng.gen_range(0..50),
            favourites_count: self.rng.gen_range(0..200),
            language: Some(language.to_owned()),
            id,
            ..Status::default()
        }
    }

    /// The next `count` statuses as one JSON page, the way a server sends them.
    pub fn next_page_json(&mut self, count: usize) -> String {
        let page: Vec<Status> = (0..count).map(|_| self.next_status()).collect();
        serde_json::to_string(&page).expect("statuses serialise")
    }

    /// `conversations` one-to-one conversations holding `messages` direct messages in all,
    /// each as the conversations API describes it (with its latest message) and its thread.
    pub fn conversations(&mut self, conversations: usize, messages: usize) -> Vec<(Conversation, Vec<Status>)> {
        let per = (messages / conversations.max(1)).max(1);
        (0..conversations)
            .map(|c| {
                let person = self.people[1 + c % (self.people.len() - 1)].clone();
                let mut thread: Vec<Status> = (0..per)
                    .map(|_| {
                        let mut status = self.next_status();
                        status.visibility = "direct".to_owned();
                        status.media_attachments.clear();
                        if self.rng.gen_bool(0.5) {
                            status.account = person.clone();
                        } else {
                            status.account = self.people[0].clone();
                        }
                        status
                    })
                    .collect();
                thread.reverse();
                let conversation = Conversation {
                    id: format!("c{c}"),
                    unread: c % 5 == 0,
                    accounts: vec![person],
                    last_status: thread.last().cloned(),
                };
                (conversation, thread)
            })
            .collect()
    }
}

fn iso(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .expect("generated times are in range")
        .format(&time::format_description::well_known::Rfc3339)
        .expect("RFC 3339 formats any time")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_makes_the_same_world_newest_first() {
        let (mut a, mut b) = (World::new(7, 50), World::new(7, 50));
        let first: Vec<Status> = (0..200).map(|_| a.next_status()).collect();
        let again: Vec<Status> = (0..200).map(|_| b.next_status()).collect();
        assert_eq!(first, again);
        assert!(first.windows(2).all(|w| w[0].id > w[1].id && w[0].created_at > w[1].created_at));
        let languages: std::collections::HashSet<_> = first.iter().filter_map(|s| s.language.clone()).collect();
        assert!(languages.len() >= 5, "{languages:?}");
        assert!(first.iter().any(|s| !s.media_attachments.is_empty()));
        assert!(first.iter().any(|s| !s.mentions.is_empty()) && first.iter().any(|s| s.content.contains("href")));
        let page: Vec<Status> = serde_json::from_str(&a.next_page_json(40)).unwrap();
        assert_eq!(page.len(), 40);
    }
}
