//! Agreement files: arbitrary text never panics the parser; every error names the file, a line
//! inside the text and a field; what parses has sorted windows, a valid in-force set and
//! positions only of listed parties.
#![no_main]

use libfuzzer_sys::fuzz_target;
use truce_agreements::parse_agreement;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match parse_agreement("fuzz.toml", text) {
        Err(errors) => {
            assert!(!errors.is_empty());
            let lines = text.matches('\n').count() + 1;
            for e in errors {
                assert_eq!(e.file, "fuzz.toml");
                assert!(e.line >= 1 && e.line <= lines, "{e}");
                assert!(!e.field.is_empty(), "{e}");
            }
        }
        Ok(a) => {
            assert!(!a.windows.is_empty());
            for w in a.windows.windows(2) {
                assert!(w[0].start < w[1].start);
            }
            for p in &a.positions {
                assert!(a.parties.contains(&p.party) || a.mediators.contains(&p.party));
            }
            for i in a.in_force_intervals() {
                assert!(i.start < i.end);
            }
        }
    }
});
