//! Mastodon's id-cursor pagination: `max_id`, `since_id`, `min_id`, `limit`, and the `Link`
//! header that carries the next and previous pages.

use serde::Deserialize;

use crate::api::ApiError;
use crate::ids::Id;

pub(crate) const DEFAULT_LIMIT: usize = 20;
pub(crate) const MAX_LIMIT: usize = 40;

/// The paging parameters as they arrive in a query string.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PageQuery {
    max_id: Option<String>,
    since_id: Option<String>,
    min_id: Option<String>,
    limit: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Page {
    pub max_id: Option<Id>,
    pub since_id: Option<Id>,
    pub min_id: Option<Id>,
    pub limit: usize,
}

impl Page {
    pub(crate) fn parse(query: &PageQuery) -> Result<Page, ApiError> {
        let id = |value: &Option<String>| -> Result<Option<Id>, ApiError> {
            match value.as_deref().map(str::trim) {
                None | Some("") => Ok(None),
                Some(text) => {
                    text.parse().map(Some).map_err(|_| ApiError::Unprocessable(format!("Invalid id: {text}")))
                }
            }
        };
        // Like Mastodon: an unreadable limit is the default, and no page exceeds the maximum.
        let limit = query
            .limit
            .as_deref()
            .and_then(|l| l.trim().parse::<usize>().ok())
            .unwrap_or(DEFAULT_LIMIT)
            .clamp(1, MAX_LIMIT);
        Ok(Page { max_id: id(&query.max_id)?, since_id: id(&query.since_id)?, min_id: id(&query.min_id)?, limit })
    }

    /// Picks this page from items sorted newest first; the page is newest first too. With
    /// `min_id` it is the page *immediately* newer than `min_id`, which is how clients catch up
    /// without gaps; with `since_id` it is the newest page, however far that is from `since_id`.
    pub(crate) fn select<T>(&self, newest_first: impl Iterator<Item = (Id, T)>) -> Vec<(Id, T)> {
        let in_range = newest_first.filter(|(id, _)| {
            self.max_id.is_none_or(|max| *id < max)
                && self.since_id.is_none_or(|since| *id > since)
                && self.min_id.is_none_or(|min| *id > min)
        });
        if self.min_id.is_some() {
            let mut all: Vec<(Id, T)> = in_range.collect();
            let keep_from = all.len().saturating_sub(self.limit);
            all.drain(..keep_from);
            all
        } else {
            in_range.take(self.limit).collect()
        }
    }

    /// The `Link` header for a page: `next` (older) only while pages come back full, as Mastodon
    /// does, and `prev` (newer) for any non-empty page. `endpoint` is the absolute URL without a
    /// query; `kept` are the request's filters, repeated in both links.
    pub(crate) fn link_header(&self, endpoint: &str, kept: &[(&str, String)], page_ids: &[Id]) -> Option<String> {
        let (newest, oldest) = (page_ids.first()?, page_ids.last()?);
        let url = |cursor: &str, id: &Id| {
            let mut query = url::form_urlencoded::Serializer::new(String::new());
            query.append_pair("limit", &self.limit.to_string());
            for (key, value) in kept {
                query.append_pair(key, value);
            }
            query.append_pair(cursor, &id.to_string());
            format!("<{endpoint}?{}>", query.finish())
        };
        let prev = format!("{}; rel=\"prev\"", url("min_id", newest));
        Some(if page_ids.len() == self.limit {
            format!("{}; rel=\"next\", {prev}", url("max_id", oldest))
        } else {
            prev
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(range: std::ops::RangeInclusive<u64>) -> Vec<(Id, ())> {
        range.rev().map(|n| (Id::at(n as i64, 0), ())).collect()
    }

    fn page(max: Option<u64>, since: Option<u64>, min: Option<u64>, limit: usize) -> Page {
        let id = |n: Option<u64>| n.map(|n| Id::at(n as i64, 0));
        Page { max_id: id(max), since_id: id(since), min_id: id(min), limit }
    }

    fn times(selected: Vec<(Id, ())>) -> Vec<i64> {
        selected.into_iter().map(|(id, _)| id.unix_ms()).collect()
    }

    #[test]
    fn max_id_pages_backwards_newest_first() {
        assert_eq!(times(page(Some(8), None, None, 3).select(ids(1..=10).into_iter())), vec![7, 6, 5]);
    }

    #[test]
    fn min_id_returns_the_page_right_after_it_and_since_id_the_newest() {
        assert_eq!(times(page(None, None, Some(2), 3).select(ids(1..=10).into_iter())), vec![5, 4, 3]);
        assert_eq!(times(page(None, Some(2), None, 3).select(ids(1..=10).into_iter())), vec![10, 9, 8]);
    }

    #[test]
    fn links_keep_filters_and_omit_next_on_a_short_page() {
        let full = page(None, None, None, 2);
        let link = full.link_header(
            "http://h/feed/api/v1/timelines/home",
            &[("only_media", "true".into())],
            &[Id::at(9, 0), Id::at(8, 0)],
        );
        let link = link.expect("a non-empty page has links");
        assert!(
            link.starts_with(&format!(
                "<http://h/feed/api/v1/timelines/home?limit=2&only_media=true&max_id={}>; rel=\"next\"",
                Id::at(8, 0)
            )),
            "{link}"
        );
        assert!(link.ends_with(&format!("min_id={}>; rel=\"prev\"", Id::at(9, 0))), "{link}");
        let short = full.link_header("http://h/x", &[], &[Id::at(9, 0)]).unwrap();
        assert!(!short.contains("next"), "{short}");
        assert_eq!(full.link_header("http://h/x", &[], &[]), None, "an empty page has no links");
    }

    #[test]
    fn limits_are_clamped_and_bad_ids_refused() {
        let query = PageQuery { limit: Some("400".into()), ..PageQuery::default() };
        assert_eq!(Page::parse(&query).unwrap().limit, MAX_LIMIT);
        let query = PageQuery { max_id: Some("abc".into()), ..PageQuery::default() };
        assert!(Page::parse(&query).is_err());
    }
}
