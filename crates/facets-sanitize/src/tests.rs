use super::*;

/// Hostile inputs and the exact safe output each must become.
const CORPUS: &[(&str, &str)] = &[
    ("<p>hello</p>", "<p>hello</p>"),
    ("<script>alert(1)</script><p>x</p>", "<p>x</p>"),
    ("<p onclick=\"steal()\">hi</p>", "<p>hi</p>"),
    ("<img src=x onerror=alert(1)>", ""),
    ("<a href=\"javascript:alert(1)\">click</a>", "<a rel=\"noopener noreferrer nofollow\">click</a>"),
    ("<a href=\"JaVaScRiPt&#58;alert(1)\">x</a>", "<a rel=\"noopener noreferrer nofollow\">x</a>"),
    ("<a href=\"data:text/html;base64,PHNjcmlwdD4=\">x</a>", "<a rel=\"noopener noreferrer nofollow\">x</a>"),
    ("<a href=\"vbscript:msgbox\">x</a>", "<a rel=\"noopener noreferrer nofollow\">x</a>"),
    ("<a href=\"/relative\">x</a>", "<a rel=\"noopener noreferrer nofollow\">x</a>"),
    (
        "<a href=\"https://ex.social/@ana\" class=\"u-url mention evil\" target=\"_top\" rel=\"me\">@ana</a>",
        "<a href=\"https://ex.social/@ana\" class=\"u-url mention\" rel=\"noopener noreferrer nofollow\">@ana</a>",
    ),
    ("<svg><script>alert(1)</script></svg><p>ok</p>", "<p>ok</p>"),
    ("<svg onload=alert(1)><circle/></svg>", ""),
    ("<style>body{display:none}</style>text", "text"),
    ("<p style=\"position:fixed\">styled</p>", "<p>styled</p>"),
    ("<iframe src=\"https://evil\"></iframe>framed", "framed"),
    ("<form action=\"https://evil\"><input name=p></form>", ""),
    ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("<scr<script>ipt>alert(1)</script>", "ipt&gt;alert(1)"),
    ("<!-- <script>x</script> -->after", "after"),
    ("<p>line<br>break</p>", "<p>line<br>break</p>"),
    (
        "<span class=\"invisible\">https://</span><span class=\"ellipsis\">ex.org</span>",
        "<span class=\"invisible\">https://</span><span class=\"ellipsis\">ex.org</span>",
    ),
    ("<span class=\"h-card\" id=\"x\" data-x=\"y\">c</span>", "<span class=\"h-card\">c</span>"),
    ("<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>", ""),
    ("<b>bold</b> <i>it</i>", "bold it"),
    (
        "<a href=\"https://ex.org\" onmouseover=\"x()\">x</a>",
        "<a href=\"https://ex.org\" rel=\"noopener noreferrer nofollow\">x</a>",
    ),
];

#[test]
fn hostile_corpus_becomes_exactly_the_safe_subset() {
    for (input, expected) in CORPUS {
        assert_eq!(&sanitize_html(input), expected, "input: {input}");
    }
}

#[test]
fn nothing_dangerous_survives_anywhere_in_the_corpus() {
    for (input, _) in CORPUS {
        let out = sanitize_html(input).to_ascii_lowercase();
        for needle in ["<script", "<img", "<svg", "<style", "<iframe", "javascript:", "data:", " on", "style="] {
            assert!(!out.contains(needle), "{needle:?} survived in {out:?} (from {input:?})");
        }
    }
}

#[test]
fn content_warnings_are_plain_text() {
    assert_eq!(plain_text("spoilers <b>ahead</b>\u{0007}\n"), "spoilers <b>ahead</b>\n");
}

#[test]
fn html_to_text_for_search() {
    assert_eq!(html_to_text("<p>Tom &amp; Jerry</p><p>go &lt;3</p>"), "Tom & Jerry\n\ngo <3");
}

#[test]
fn link_targets_keep_web_links_only() {
    let html = r#"<a href="https://a.example/@me" rel="me">me</a> <a href="javascript:alert(1)">x</a>
        <a href="/relative">r</a><a href="HTTP://b.example/">b</a><img src="https://c.example/i.png">"#;
    assert_eq!(link_targets(html), vec!["https://a.example/@me".to_owned(), "HTTP://b.example/".to_owned()]);
    assert!(link_targets("no links <b>here</b>").is_empty());
}

#[test]
fn sanitized_text_reads_the_sanitisers_output_as_html_to_text_does() {
    for (input, _) in CORPUS {
        let safe = sanitize_html(input);
        assert_eq!(sanitized_text(&safe), html_to_text(&safe), "{input:?} → {safe:?}");
    }
    let tricky = sanitize_html(
        "<p>a &amp;lt; b &gt; c &nbsp;d\u{a0}e \"q\" 'x'</p><p><a href=\"https://x.example/?a>b&c=\\\"d\">l&gt;ink</a><br>end",
    );
    assert_eq!(sanitized_text(&tricky), html_to_text(&tricky), "{tricky:?}");
}

mod property {
    use proptest::prelude::*;

    use super::*;

    /// Pieces of hostile HTML: tags the sanitiser keeps and drops, attributes with quotes and
    /// angle brackets, entities, and text with every character that needs escaping.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("<p>".to_owned()),
            Just("</p>".to_owned()),
            Just("<br>".to_owned()),
            Just("<br/>".to_owned()),
            Just("<span class=\"invisible\">".to_owned()),
            Just("</span>".to_owned()),
            Just("</a>".to_owned()),
            Just("<script>".to_owned()),
            Just("<b>".to_owned()),
            Just("<!-- c -->".to_owned()),
            Just("&amp;".to_owned()),
            Just("&lt;".to_owned()),
            Just("&nbsp;".to_owned()),
            Just("&quot;".to_owned()),
            Just("&#39;".to_owned()),
            "[a-z<>&\"' \u{a0}\n]{0,6}",
            "[a-z<>&\"'=/?]{0,10}".prop_map(|href| format!("<a href=\"https://x.example/{href}\" class=\"mention\">")),
            "[a-z<>&\"' ]{0,8}".prop_map(|value| format!("<p title='{value}'>")),
        ]
    }

    proptest! {
        #[test]
        fn sanitized_text_matches_a_full_parse(pieces in prop::collection::vec(piece(), 0..24)) {
            let safe = sanitize_html(&pieces.concat());
            prop_assert_eq!(sanitized_text(&safe), html_to_text(&safe), "{:?}", safe);
        }
    }
}
