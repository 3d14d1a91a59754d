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

/// Checks the sentences `prepare` finds in a plain text.
fn check_sentences(cases: &[(&str, &[&str])]) {
    let mut failures = Vec::new();
    for (input, want) in cases {
        let p = prepare(input, Format::Text);
        let got: Vec<&str> = p.sentences.iter().map(|s| p.slice(s.span)).collect();
        if got != *want {
            failures.push(format!("{input:?}\n  want {want:?}\n  got  {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn sentences() {
    check_sentences(&[
        (
            "Gen. Oleksandr Syrskyi visited the front. He met troops.",
            &[
                "Gen. Oleksandr Syrskyi visited the front.",
                "He met troops.",
            ],
        ),
        (
            "The U.S. envoy arrived. Talks began at 10 a.m. The Kremlin said nothing.",
            &[
                "The U.S. envoy arrived.",
                "Talks began at 10 a.m.",
                "The Kremlin said nothing.",
            ],
        ),
        (
            "U.S. President Donald Trump spoke to Mr. Putin for 2.5 hours.",
            &["U.S. President Donald Trump spoke to Mr. Putin for 2.5 hours."],
        ),
        (
            "Residents of St. Petersburg heard blasts. Building No. 5 was hit.",
            &[
                "Residents of St. Petersburg heard blasts.",
                "Building No. 5 was hit.",
            ],
        ),
        (
            "US Vice President J. D. Vance met him. \"Who will police it?\" he asked. \"Nobody.\" She left.",
            &[
                "US Vice President J. D. Vance met him.",
                "\"Who will police it?\" he asked.",
                "\"Nobody.\"",
                "She left.",
            ],
        ),
        (
            "Drones Hit Odesa Port Overnight\nThree people were hurt, officials said.",
            &[
                "Drones Hit Odesa Port Overnight",
                "Three people were hurt, officials said.",
            ],
        ),
        (
            "- Five drones were shot down\n- Two hit a substation",
            &["Five drones were shot down", "Two hit a substation"],
        ),
        (
            "Losses rose by 1.3% in March… Then they fell.",
            &["Losses rose by 1.3% in March…", "Then they fell."],
        ),
        (
            "Росія атакувала Харків. Загинули двоє людей.",
            &["Росія атакувала Харків.", "Загинули двоє людей."],
        ),
    ]);
}

#[test]
fn hard_wrapped_text_joins_lines() {
    let text = "Russian forces struck the city of Kharkiv late on Thursday with\n\
                guided bombs, regional governor Oleh Syniehubov said on his\n\
                Telegram channel, adding that two people were wounded in the\n\
                attack. Emergency crews worked through the night.\n\nSecond paragraph here.\n";
    let p = prepare(text, Format::Text);
    let got: Vec<&str> = p.sentences.iter().map(|s| p.slice(s.span)).collect();
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got[0].starts_with("Russian forces") && got[0].ends_with("in the\nattack."));
    assert_eq!(p.sentences[2].paragraph, 1);
}

#[test]
fn written_clutter() {
    use ClutterKind::*;
    let page = "Drones hit Odesa port\n\
                By Olena Petrenko and John Smith\n\
                Friday 14 March 2025, 10:32 GMT\n\
                5 min read\n\
                \n\
                Russian drones struck port facilities in Odesa overnight, injuring two workers and damaging a grain terminal, the regional governor said on Friday morning.\n\
                Advertisement\n\
                Photo: Port workers clear debris (Reuters)\n\
                The governor said air defences shot down most of the drones.\n\
                Related stories\n\
                Kyiv hit by missiles as talks stall\n\
                What the energy truce covers\n\
                \n\
                Sign up for our daily newsletter to get the latest news.\n\
                We use cookies to improve your experience on our site.\n\
                Follow us on Telegram\n\
                Which side do you blame?\n\
                - Russia\n\
                - Ukraine\n\
                - Don't know\n";
    check_clutter(
        page,
        Format::Text,
        &[
            (Byline, "By Olena Petrenko and John Smith"),
            (Byline, "Friday 14 March 2025, 10:32 GMT"),
            (ReadTime, "5 min read"),
            (Advert, "Advertisement"),
            (Credit, "Photo: Port workers clear debris (Reuters)"),
            (
                Related,
                "Related stories\nKyiv hit by missiles as talks stall\nWhat the energy truce covers",
            ),
            (Newsletter, "Sign up for our daily newsletter"),
            (Cookie, "We use cookies"),
            (Share, "Follow us on Telegram"),
            (
                Poll,
                "Which side do you blame?\n- Russia\n- Ukraine\n- Don't know",
            ),
        ],
    );
    let p = prepare(page, Format::Text);
    let got: Vec<&str> = p.sentences.iter().map(|s| p.slice(s.span)).collect();
    assert_eq!(
        got,
        [
            "Drones hit Odesa port",
            "Russian drones struck port facilities in Odesa overnight, injuring two workers and damaging a grain terminal, the regional governor said on Friday morning.",
            "The governor said air defences shot down most of the drones.",
        ]
    );
}

#[test]
fn questions_and_lists_are_not_polls() {
    let text = "Who will police the truce?\n\
                Monitors from several countries have offered to help, diplomats said.\n\
                What did the sides agree?\n\
                - A halt to strikes on energy sites\n\
                - An exchange of prisoners\n";
    let p = prepare(text, Format::Text);
    assert!(p.boilerplate.is_empty(), "{:?}", p.boilerplate);
    assert_eq!(p.sentences.len(), 5);
}

/// Checks the visible text of an HTML page and that sentences map back onto the input.
fn check_html(input: &str, want_text: &str) {
    let p = prepare(input, Format::Html);
    assert_eq!(p.text, want_text, "visible text of {input:?}");
    for s in &p.sentences {
        let back = p.input_span(s.span);
        assert!(input.is_char_boundary(back.start) && input.is_char_boundary(back.end));
        let raw = &input[back.start..back.end];
        let first = p.slice(s.span).split_whitespace().next().unwrap_or("");
        assert!(
            raw.starts_with(first),
            "sentence {:?} maps to {raw:?}",
            p.slice(s.span)
        );
    }
}

#[test]
fn html() {
    check_html(
        "<!DOCTYPE html><html><head><title>T</title><script>var a = \"<p>x</p>\";</script></head>\
         <body><nav><a href=\"/\">Home</a></nav><header>Site name</header><article><h1>Drones hit Sumy</h1>\
         <p>Two people were   injured &amp; three\nhomes damaged.</p><p>Officials said&nbsp;so &mdash; late.</p>\
         <aside>Most read</aside><form><input name=q><button>Search</button></form></article>\
         <footer>&copy; 2025</footer></body></html>",
        "Drones hit Sumy\nTwo people were injured & three homes damaged.\nOfficials said so — late.",
    );
    check_html(
        "<div>Kyiv<br>Kharkiv<br/>Odesa</div><style>p{}</style><!-- a <p>comment</p> -->",
        "Kyiv\nKharkiv\nOdesa",
    );
    check_html(
        "<p>5 &lt; 7 &#8212; &#x41;&#0; &bogus; & done</p>",
        "5 < 7 — A\u{fffd} &bogus; & done",
    );
    // An article header keeps its headline; a page header does not.
    check_html(
        "<header>Site</header><article><header><h1>Headline</h1></header><p>Body.</p></article>",
        "Headline\nBody.",
    );
}

#[test]
fn html_class_names_mark_clutter() {
    use ClutterKind::*;
    let page = "<html><body><div class=\"top-nav\"><a href=/>News</a> <a href=/w>World</a></div>\
        <article><header class=\"article-header\"><h1>Drone hits Kherson market</h1></header>\
        <div class=\"post-meta\"><span>By Staff</span> <span>3 March 2025</span></div>\
        <p>A Russian drone struck a market in Kherson on Monday, injuring four people, the regional governor said.</p>\
        <div class=\"share_bar\">Share on X</div>\
        <div class=\"poll-widget\"><h4>Should talks go on?</h4><label>Yes</label><label>No</label></div>\
        <ul class=\"related\"><li>Strike on Odesa port kills two</li><li>Kyiv hit overnight</li></ul>\
        <p>Repairs began in the afternoon.</p></article>\
        <div id=\"footer\">About us · Contacts</div></body></html>";
    check_clutter(
        page,
        Format::Html,
        &[
            (Nav, "News World"),
            (Byline, "By Staff 3 March 2025"),
            (Share, "Share on X"),
            (Poll, "Should talks go on?\nYes No"),
            (
                Related,
                "Strike on Odesa port kills two\nKyiv hit overnight",
            ),
            (Nav, "About us · Contacts"),
        ],
    );
    let p = prepare(page, Format::Html);
    let got: Vec<&str> = p.sentences.iter().map(|s| p.slice(s.span)).collect();
    assert_eq!(
        got,
        [
            "Drone hits Kherson market",
            "A Russian drone struck a market in Kherson on Monday, injuring four people, the regional governor said.",
            "Repairs began in the afternoon.",
        ]
    );
}

#[test]
fn telegram_tags_and_meta_lines() {
    use ClutterKind::*;
    let post = "💥 #Zaporizhzhia\n\
                12.04.2025, 09:15 · Views: 2,120\n\
                The enemy struck the regional centre with guided bombs this morning. Two houses were damaged.\n\
                #Zaporizhzhia #Shelling\n";
    check_clutter(
        post,
        Format::Text,
        &[
            (Byline, "12.04.2025, 09:15 · Views: 2,120"),
            (Related, "#Zaporizhzhia #Shelling"),
        ],
    );
    let p = prepare(post, Format::Text);
    assert_eq!(
        p.slice(p.sentences[0].span),
        "💥 #Zaporizhzhia",
        "a hashtag heading stays content"
    );
}

#[test]
fn wire_datelines_stay_content() {
    // A wire lead names its agency in the dateline; only photo credits are clutter.
    let text = "KYIV, April 24 (Reuters) - Russian missiles and drones hit Kyiv overnight, killing at least nine people.\n\
                ODESA, Ukraine (AP) — A drone struck a port warehouse on Friday, the governor said.\n\
                Firefighters at the scene in Kyiv. REUTERS/Alina Smutko\n";
    let p = prepare(text, Format::Text);
    let got: Vec<&str> = p.sentences.iter().map(|s| p.slice(s.span)).collect();
    assert_eq!(got.len(), 2, "{got:?} {:?}", p.boilerplate_kinds);
    assert!(got[0].starts_with("KYIV, April 24 (Reuters)"), "{got:?}");
    assert_eq!(p.boilerplate.len(), 1, "{:?}", p.boilerplate_kinds);
}

#[test]
fn headlines_that_start_like_clutter_stay_content() {
    let text = "Poll: most Ukrainians reject territorial concessions\n\
                TOP STORIES ON RUSSIAN STATE TV TONIGHT\n\
                10:48 BST\n\
                Two missiles hit the city centre this morning, officials said, and rescuers are at the scene.\n";
    let p = prepare(text, Format::Text);
    assert!(p.boilerplate.is_empty(), "{:?}", p.boilerplate_kinds);
    assert_eq!(p.sentences.len(), 4);
}

#[test]
fn unclosed_markup_gets_a_diagnostic_and_keeps_text() {
    let p = prepare("<p>Strike on Kherson.<nav>menu <p>More text.", Format::Html);
    assert!(p.text.contains("Strike on Kherson."));
    assert!(p.text.contains("More text."), "{:?}", p.text);
    assert!(
        p.diagnostics
            .iter()
            .any(|d| d.message.contains("never closed"))
    );
    let p = prepare("<p>Text</p><script>for(;;){}", Format::Html);
    assert_eq!(p.text, "Text");
    assert!(p.diagnostics.iter().any(|d| d.message.contains("<script>")));
}

/// A small deterministic generator (xorshift) for the random-input property test.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

fn check_invariants(input: &str, format: Format) {
    let p = prepare(input, format);
    let t = &p.text;
    let ok_span = |s: truce_text::Span| {
        s.start <= s.end
            && s.end <= t.len()
            && t.is_char_boundary(s.start)
            && t.is_char_boundary(s.end)
    };
    let mut last = 0;
    for b in &p.boilerplate {
        assert!(
            ok_span(*b) && b.start >= last,
            "boilerplate {b:?} in {input:?}"
        );
        last = b.end;
    }
    assert_eq!(p.boilerplate.len(), p.boilerplate_kinds.len());
    let mut last = 0;
    for s in &p.sentences {
        assert!(
            ok_span(s.span) && s.span.start >= last && !s.span.is_empty(),
            "sentence {s:?} in {input:?}"
        );
        assert!(
            !p.is_boilerplate(s.span),
            "sentence {s:?} overlaps clutter in {input:?}"
        );
        last = s.span.end;
        let back = p.input_span(s.span);
        assert!(
            back.end <= input.len()
                && input.is_char_boundary(back.start)
                && input.is_char_boundary(back.end)
        );
    }
    if format == Format::Text {
        assert_eq!(p.text, input);
    }
}

#[test]
fn random_inputs_keep_invariants() {
    let pieces = [
        "a",
        "Kyiv",
        " ",
        "  ",
        "\n",
        "\n\n",
        ".",
        "!",
        "?",
        "…",
        "\"",
        "“",
        "”",
        "’",
        "-",
        "- ",
        "U.S.",
        "Mr.",
        "No.",
        "3",
        "3.5",
        "é",
        "Харків",
        "😀",
        "<",
        ">",
        "</",
        "<p>",
        "</p>",
        "<br>",
        "<script>",
        "</script>",
        "<!--",
        "-->",
        "&",
        "&amp;",
        "&#",
        "&#x1F600;",
        "&#99999999;",
        ";",
        "<div class=\"a\">",
        "<nav>",
        "</nav>",
        "<header>",
        "<article>",
        "'",
        "=",
        "Yes",
        "Comments",
        "Share",
        "By Jane Doe",
        "Photo:",
        "Read more",
        "\t",
        "\r\n",
        "\u{a0}",
        "\u{0}",
        "<![CDATA[",
        "]]>",
        "<!DOCTYPE html>",
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..3000 {
        let n = (rng.next() % 60) as usize;
        let s: String = (0..n).map(|_| rng.pick(&pieces)).collect();
        check_invariants(&s, Format::Text);
        check_invariants(&s, Format::Html);
        check_invariants(&s, sniff(&s));
    }
}

#[test]
fn seeds_keep_invariants_and_offsets() {
    for name in [
        "000_0957932e3aca683a.txt",
        "001_a01b8e9902762f40.txt",
        "002_a5aa5458dad75b43.txt",
    ] {
        let text = seed(name);
        assert_eq!(sniff(&text), Format::Text);
        check_invariants(&text, Format::Text);
        let p = prepare(&text, Format::Text);
        assert!(
            p.sentences.len() > 20,
            "{name}: {} sentences",
            p.sentences.len()
        );
        assert_eq!(p.to_input(10), 10);
    }
}

#[test]
fn custom_rules_and_errors() {
    use truce_text::{Preparer, Rules};
    let rules = Rules::from_tsv("advert\tline\tbuy now\n", "title\tgen\n").unwrap();
    let p = Preparer::with_rules(rules).prepare("Buy now!\nGen. Smith spoke.", Format::Text);
    assert_eq!(p.boilerplate_kinds, [ClutterKind::Advert]);
    assert_eq!(p.sentences.len(), 1);
    let e = Rules::from_tsv("# header\nadvert\tsomewhere\tx\n", "").unwrap_err();
    assert_eq!((e.file.as_str(), e.line), ("patterns", 2));
    assert!(e.to_string().contains("unknown match"), "{e}");
    let e = Rules::from_tsv("", "title\n").unwrap_err();
    assert_eq!((e.file.as_str(), e.line), ("abbreviations", 1));
}
