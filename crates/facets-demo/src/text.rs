//! Status text as Mastodon formats it: paragraphs, line breaks, and links, mentions and hashtags
//! marked up the way Mastodon's own HTML does, so clients parse the demo like a real server.

/// A piece of a status's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    Text(&'a str),
    Url(&'a str),
    /// `@username` or `@username@domain`; holds the part after the `@`.
    Mention(&'a str),
    /// `#tag`; holds the part after the `#`.
    Hashtag(&'a str),
    LineBreak,
    ParagraphBreak,
}

pub(crate) fn tokenize(text: &str) -> Vec<Token<'_>> {
    let text = text.trim();
    let mut tokens = Vec::new();
    let mut plain_start = 0;
    let mut index = 0;
    let bytes = text.as_bytes();
    while index < text.len() {
        let rest = &text[index..];
        let after_boundary = index == 0 || !is_word_char(text[..index].chars().next_back().unwrap_or(' '));
        let found = if rest.starts_with("\n\n") {
            let newlines = rest.chars().take_while(|c| *c == '\n').count();
            Some((Token::ParagraphBreak, newlines))
        } else if bytes[index] == b'\n' {
            Some((Token::LineBreak, 1))
        } else if after_boundary && (rest.starts_with("https://") || rest.starts_with("http://")) {
            let length = url_length(rest);
            Some((Token::Url(&rest[..length]), length))
        } else if after_boundary && rest.starts_with('@') {
            mention_length(&rest[1..]).map(|length| (Token::Mention(&rest[1..=length]), length + 1))
        } else if after_boundary && rest.starts_with('#') {
            hashtag_length(&rest[1..]).map(|length| (Token::Hashtag(&rest[1..=length]), length + 1))
        } else {
            None
        };
        match found {
            Some((token, length)) => {
                if plain_start < index {
                    tokens.push(Token::Text(&text[plain_start..index]));
                }
                tokens.push(token);
                index += length;
                plain_start = index;
            }
            None => index += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    if plain_start < text.len() {
        tokens.push(Token::Text(&text[plain_start..]));
    }
    tokens
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn url_length(rest: &str) -> usize {
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let mut url = &rest[..end];
    // Punctuation that ends a sentence is not part of the link; a closing parenthesis is only
    // when the link did not open one (Wikipedia's `Golden_hour_(photography)`).
    loop {
        let unbalanced = url.ends_with(')') && url.matches('(').count() < url.matches(')').count();
        if url.ends_with(['.', ',', '!', '?', ':', ';', '"', '\'']) || unbalanced {
            url = &url[..url.len() - 1];
        } else {
            return url.len();
        }
    }
}

fn mention_length(after_at: &str) -> Option<usize> {
    let user = after_at.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').count();
    if user == 0 {
        return None;
    }
    let rest = &after_at[user..];
    let domain = rest.strip_prefix('@').map_or(0, |domain| {
        let length = domain.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-').count();
        let length = domain[..length].trim_end_matches('.').len();
        if length > 0 {
            length + 1
        } else {
            0
        }
    });
    Some(user + domain)
}

fn hashtag_length(after_hash: &str) -> Option<usize> {
    let length: usize = after_hash.chars().take_while(|c| is_word_char(*c)).map(char::len_utf8).sum();
    let tag = &after_hash[..length];
    (length > 0 && !tag.chars().all(|c| c.is_ascii_digit())).then_some(length)
}

/// The usernames a text mentions, in order, without duplicates.
pub(crate) fn mentioned_usernames(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for token in tokenize(text) {
        if let Token::Mention(handle) = token {
            let name = handle.split('@').next().unwrap_or(handle).to_owned();
            if !names.iter().any(|known| known.eq_ignore_ascii_case(&name)) {
                names.push(name);
            }
        }
    }
    names
}

/// The hashtags a text uses, lower-cased, without duplicates.
pub(crate) fn hashtags(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for token in tokenize(text) {
        if let Token::Hashtag(tag) = token {
            let tag = tag.to_lowercase();
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
    }
    tags
}

/// The length Mastodon counts against the character limit: every link counts as 23.
pub(crate) fn counted_length(text: &str) -> usize {
    tokenize(text.trim())
        .iter()
        .map(|token| match token {
            Token::Text(t) => t.chars().count(),
            Token::Url(_) => 23,
            Token::Mention(m) => 1 + m.split('@').next().unwrap_or(m).chars().count(),
            Token::Hashtag(t) => 1 + t.chars().count(),
            Token::LineBreak => 1,
            Token::ParagraphBreak => 2,
        })
        .sum()
}

/// Renders a status or bio as Mastodon's HTML. `profile_url` resolves a mentioned username to the
/// account's profile URL, or `None` when nobody by that name is known (then it stays plain text);
/// `tag_url` turns a hashtag into its timeline URL.
pub(crate) fn to_html(
    text: &str,
    profile_url: impl Fn(&str) -> Option<String>,
    tag_url: impl Fn(&str) -> String,
) -> String {
    let mut html = String::from("<p>");
    for token in tokenize(text) {
        match token {
            Token::Text(t) => html.push_str(&escape(t)),
            Token::LineBreak => html.push_str("<br />"),
            Token::ParagraphBreak => html.push_str("</p><p>"),
            Token::Url(url) => html.push_str(&link_html(url)),
            Token::Mention(handle) => {
                let username = handle.split('@').next().unwrap_or(handle);
                match profile_url(username) {
                    Some(url) => html.push_str(&format!(
                        r#"<span class="h-card" translate="no"><a href="{}" class="u-url mention">@<span>{}</span></a></span>"#,
                        escape(&url),
                        escape(username)
                    )),
                    None => html.push_str(&escape(&format!("@{handle}"))),
                }
            }
            Token::Hashtag(tag) => html.push_str(&format!(
                r##"<a href="{}" class="mention hashtag" rel="tag">#<span>{}</span></a>"##,
                escape(&tag_url(&tag.to_lowercase())),
                escape(tag)
            )),
        }
    }
    html.push_str("</p>");
    html
}

/// Mastodon shortens long links: the scheme is hidden, and past 30 characters the rest is too.
fn link_html(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").map_or(("", url), |(scheme, rest)| (scheme, rest));
    let (www, shown) = rest.strip_prefix("www.").map_or(("", rest), |stripped| ("www.", stripped));
    let hidden_prefix = format!("{scheme}://{www}");
    let visible = if shown.chars().count() > 30 {
        let cut: usize = shown.chars().take(30).map(char::len_utf8).sum();
        format!(
            r#"<span class="ellipsis">{}</span><span class="invisible">{}</span>"#,
            escape(&shown[..cut]),
            escape(&shown[cut..])
        )
    } else {
        format!(r#"<span class="">{}</span><span class="invisible"></span>"#, escape(shown))
    };
    format!(
        r#"<a href="{}" target="_blank" rel="nofollow noopener noreferrer" translate="no"><span class="invisible">{}</span>{visible}</a>"#,
        escape(url),
        escape(&hidden_prefix)
    )
}

pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(text: &str) -> String {
        to_html(
            text,
            |name| (name == "kenji").then(|| "http://x/@kenji".to_owned()),
            |tag| format!("http://x/tags/{tag}"),
        )
    }

    #[test]
    fn mentions_hashtags_and_links_are_marked_up_like_mastodon() {
        let html = render("Hi @kenji, see https://en.wikipedia.org/wiki/Golden_hour_(photography). #Photo");
        assert!(html.contains(r#"<a href="http://x/@kenji" class="u-url mention">@<span>kenji</span></a>"#), "{html}");
        assert!(html.contains(r#"class="mention hashtag" rel="tag">#<span>Photo</span></a>"#), "{html}");
        assert!(html.contains(r#"href="http://x/tags/photo""#), "{html}");
        assert!(
            html.contains(
                r#"<span class="invisible">https://</span><span class="ellipsis">en.wikipedia.org/wiki/Golden_h</span>"#
            ),
            "{html}"
        );
        assert!(html.contains(r#"href="https://en.wikipedia.org/wiki/Golden_hour_(photography)""#), "{html}");
        assert!(html.contains("</a>. <a"), "the full stop is not part of the link: {html}");
    }

    #[test]
    fn unknown_mentions_stay_text_and_markup_is_escaped() {
        let html = render("@nobody <b>bold</b> & more\nline two\n\nnew paragraph");
        assert_eq!(html, "<p>@nobody &lt;b&gt;bold&lt;/b&gt; &amp; more<br />line two</p><p>new paragraph</p>");
    }

    #[test]
    fn emails_and_numbers_are_not_mentions_or_tags() {
        assert_eq!(mentioned_usernames("mail me at ana@example.org, @kenji@pixel.example and @kenji"), vec!["kenji"]);
        assert_eq!(hashtags("issue #42 and #Rust and #rust"), vec!["rust"]);
    }

    #[test]
    fn links_count_as_twenty_three_characters() {
        assert_eq!(counted_length("see https://example.org/a/very/long/path/that/goes/on"), 4 + 23);
    }
}
