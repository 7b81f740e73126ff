//! Server HTML is hostile input. Everything a server sends as HTML goes through [`sanitize_html`]
//! before it is stored in the cache, so the UI only ever sees the strict subset below:
//!
//! - paragraphs and line breaks;
//! - links to `http(s)` URLs, always with `rel="noopener noreferrer nofollow"`;
//! - on links and spans, only the classes Mastodon uses for mentions and hashtags
//!   (`mention`, `hashtag`, `u-url`, `h-card`), plus `invisible`/`ellipsis` which shorten URLs.
//!
//! No images, styles, scripts, forms, SVG or event handlers survive. Content warnings are plain
//! text and go through [`plain_text`], never through HTML.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use ammonia::{Builder, UrlRelative};

fn builder() -> &'static Builder<'static> {
    static BUILDER: OnceLock<Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = Builder::empty();
        b.add_tags(["p", "br", "a", "span"])
            .add_tag_attributes("a", ["href"])
            .url_schemes(HashSet::from(["http", "https"]))
            .url_relative(UrlRelative::Deny)
            .link_rel(Some("noopener noreferrer nofollow"))
            .allowed_classes(HashMap::from([
                ("a", HashSet::from(["mention", "hashtag", "u-url"])),
                ("span", HashSet::from(["h-card", "invisible", "ellipsis"])),
            ]))
            .clean_content_tags(HashSet::from(["script", "style", "svg", "math", "template", "iframe", "object"]))
            .strip_comments(true);
        b
    })
}

/// Sanitises untrusted HTML to Facets' allowlist.
pub fn sanitize_html(untrusted: &str) -> String {
    builder().clean(untrusted).to_string()
}

/// Turns untrusted text that must never be HTML (content warnings, display names) into plain
/// text: control characters other than newlines and tabs removed. The UI renders it as text.
pub fn plain_text(untrusted: &str) -> String {
    untrusted.chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect()
}

/// Text of sanitised HTML for search and previews: tags dropped, entities decoded,
/// paragraphs and breaks become newlines.
pub fn html_to_text(html: &str) -> String {
    let with_breaks = html.replace("<br>", "\n").replace("</p><p>", "\n\n");
    let no_tags = Builder::empty().clean(&with_breaks).to_string();
    decode_serialised_entities(&no_tags)
}

/// The text of what [`sanitize_html`] returned, as [`html_to_text`] would read it, without
/// parsing it again: the sanitiser's serialiser writes tags, attributes and entities in one
/// regular form, so a scan finds them. Only for that output; other HTML goes to
/// [`html_to_text`].
pub fn sanitized_text(sanitized: &str) -> String {
    // One pass, as a page's every post goes through it on its way into the cache.
    let mut text = String::with_capacity(sanitized.len());
    let mut rest = sanitized;
    while let Some(at) = rest.find(['<', '&']) {
        text.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with('&') {
            let (decoded, length) = SERIALISED_ENTITIES
                .iter()
                .find(|(entity, _)| rest.starts_with(entity))
                .map_or(('&', 1), |(entity, decoded)| (*decoded, entity.len()));
            text.push(decoded);
            rest = &rest[length..];
        } else if let Some(after) = rest.strip_prefix("<br>") {
            text.push('\n');
            rest = after;
        } else if let Some(after) = rest.strip_prefix("</p><p>") {
            text.push_str("\n\n");
            rest = after;
        } else {
            // Attribute values are always double-quoted, a quote inside one written `&quot;`.
            // This serialiser also escapes `>` in them, but the HTML standard only lately asks
            // that, so a `>` inside quotes is not taken for the tag's end.
            let mut quoted = false;
            let close = rest.bytes().position(|byte| match byte {
                b'"' => {
                    quoted = !quoted;
                    false
                }
                b'>' => !quoted,
                _ => false,
            });
            rest = close.map_or("", |close| &rest[close + 1..]);
        }
    }
    text.push_str(rest);
    text
}

/// The entities the sanitiser's serialiser writes, and the characters they stand for; `&amp;`
/// last, so that decoding one by one never decodes twice.
const SERIALISED_ENTITIES: [(&str, char); 6] =
    [("&lt;", '<'), ("&gt;", '>'), ("&quot;", '"'), ("&#39;", '\''), ("&nbsp;", '\u{a0}'), ("&amp;", '&')];

fn decode_serialised_entities(text: &str) -> String {
    SERIALISED_ENTITIES
        .iter()
        .fold(text.to_owned(), |text, (entity, decoded)| text.replace(entity, decoded.encode_utf8(&mut [0; 4])))
}

/// The `http(s)` links of untrusted HTML, in order, as the allowlist would keep them.
pub fn link_targets(untrusted: &str) -> Vec<String> {
    let found = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = found.clone();
    let mut collect = Builder::empty();
    collect
        .add_tags(["a"])
        .add_tag_attributes("a", ["href"])
        .url_schemes(HashSet::from(["http", "https"]))
        .url_relative(UrlRelative::Deny)
        .attribute_filter(move |element, attribute, value| {
            if element == "a" && attribute == "href" {
                let lower = value.to_ascii_lowercase();
                if lower.starts_with("https://") || lower.starts_with("http://") {
                    sink.lock().expect("link list lock").push(value.to_owned());
                }
            }
            Some(value.into())
        });
    collect.clean(untrusted);
    drop(collect);
    let links = found.lock().expect("link list lock").clone();
    links
}

#[cfg(test)]
mod tests;
