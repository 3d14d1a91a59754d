//! Fuzzes truce-text: any bytes (as lossy UTF-8) through sniff and prepare in both formats;
//! spans must be sorted, non-overlapping, on char boundaries, and map back into the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use truce_text::{Format, prepare, sniff};

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    for format in [Format::Text, Format::Html, sniff(&input)] {
        let p = prepare(&input, format);
        let t = &p.text;
        let mut last = 0;
        for s in p.boilerplate.iter().chain(p.sentences.iter().map(|s| &s.span)) {
            assert!(s.start <= s.end && s.end <= t.len());
            assert!(t.is_char_boundary(s.start) && t.is_char_boundary(s.end));
            let back = p.input_span(*s);
            assert!(back.start <= back.end && back.end <= input.len());
            assert!(input.is_char_boundary(back.start) && input.is_char_boundary(back.end));
        }
        for s in &p.sentences {
            assert!(s.span.start >= last);
            last = s.span.end;
        }
        if format == Format::Text {
            assert_eq!(*t, *input);
        }
    }
});
