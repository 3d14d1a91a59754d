//! Ingest's inputs: a JSON Lines row either becomes a non-empty document named `file:line` or an
//! error naming that line; and any bytes, split into lines, replayed as a log never panic the
//! ledger (bad entries are errors naming their index).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match truce_ingest::input::parse_jsonl_line(Path::new("fuzz.jsonl"), 7, data) {
        Ok(d) => {
            assert!(!d.text.trim().is_empty());
            assert!(!d.text.contains('\0'));
            assert_eq!(d.source, "fuzz.jsonl:7");
        }
        Err(e) => {
            assert_eq!(e.line, Some(7));
            assert!(e.to_string().starts_with("fuzz.jsonl:7: "), "{e}");
        }
    }
    let entries: Vec<Vec<u8>> = data.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    if let Err(e) = truce_ingest::replay_verdicts(entries) {
        assert!(e.to_string().starts_with("log entry "), "{e}");
    }
});
