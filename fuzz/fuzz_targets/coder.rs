//! Fuzzes the coder end to end: any bytes (as lossy UTF-8), as text and as HTML, with and
//! without a publication date. Nothing may panic; every evidence span must lie inside the
//! input on char boundaries and hold the text it claims; the document id is the input's hash.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use truce_coder::{Coder, Format, Input};
use truce_gazetteer::Gazetteer;
use truce_lexicon::Lexicon;
use truce_model::NaiveDate;

static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(Gazetteer::embedded);
static LEXICON: LazyLock<Lexicon> = LazyLock::new(Lexicon::embedded);

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let coder = Coder::new(&GAZETTEER, &LEXICON);
    for (format, published) in [
        (Format::Text, NaiveDate::from_ymd_opt(2025, 3, 14)),
        (Format::Html, NaiveDate::from_ymd_opt(2025, 1, 1)),
        (Format::Text, None),
    ] {
        let d = coder.code(&Input {
            text: &input,
            published,
            format: Some(format),
            ..Input::default()
        });
        assert_eq!(d.document.id.len(), 64);
        let spans = d
            .incidents
            .iter()
            .map(|i| &i.evidence)
            .chain(d.statements.iter().map(|s| &s.evidence));
        for e in spans {
            assert!(e.span.start <= e.span.end && e.span.end <= input.len());
            assert!(input.is_char_boundary(e.span.start) && input.is_char_boundary(e.span.end));
            assert_eq!(&input[e.span.start..e.span.end], e.text);
        }
        for b in &d.document.boilerplate {
            assert!(b.start <= b.end && b.end <= input.len());
        }
    }
});
