//! Signed notes: parsing and verification of arbitrary bytes never panic; a parsed note
//! re-serialises to a note that parses to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use truce_note::{Note, Verifier};

fuzz_target!(|data: &[u8]| {
    let Ok(note) = Note::parse(data) else { return };
    let again = Note::parse(note.to_text().as_bytes()).expect("re-serialised note parses");
    assert_eq!(again, note);
    let v =
        Verifier::parse("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")
            .expect("fixed key");
    let _ = note.verify(&[v]);
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = Verifier::parse(s);
        let _ = truce_note::Signer::parse(s);
    }
});
