//! truce-ingest's integration tests: reading inputs (this file), and the pipeline end to end.

#[path = "ingest/export.rs"]
mod export;
#[path = "ingest/pipeline.rs"]
mod pipeline;
#[path = "ingest/replay.rs"]
mod replay;

use std::path::{Path, PathBuf};

use truce_ingest::{Reader, input};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Reads `paths` and renders each result as one line: `ok SOURCE FORMAT PUBLISHED` or `err MESSAGE`
/// (paths relative to `dir`).
fn check(dir: &Path, paths: &[PathBuf], want: &[&str]) {
    let got: Vec<String> = Reader::new(paths)
        .map(|r| match r {
            Ok(d) => format!(
                "ok {} {} {}",
                d.source.replace(&format!("{}/", dir.display()), ""),
                d.format_name(),
                d.published
                    .map(|p| p.to_string())
                    .unwrap_or_else(|| "-".into())
            ),
            Err(e) => format!(
                "err {}",
                e.to_string().replace(&format!("{}/", dir.display()), "")
            ),
        })
        .collect();
    assert_eq!(got, want, "\n got: {got:#?}");
}

#[test]
fn folders_are_walked_in_order_with_sidecars() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    write(d, "b/2.txt", b"Shelling hit Kherson on 3 April.");
    write(
        d,
        "b/2.meta.json",
        br#"{"published": "2025-04-04", "language": "en"}"#,
    );
    write(
        d,
        "a.html",
        b"<html><body><p>A drone hit a substation.</p></body></html>",
    );
    write(d, "b/1.md", b"Notes.");
    write(d, "b/ignored.png", b"\x89PNG");
    write(d, "b/gold.jsonl", b"{\"id\": \"001\"}");
    check(
        d,
        &[d.to_path_buf()],
        &[
            "ok a.html html -",
            "ok b/1.md text -",
            "ok b/2.txt text 2025-04-04",
        ],
    );
}

#[test]
fn a_jsonl_line_that_is_not_json_is_reported_and_the_rest_ingested() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let p = write(
        d,
        "feed.jsonl",
        b"{\"text\": \"First report.\", \"published\": \"2025-03-18\"}\n\
          this is not json\n\
          \n\
          {\"text\": \"\"}\n\
          {\"url\": \"https://example.org\"}\n\
          {\"text\": \"Second.\", \"published\": \"18 March\"}\n\
          {\"text\": \"<html><body>Third.</body></html>\", \"url\": \"https://example.org/3\"}\n\
          {\"text\": 5}\n\
          {\"text\": \"Fourth.\", \"published\": 20250318}\n\
          [\"text\"]\n",
    );
    check(
        d,
        &[p],
        &[
            "ok feed.jsonl:1 jsonl 2025-03-18",
            "err feed.jsonl:2: not JSON: expected ident at line 1 column 2",
            "err feed.jsonl:4: empty document",
            "err feed.jsonl:5: field `text` is missing",
            "err feed.jsonl:6: field published: \"18 March\" is not a date (YYYY-MM-DD)",
            "ok feed.jsonl:7 jsonl -",
            "err feed.jsonl:8: field `text`: expected a string, found a number",
            "err feed.jsonl:9: field `published`: expected a string, found a number",
            "err feed.jsonl:10: not a document object: a JSON array",
        ],
    );
}

#[test]
fn bad_files_get_clear_errors_and_do_not_stop_the_rest() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let empty = write(d, "empty.txt", b"");
    let blank = write(d, "blank.txt", b" \n\t\n");
    let binary = write(d, "binary.txt", b"GIF89a\x00\x01\x02");
    let latin1 = write(d, "latin1.txt", b"Kharkiv \xe9t\xe9");
    let good = write(d, "good.txt", b"A missile struck Odesa.");
    let bad_side = write(d, "side.txt", b"Text with a broken sidecar.");
    write(d, "side.meta.json", b"{published: 1}");
    let missing = d.join("missing.txt");
    check(
        d,
        &[empty, blank, binary, latin1, missing, bad_side, good],
        &[
            "err empty.txt: empty document",
            "err blank.txt: empty document",
            "err binary.txt: binary data (NUL byte at offset 6), not text",
            "err latin1.txt: invalid UTF-8 at byte 8",
            "err missing.txt: cannot read: No such file or directory (os error 2)",
            "err side.meta.json: bad sidecar: not JSON: key must be a string at line 1 column 2",
            "ok good.txt text -",
        ],
    );
}

#[test]
fn huge_files_are_refused_without_reading_them_whole() {
    let t = tempfile::tempdir().unwrap();
    let p = t.path().join("huge.txt");
    let f = std::fs::File::create(&p).unwrap();
    f.set_len(input::MAX_DOCUMENT_BYTES as u64 + 10).unwrap();
    let r = input::read_file(&p).unwrap_err();
    assert!(r.message.contains("exceeds the limit"), "{r}");
}

#[test]
fn outlets_come_from_sidecars_and_jsonl_lines() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    write(d, "a.txt", b"Shelling hit Kherson on 3 April.");
    write(
        d,
        "a.meta.json",
        br#"{"outlet": "Kyiv Daily Courier", "outlet_kind": "newspaper"}"#,
    );
    write(d, "b.txt", b"A drone hit a substation.");
    write(
        d,
        "c.jsonl",
        b"{\"text\": \"A strike on Sumy.\", \"outlet\": \"Europe Now live\"}\n{\"text\": \"A strike on Odesa.\", \"outlet\": \" \"}\n",
    );
    let got: Vec<Option<String>> = Reader::new(&[d.to_path_buf()])
        .map(|r| r.unwrap().outlet)
        .collect();
    assert_eq!(
        got,
        [
            Some("Kyiv Daily Courier".to_string()),
            None,
            Some("Europe Now live".to_string()),
            None
        ]
    );
}
