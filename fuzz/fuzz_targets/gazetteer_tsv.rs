//! Fuzzes truce-gazetteer: any bytes (as lossy UTF-8) as a user's gazetteer TSV, and as a text
//! to find mentions in. Errors are fine; panics are bugs.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use truce_gazetteer::{Context, Gazetteer, MentionKind};

static EMBEDDED: LazyLock<Gazetteer> = LazyLock::new(Gazetteer::embedded);

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let header = "geonameid\tname\tlat\tlon\tcountry\tadmin1_code\tpopulation\n";
    for tsv in [input.to_string(), format!("{header}{input}")] {
        if let Ok(g) = Gazetteer::from_tsv(&tsv) {
            for p in g.places() {
                let _ = g.lookup_place(&p.name);
            }
        }
    }
    let g = &*EMBEDDED;
    for m in g.find_mentions(&input) {
        assert!(m.span.start < m.span.end && m.span.end <= input.len());
        assert!(input.is_char_boundary(m.span.start) && input.is_char_boundary(m.span.end));
        if let MentionKind::Place(c) = &m.kind {
            let _ = g.resolve(c, &Context::default());
        }
    }
    let _ = g.lookup_place(&input);
    let _ = g.lookup_region(&input);
});
