//! Integration tests for truce-text (one binary; data-driven check helpers).

use truce_text::{ClutterKind, Format, prepare, sniff};

fn seed(name: &str) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/seeds/");
    std::fs::read_to_string(format!("{dir}{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Checks that each expected clutter snippet is covered by a boilerplate span of that kind.
fn check_clutter(input: &str, format: Format, expected: &[(ClutterKind, &str)]) {
    let p = prepare(input, format);
    for (kind, snippet) in expected {
        let at = p
            .text
            .find(snippet)
            .unwrap_or_else(|| panic!("snippet {snippet:?} not in text"));
        let span = truce_text::Span::new(at, at + snippet.len());
        let hit = p
            .boilerplate
            .iter()
            .zip(&p.boilerplate_kinds)
            .find(|(b, _)| b.contains(span));
        match hit {
            Some((_, k)) => assert_eq!(k, kind, "{snippet:?}"),
            None => panic!("{snippet:?} is not boilerplate; found {:?}", p.boilerplate),
        }
        assert!(
            !p.sentences.iter().any(|s| s.span.overlaps(span)),
            "{snippet:?} overlaps a content sentence"
        );
    }
}

#[test]
fn seed_clutter() {
    use ClutterKind::*;
    check_clutter(
        &seed("000_0957932e3aca683a.txt"),
        Format::Text,
        &[
            (Video, "To view this video please enable JavaScript"),
            (Video, "supports HTML5\nvideo"),
            (Poll, "Do you agree that Putin is humiliating Trump?"),
            (Poll, "- Not sure"),
            (Contact, "Get in touch by emailing"),
            (Share, "Share your views in the comments below."),
        ],
    );
    check_clutter(
        &seed("001_a01b8e9902762f40.txt"),
        Format::Text,
        &[(Licence, "This article is republished from The Conversation")],
    );
    check_clutter(
        &seed("002_a5aa5458dad75b43.txt"),
        Format::Text,
        &[
            (Byline, "- C MONEY"),
            (Byline, "- Mar 14"),
            (ReadTime, "3 min read"),
            (Share, "Comments"),
        ],
    );
}

#[test]
fn sniffs_formats() {
    assert_eq!(
        sniff("<!DOCTYPE html><html><body><p>Hi</p></body></html>"),
        Format::Html
    );
    assert_eq!(sniff("<p>One</p><p>Two</p>"), Format::Html);
    assert_eq!(sniff("Russia fired 5 < 7 missiles at Kyiv."), Format::Text);
}
