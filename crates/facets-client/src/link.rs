/// The navigation of a page, from its `Link` header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageLinks {
    pub next: Option<String>,
    pub prev: Option<String>,
}

impl PageLinks {
    pub(crate) fn merge(self, other: PageLinks) -> PageLinks {
        PageLinks { next: self.next.or(other.next), prev: self.prev.or(other.prev) }
    }
}

/// Parses an RFC 8288 `Link` header as Mastodon sends it:
/// `<https://…?max_id=1>; rel="next", <https://…?min_id=9>; rel="prev"`.
/// Malformed parts are skipped rather than failing the page.
pub fn parse_link_header(value: &str) -> PageLinks {
    let mut links = PageLinks::default();
    let mut rest = value;
    while let Some(start) = rest.find('<') {
        let Some(len) = rest[start + 1..].find('>') else {
            break;
        };
        let target = &rest[start + 1..start + 1 + len];
        let after = &rest[start + 1 + len + 1..];
        let params_end = after.find('<').unwrap_or(after.len());
        let params = &after[..params_end];
        for param in params.split(';') {
            let Some((name, value)) = param.split_once('=') else {
                continue;
            };
            if !name.trim().eq_ignore_ascii_case("rel") {
                continue;
            }
            let value = value.trim().trim_end_matches(',').trim().trim_matches('"');
            for rel in value.split_ascii_whitespace() {
                match rel.to_ascii_lowercase().as_str() {
                    "next" if links.next.is_none() => links.next = Some(target.to_owned()),
                    "prev" | "previous" if links.prev.is_none() => links.prev = Some(target.to_owned()),
                    _ => {}
                }
            }
        }
        rest = &after[params_end..];
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_mastodon_links() {
        let links = parse_link_header(
            r#"<https://m.example/api/v1/timelines/home?max_id=10>; rel="next", <https://m.example/api/v1/timelines/home?min_id=20>; rel="prev""#,
        );
        assert_eq!(links.next.as_deref(), Some("https://m.example/api/v1/timelines/home?max_id=10"));
        assert_eq!(links.prev.as_deref(), Some("https://m.example/api/v1/timelines/home?min_id=20"));
    }

    #[test]
    fn tolerates_odd_spacing_unquoted_rels_and_garbage() {
        let links = parse_link_header("<a?x=1>;rel=prev ,  < b >; title=\"x\"; REL=\"next\", <broken");
        assert_eq!(links.prev.as_deref(), Some("a?x=1"));
        assert_eq!(links.next.as_deref(), Some(" b "));
        assert_eq!(parse_link_header(""), PageLinks::default());
        assert_eq!(parse_link_header("garbage; rel=next"), PageLinks::default());
    }
}
