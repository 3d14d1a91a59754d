//! truce-note: the signed-note spec's example, a checkpoint signed by another implementation
//! (Tessera's test log), cosignatures, and malformed inputs.

use proptest::prelude::*;
use truce_note::*;

/// Example from C2SP signed-note (§Verifier keys, Example).
const SPEC_VKEY: &str = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
const SPEC_NOTE: &str = "This is an example message.\n\n\u{2014} example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

/// Keys and checkpoint of Tessera's test log (see ../truce-tlog/tests/data/SOURCE.md).
const TESSERA_VKEY: &str =
    "example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx";
const TESSERA_SKEY: &str =
    "PRIVATE+KEY+example.com/log/testdata+33d7b496+AeymY/SZAX0jZcJ8enZ5FY1Dz+wTML2yWSkK+9DSF3eg";
const TESSERA_CHECKPOINT: &str = "example.com/log/testdata\n15\nrKbDipCvhuX1GZ7g5BBe8sA6BbJ7ja/1nk427v383cs=\n\n\u{2014} example.com/log/testdata M9e0luh4jTG+UMBqOUo9/q+yAEvx1ilBEniMvjf1zfcBOhg+CKubMt53MvIt/uEWP6zdkdIQzd/fmwlM/dlPWF74ewI=\n";

/// Checks that `input` is rejected with an error containing `want`.
fn check_rejects(input: &[u8], verifiers: &[Verifier], want: &str) {
    match Note::open(input, verifiers) {
        Ok(_) => panic!("accepted {:?}", String::from_utf8_lossy(input)),
        Err(e) => assert!(e.to_string().contains(want), "{e} lacks {want:?}"),
    }
}

#[test]
fn spec_example_verifies() {
    let v = Verifier::parse(SPEC_VKEY).unwrap();
    assert_eq!(v.to_string(), SPEC_VKEY);
    assert_eq!(v.id(), 0x530d903a);
    let n = Note::open(SPEC_NOTE.as_bytes(), std::slice::from_ref(&v)).unwrap();
    assert_eq!(n.note.text, "This is an example message.\n");
    assert_eq!(n.note.to_text(), SPEC_NOTE);
    // One flipped character of the text breaks it.
    let bad = SPEC_NOTE.replace("example message", "example messagf");
    check_rejects(bad.as_bytes(), &[v], "does not verify");
}

#[test]
fn tessera_checkpoint_and_key() {
    let v = Verifier::parse(TESSERA_VKEY).unwrap();
    let s = Signer::parse(TESSERA_SKEY).unwrap();
    assert_eq!(s.verifier(), v);
    assert_eq!(s.to_private_text(), TESSERA_SKEY);
    let n = Note::open(TESSERA_CHECKPOINT.as_bytes(), std::slice::from_ref(&v)).unwrap();
    let cp = Checkpoint::parse(&n.note.text).unwrap();
    assert_eq!(
        (cp.origin.as_str(), cp.size),
        ("example.com/log/testdata", 15)
    );
    assert_eq!(cp.to_text(), n.note.text);
    // Ed25519 is deterministic: truce's signature over the same text is byte-identical.
    let ours = Note::sign(&n.note.text, &[&s], 0).unwrap();
    assert_eq!(ours.to_text(), TESSERA_CHECKPOINT);
}

#[test]
fn unknown_keys_are_ignored_known_bad_ones_reject() {
    let log = Signer::from_seed("log.example/a", SigType::Ed25519, &[1; 32]).unwrap();
    let other = Signer::from_seed("log.example/b", SigType::Ed25519, &[2; 32]).unwrap();
    let same_name = Signer::from_seed("log.example/a", SigType::Ed25519, &[3; 32]).unwrap();
    let text = "log.example/a\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
    let note = Note::sign(text, &[&other, &same_name, &log], 0)
        .unwrap()
        .to_text();
    let v = Note::open(note.as_bytes(), &[log.verifier()]).unwrap();
    assert_eq!(v.verified, vec![(2, None)]);
    check_rejects(note.as_bytes(), &[], "no signature by a known key");
    // A known key whose signature fails rejects the whole note.
    let mut forged = Note::parse(note.as_bytes()).unwrap();
    forged.signatures[2].sig[0] ^= 1;
    check_rejects(
        forged.to_text().as_bytes(),
        &[log.verifier()],
        "does not verify",
    );
}

#[test]
fn cosignatures() {
    let w = Signer::from_seed("witness.example/w1", SigType::CosignatureV1, &[9; 32]).unwrap();
    let vk = w.verifier();
    let vtext = vk.to_string();
    assert!(vtext.starts_with("witness.example/w1+"));
    assert_eq!(Verifier::parse(&vtext).unwrap(), vk);
    let mut note = Note::parse(TESSERA_CHECKPOINT.as_bytes()).unwrap();
    note.add_signature(&w, 1_679_315_147).unwrap();
    let text = note.to_text();
    let v = Note::open(text.as_bytes(), std::slice::from_ref(&vk)).unwrap();
    assert_eq!(v.verified, vec![(1, Some(1_679_315_147))]);
    // The cosignature signs "cosignature/v1\ntime T\n" + text: a different time breaks it.
    let mut bad = Note::parse(text.as_bytes()).unwrap();
    bad.signatures[1].sig[7] ^= 1;
    check_rejects(
        bad.to_text().as_bytes(),
        std::slice::from_ref(&vk),
        "does not verify",
    );
    // The same key as a plain Ed25519 key has another ID, so it does not match.
    let plain = Verifier::new("witness.example/w1", SigType::Ed25519, &vk.public_key()).unwrap();
    assert_ne!(plain.id(), vk.id());
    check_rejects(text.as_bytes(), &[plain], "no signature by a known key");
}

#[test]
fn keys_split_on_the_first_two_plus_signs() {
    // The base64 key of the spec example contains no '+', Tessera's does.
    assert!(TESSERA_VKEY.matches('+').count() > 2);
    assert!(Verifier::parse(TESSERA_VKEY).is_ok());
    for (bad, want) in [
        ("example.com/foo", "found no '+'"),
        ("example.com/foo+530d903a", "found one '+'"),
        (
            "example.com/foo+530D903A+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
            "8 lowercase hex",
        ),
        (
            "example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
            "does not match",
        ),
        (
            "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2",
            "base64",
        ),
        (
            "example.com/foo+530d903a+BekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
            "type",
        ),
        (
            "+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
            "empty",
        ),
        (
            "example com+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
            "space",
        ),
    ] {
        let e = Verifier::parse(bad).unwrap_err().to_string();
        assert!(e.contains(want), "{bad}: {e}");
    }
    assert!(Signer::parse("PRIVATE+KEY+x+00000000+AA==").is_err());
    assert!(Signer::parse(TESSERA_VKEY).is_err());
    let g = Signer::generate("log.example/new", SigType::Ed25519).unwrap();
    assert_eq!(
        Signer::parse(&g.to_private_text()).unwrap().verifier(),
        g.verifier()
    );
}

#[test]
fn malformed_notes_and_checkpoints() {
    let v = [Verifier::parse(SPEC_VKEY).unwrap()];
    for (input, want) in [
        (&b"no newline"[..], "newline"),
        (b"text\n", "no blank line"),
        (b"text\n\n", "no signature lines"),
        (b"text\n\nnot a signature\n", "line 3"),
        (b"text\n\n\xe2\x80\x94 name !!!\n", "base64"),
        (b"text\n\n\xe2\x80\x94 name AAAA\n", "fewer than"),
        (
            b"te\x01xt\n\n\xe2\x80\x94 a AAAAAAA=\n",
            "line 1: control character U+0001",
        ),
        (b"\xff\n\n", "UTF-8"),
    ] {
        check_rejects(input, &v, want);
    }
    for (text, want) in [
        ("o\n1\n", "at least 3"),
        (
            "\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
            "line 1 (origin)",
        ),
        (
            "o\n01\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
            "line 2 (size)",
        ),
        (
            "o\n-1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
            "line 2 (size)",
        ),
        (
            "o\n99999999999999999999\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
            "64 bits",
        ),
        ("o\n1\nAAAA\n", "line 3 (root): 3 bytes"),
        (
            "o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n",
            "line 4 (extension)",
        ),
        (
            "o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            "newline",
        ),
    ] {
        let e = Checkpoint::parse(text).unwrap_err().to_string();
        assert!(e.contains(want), "{text:?}: {e}");
    }
    let cp =
        Checkpoint::parse("o\n0\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\next a\n").unwrap();
    assert_eq!(cp.extensions, vec!["ext a"]);
    let s = Signer::from_seed("n", SigType::Ed25519, &[0; 32]).unwrap();
    assert!(Note::sign("a\n\nb\n", &[&s], 0).is_err());
    assert!(Note::sign("no newline", &[&s], 0).is_err());
}

proptest! {
    /// Random bytes never panic the parsers; random signed texts round-trip.
    #[test]
    fn random_inputs(bytes in proptest::collection::vec(any::<u8>(), 0..300), text in "[a-z0-9./ ]{1,40}") {
        let _ = Note::parse(&bytes);
        let _ = Checkpoint::parse(&String::from_utf8_lossy(&bytes));
        let _ = Verifier::parse(&String::from_utf8_lossy(&bytes));
        let s = Signer::from_seed("k.example", SigType::Ed25519, &[5; 32]).unwrap();
        let note = Note::sign(&format!("{text}\n"), &[&s], 0).unwrap();
        let back = Note::open(note.to_text().as_bytes(), &[s.verifier()]).unwrap();
        prop_assert_eq!(back.note, note);
    }
}
