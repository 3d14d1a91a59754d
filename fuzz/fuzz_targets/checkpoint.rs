//! Checkpoint bodies: arbitrary text never panics the parser; what parses prints back to the
//! same text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use truce_note::Checkpoint;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(cp) = Checkpoint::parse(text) else {
        return;
    };
    let again = Checkpoint::parse(&cp.to_text()).expect("printed checkpoint parses");
    assert_eq!(again, cp);
});
