//! Explore (Visual) and Suggested (Feed): the server's public posts, newest first, or, while
//! the user lets their activity on one surface shape the other, ranked on this machine by the
//! people they favourited, replied to and messaged, on either surface. The ranking is a pure
//! function; the signals it used are marked so the user can see how they were used.

use std::collections::HashMap;

use facets_model::{Post, Surface, TimelineKind};
use facets_store::{SignalKind, SignalWeight};
use serde::Serialize;

use crate::views::PostView;
use crate::{now, AppError, Core};

/// Public posts read for one ranking: a few screens of Explore.
const EXPLORE_POSTS: usize = 120;

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ExploreView {
    pub surface: Surface,
    /// Ranked from the user's activity; false: newest first.
    pub ranked: bool,
    pub posts: Vec<ExplorePost>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ExplorePost {
    pub post: PostView,
    /// Why it ranks where it does ("You messaged Ana on Feed"); none when nothing raised it.
    pub reason: Option<String>,
}

/// What raised one author: the strongest signal about them, wherever it was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Affinity {
    pub score: i64,
    /// The surface and person the strongest signal is about, and its kind.
    pub strongest: (Surface, String, SignalKind),
}

/// How much each author of `surface` is raised by the signals: signals about the author on
/// that surface, and about the same person's account on the other surface (`pairs` are
/// `(feed account, visual account)` of one person).
pub fn affinities(surface: Surface, weights: &[SignalWeight], pairs: &[(String, String)]) -> HashMap<String, Affinity> {
    let mut affinities: HashMap<String, Affinity> = HashMap::new();
    for weight in weights {
        let author = if weight.surface == surface {
            Some(weight.person_id.clone())
        } else {
            pairs
                .iter()
                .find(|(feed, visual)| match weight.surface {
                    Surface::Feed => feed == &weight.person_id,
                    Surface::Visual => visual == &weight.person_id,
                })
                .map(|(feed, visual)| if surface == Surface::Feed { feed.clone() } else { visual.clone() })
        };
        let Some(author) = author else { continue };
        let entry = affinities.entry(author).or_insert_with(|| Affinity {
            score: 0,
            strongest: (weight.surface, weight.person_id.clone(), weight.kind),
        });
        entry.score += weight.count;
        // `weights` come strongest first: the first one met stays the reason.
    }
    affinities
}

/// Items by raised authors first (most raised first), each group newest first;
/// `author_and_time` reads an item's author and creation time.
pub fn rank<T>(items: &mut [T], author_and_time: impl Fn(&T) -> (&str, i64), affinities: &HashMap<String, Affinity>) {
    let key = |item: &T| {
        let (author, at) = author_and_time(item);
        (affinities.get(author).map_or(0, |a| a.score), at)
    };
    items.sort_by_key(|item| std::cmp::Reverse(key(item)));
}

fn author_and_time(post: &Post) -> (&str, i64) {
    (&post.author.remote_id, post.created_at)
}

impl Core {
    /// Explore (on Visual) or Suggested (on Feed), from the cache.
    pub fn explore(&self, surface: Surface) -> Result<ExploreView, AppError> {
        let (mut posts, _) = self.store().timeline_page(surface, TimelineKind::Explore, None, EXPLORE_POSTS)?;
        // Suggestions are other people's posts, each able to stand on its own: not the user's
        // own, and not replies out of their conversation.
        let me = self.my_accounts()?.remove(&surface);
        posts.retain(|post| Some(&post.author.remote_id) != me.as_ref() && post.in_reply_to_id.is_none());
        let ranked = self.privacy_settings()?.activity_shapes_other;
        let affinities = if ranked {
            let weights = self.store().signal_weights()?;
            let pairs = self.store().same_person_pairs()?;
            affinities(surface, &weights, &pairs)
        } else {
            HashMap::new()
        };
        rank(&mut posts, author_and_time, &affinities);
        let used: Vec<(Surface, String)> = {
            let mut used: Vec<(Surface, String)> = posts
                .iter()
                .filter_map(|p| affinities.get(&p.author.remote_id))
                .map(|a| (a.strongest.0, a.strongest.1.clone()))
                .collect();
            used.sort();
            used.dedup();
            used
        };
        if !used.is_empty() {
            self.store().mark_signals_used(&used, now())?;
        }
        let views = self.post_views(&posts);
        let posts = posts
            .iter()
            .zip(views)
            .map(|(post, view)| ExplorePost {
                reason: affinities.get(&post.author.remote_id).map(|a| self.reason(surface, a)),
                post: view,
            })
            .collect();
        Ok(ExploreView { surface, ranked, posts })
    }

    fn reason(&self, shown_on: Surface, affinity: &Affinity) -> String {
        let (surface, person, kind) = &affinity.strongest;
        let name = self
            .store()
            .person(*surface, person)
            .ok()
            .flatten()
            .map(|p| if p.display_name.is_empty() { format!("@{}", p.handle) } else { p.display_name })
            .unwrap_or_else(|| "them".to_owned());
        let elsewhere = if *surface == shown_on { String::new() } else { format!(" on {}", surface.title()) };
        match kind {
            SignalKind::Favourite => format!("You favourited {name}'s posts{elsewhere}"),
            SignalKind::Reply => format!("You replied to {name}{elsewhere}"),
            SignalKind::Message => format!("You messaged {name}{elsewhere}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weight(surface: Surface, person: &str, kind: SignalKind, count: i64) -> SignalWeight {
        SignalWeight { surface, person_id: person.into(), kind, count }
    }

    #[test]
    fn activity_on_either_surface_raises_the_same_person() {
        let weights = vec![
            weight(Surface::Feed, "ana-f", SignalKind::Message, 3),
            weight(Surface::Visual, "bo-v", SignalKind::Favourite, 1),
            weight(Surface::Visual, "ana-v", SignalKind::Favourite, 1),
            weight(Surface::Feed, "cy-f", SignalKind::Favourite, 5),
        ];
        let pairs = vec![("ana-f".to_owned(), "ana-v".to_owned())];
        let on_visual = affinities(Surface::Visual, &weights, &pairs);
        assert_eq!(on_visual["ana-v"].score, 4, "three messages on Feed and a favourite on Visual");
        assert_eq!(on_visual["ana-v"].strongest, (Surface::Feed, "ana-f".to_owned(), SignalKind::Message));
        assert_eq!(on_visual["bo-v"].score, 1);
        assert!(!on_visual.contains_key("cy-f"), "not on Visual, and no account there");
        let on_feed = affinities(Surface::Feed, &weights, &pairs);
        assert_eq!((on_feed["ana-f"].score, on_feed["cy-f"].score), (4, 5));
    }

    #[test]
    fn raised_authors_come_first_and_the_rest_stay_newest_first() {
        // (id, author, created at)
        let mut posts: Vec<(String, String, i64)> = [("1", "x", 50), ("2", "ana", 10), ("3", "y", 40), ("4", "bo", 30)]
            .map(|(id, author, at)| (id.to_owned(), author.to_owned(), at))
            .into();
        fn author_and_time(post: &(String, String, i64)) -> (&str, i64) {
            (&post.1, post.2)
        }
        let affinity = |score| Affinity { score, strongest: (Surface::Feed, String::new(), SignalKind::Favourite) };
        let affinities: HashMap<String, Affinity> =
            [("ana".to_owned(), affinity(4)), ("bo".to_owned(), affinity(1))].into_iter().collect();
        rank(&mut posts, author_and_time, &affinities);
        let order: Vec<&str> = posts.iter().map(|p| p.0.as_str()).collect();
        assert_eq!(order, ["2", "4", "1", "3"]);
        rank(&mut posts, author_and_time, &HashMap::new());
        let order: Vec<&str> = posts.iter().map(|p| p.0.as_str()).collect();
        assert_eq!(order, ["1", "3", "4", "2"], "without signals: newest first");
    }
}
