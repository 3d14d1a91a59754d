//! `truce extract PATH... [--published YYYY-MM-DD] [--format json|jsonl|table] [--lexicon DIR]`:
//! codes texts into Contract 1 records. Each bad file gets a message naming it (and the sidecar
//! field) on stderr; the other files are still coded; the exit code is non-zero at the end.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, anyhow, bail};
use chrono::NaiveDate;
use truce_coder::{Coder, Format, Input};
use truce_gazetteer::Gazetteer;
use truce_lexicon::Lexicon;
use truce_model::CodedDocument;
use truce_wire::record::Record;

/// Files larger than this are refused (their size is read before their contents).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutFormat {
    Json,
    Jsonl,
    Table,
}

#[derive(clap::Args)]
pub struct Args {
    /// Text or HTML files, or folders (walked, sorted). A NAME.meta.json sidecar beside
    /// NAME.txt / NAME.html gives `published` (and optionally `language`, `url`).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Publication date (YYYY-MM-DD); overrides the sidecars.
    #[arg(long)]
    pub published: Option<String>,
    /// Output: one pretty JSON object (an array for several files), JSON Lines, or a table.
    #[arg(long, value_enum, default_value = "json")]
    pub format: OutFormat,
    /// A folder of extra dictionary files (*.toml, same schema as data/lexicon/).
    #[arg(long)]
    pub lexicon: Option<PathBuf>,
}

/// Parses a `YYYY-MM-DD` date, naming what it was for when it is not a real day.
pub fn parse_date(s: &str, what: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| anyhow!("{what}: {s:?} is not a valid date (YYYY-MM-DD)"))
}

/// Loads the embedded lexicon, extended with every `*.toml` in `dir`.
pub fn load_lexicon(dir: Option<&Path>) -> anyhow::Result<Lexicon> {
    let base = Lexicon::embedded();
    let Some(dir) = dir else { return Ok(base) };
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("{}: cannot read lexicon folder", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!(
            "{}: no *.toml dictionary files in the lexicon folder",
            dir.display()
        );
    }
    let mut contents = Vec::new();
    for f in &files {
        let s = fs::read_to_string(f).with_context(|| format!("{}: cannot read", f.display()))?;
        contents.push((f.display().to_string(), s));
    }
    let refs: Vec<(&str, &str)> = contents
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let extra = Lexicon::parse(&refs).map_err(|e| anyhow!("{e}"))?;
    Ok(base.extend(extra))
}

/// Whether a path is a text the coder reads.
fn is_text(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    !name.ends_with(".meta.json")
        && p.extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| matches!(x.to_ascii_lowercase().as_str(), "txt" | "html" | "htm"))
}

/// Expands folders (recursively, sorted); files named on the command line are kept as given.
pub fn expand(paths: &[PathBuf], errors: &mut Vec<String>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found, errors);
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<String>) {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(format!("{}: cannot read folder: {e}", dir.display()));
            return;
        }
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out, errors);
        } else if is_text(&p) {
            out.push(p);
        }
    }
}

/// A text read and checked: contents, format and sidecar metadata.
pub struct Loaded {
    pub text: String,
    pub format: Format,
    pub published: Option<NaiveDate>,
    pub language: Option<String>,
    pub url: Option<String>,
    /// Who published it (the sidecar's `outlet`), for telling independent sources apart.
    pub outlet: Option<String>,
}

/// What a sidecar says of its text.
#[derive(Debug, Default)]
pub struct Sidecar {
    pub published: Option<NaiveDate>,
    pub language: Option<String>,
    pub url: Option<String>,
    pub outlet: Option<String>,
}

/// Reads a file's text: refuses missing, oversized, empty, binary and non-UTF-8 files with a
/// message naming the file.
pub fn read_text(path: &Path) -> anyhow::Result<String> {
    let shown = path.display();
    let meta = fs::metadata(path).map_err(|e| anyhow!("{shown}: cannot read: {e}"))?;
    if meta.is_dir() {
        bail!("{shown}: is a folder");
    }
    if meta.len() > MAX_FILE_BYTES {
        bail!(
            "{shown}: file is {} bytes, over the {} MiB limit; split it or code it in parts",
            meta.len(),
            MAX_FILE_BYTES / (1024 * 1024)
        );
    }
    let bytes = fs::read(path).map_err(|e| anyhow!("{shown}: cannot read: {e}"))?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        bail!("{shown}: file is empty");
    }
    let head = &bytes[..bytes.len().min(8192)];
    let controls = head
        .iter()
        .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)))
        .count();
    if head.contains(&0) || controls * 10 > head.len() {
        bail!("{shown}: looks like a binary file, not text");
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let valid = &e.as_bytes()[..at];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            bail!("{shown}: invalid UTF-8 at byte {at} (line {line})")
        }
    }
}

/// The sidecar of `NAME.txt`: `NAME.meta.json`.
pub fn sidecar_path(path: &Path) -> PathBuf {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    path.with_file_name(format!("{stem}.meta.json"))
}

/// Reads a sidecar (`published`, `language`, `url`, `outlet`). `published_flag` overrides the
/// sidecar and makes it optional.
pub fn read_sidecar(path: &Path, published_flag: Option<NaiveDate>) -> anyhow::Result<Sidecar> {
    let side = sidecar_path(path);
    let shown = side.display();
    let raw = match fs::read_to_string(&side) {
        Ok(s) => s,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if published_flag.is_some() {
                return Ok(Sidecar {
                    published: published_flag,
                    ..Sidecar::default()
                });
            }
            bail!(
                "{}: no sidecar {} and no --published: the publication date is needed to resolve relative dates",
                path.display(),
                shown
            );
        }
        Err(e) => bail!("{shown}: cannot read sidecar: {e}"),
    };
    let v: serde_json::Value = serde_json::from_str(&raw).map_err(|e| {
        anyhow!(
            "{shown}: malformed JSON at line {}, column {}: {e}",
            e.line(),
            e.column()
        )
    })?;
    let obj = v
        .as_object()
        .ok_or_else(|| anyhow!("{shown}: expected a JSON object"))?;
    let field = |name: &str| -> anyhow::Result<Option<String>> {
        match obj.get(name) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => bail!("{shown}: field `{name}` must be a string, found {other}"),
        }
    };
    let published = match (published_flag, field("published")?) {
        (Some(p), _) => Some(p),
        (None, Some(s)) => Some(parse_date(&s, &format!("{shown}: field `published`"))?),
        (None, None) => bail!("{shown}: field `published` is missing (and no --published given)"),
    };
    Ok(Sidecar {
        published,
        language: field("language")?,
        url: field("url")?,
        outlet: field("outlet")?.filter(|o| !o.trim().is_empty()),
    })
}

/// Reads a text and its sidecar.
pub fn load(path: &Path, published_flag: Option<NaiveDate>) -> anyhow::Result<Loaded> {
    let text = read_text(path)?;
    let side = read_sidecar(path, published_flag)?;
    let ext = path
        .extension()
        .and_then(|x| x.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let format = match ext.as_str() {
        "html" | "htm" => Format::Html,
        "txt" | "md" => Format::Text,
        _ => truce_text::sniff(&text),
    };
    Ok(Loaded {
        text,
        format,
        published: side.published,
        language: side.language,
        url: side.url,
        outlet: side.outlet,
    })
}

/// Codes one loaded text.
pub fn code(coder: &Coder, path: &Path, l: &Loaded) -> CodedDocument {
    let source = path.display().to_string();
    coder.code(&Input {
        text: &l.text,
        published: l.published,
        language: l.language.as_deref(),
        url: l.url.as_deref(),
        source: Some(&source),
        format: Some(l.format),
    })
}

fn table(out: &mut impl Write, path: &Path, d: &CodedDocument) -> io::Result<()> {
    writeln!(
        out,
        "== {}  published={} language={} incidents={} statements={} boilerplate={}",
        path.display(),
        d.document
            .published
            .map(|p| p.to_string())
            .unwrap_or_else(|| "-".into()),
        d.document.language,
        d.incidents.len(),
        d.statements.len(),
        d.document.boilerplate.len()
    )?;
    for i in &d.incidents {
        let c = |x: &truce_model::Casualties| match x.count {
            Some(c) => format!("{}({})", c.n, c.q),
            None => "-".into(),
        };
        writeln!(
            out,
            "  incident  {:<10} {:<18} {:<22} {:<2} perp={:<7} by={:<5} weapons={} targets={} killed={} injured={}",
            i.date.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
            i.place.as_deref().unwrap_or("-"),
            i.admin1.as_deref().unwrap_or("-"),
            i.country.as_deref().unwrap_or("-"),
            i.perpetrator,
            i.reported_by,
            i.weapons
                .iter()
                .map(|w| w.as_str())
                .collect::<Vec<_>>()
                .join(","),
            i.targets
                .iter()
                .map(|w| w.as_str())
                .collect::<Vec<_>>()
                .join(","),
            c(&i.killed),
            c(&i.injured),
        )?;
        writeln!(
            out,
            "            \"{}\"",
            i.evidence.text.replace('\n', " ")
        )?;
    }
    for s in &d.statements {
        writeln!(
            out,
            "  statement {:<10} {} ({}) {} {} target={}",
            s.date.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
            s.speaker,
            s.party,
            s.act,
            s.about,
            s.target.map(|t| t.as_str()).unwrap_or("-"),
        )?;
        writeln!(
            out,
            "            \"{}\"",
            s.evidence.text.replace('\n', " ")
        )?;
    }
    Ok(())
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match run_inner(args) {
        // The reader went away (`truce extract ... | head`): not an error.
        Err(e) if closed_pipe(&e) => Ok(ExitCode::SUCCESS),
        other => other,
    }
}

/// Whether an error is a write to a closed pipe.
fn closed_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<io::Error>()
        .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
        || e.downcast_ref::<serde_json::Error>()
            .is_some_and(|e| e.io_error_kind() == Some(io::ErrorKind::BrokenPipe))
}

fn run_inner(args: Args) -> anyhow::Result<ExitCode> {
    let published = match &args.published {
        Some(s) => Some(parse_date(s, "--published")?),
        None => None,
    };
    let lexicon = load_lexicon(args.lexicon.as_deref())?;
    let gazetteer = Gazetteer::embedded();
    let coder = Coder::new(&gazetteer, &lexicon);
    let mut errors = Vec::new();
    let files = expand(&args.paths, &mut errors);
    for e in &errors {
        eprintln!("truce extract: {e}");
    }
    let mut failed = !errors.is_empty();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let many = files.len() > 1;
    let mut records: Vec<Record> = Vec::new();
    for path in &files {
        let loaded = match load(path, published) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("truce extract: {e:#}");
                failed = true;
                continue;
            }
        };
        let doc = code(&coder, path, &loaded);
        match args.format {
            OutFormat::Json if many => records.push(Record::from(&doc)),
            OutFormat::Json => {
                serde_json::to_writer_pretty(&mut out, &Record::from(&doc))?;
                writeln!(out)?;
            }
            OutFormat::Jsonl => {
                serde_json::to_writer(&mut out, &Record::from(&doc))?;
                writeln!(out)?;
            }
            OutFormat::Table => table(&mut out, path, &doc)?,
        }
    }
    if args.format == OutFormat::Json && many {
        serde_json::to_writer_pretty(&mut out, &records)?;
        writeln!(out)?;
    }
    out.flush()?;
    if files.is_empty() && errors.is_empty() {
        eprintln!("truce extract: no text files (*.txt, *.html) found");
        failed = true;
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    //! Bad input: each file gets a message naming it; the other files are still coded.

    use std::fs;
    use std::path::{Path, PathBuf};

    use super::*;

    /// A fresh folder under the system temp dir.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("truce-extract-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
        let p = dir.join(name);
        fs::write(&p, bytes).expect("write");
        p
    }

    /// Loading `path` fails with a message containing every `needle`.
    fn check_err(path: &Path, flag: Option<NaiveDate>, needles: &[&str]) {
        let err = match load(path, flag) {
            Ok(_) => panic!("{} should be refused", path.display()),
            Err(e) => format!("{e:#}"),
        };
        for n in needles {
            assert!(err.contains(n), "{err:?} should mention {n:?}");
        }
    }

    #[test]
    fn bad_files_are_refused_with_their_names() {
        let dir = scratch("bad");
        let sidecar = br#"{"published": "2025-03-14"}"#;
        let bad_utf8 = write(&dir, "bad_utf8.txt", b"Drones hit Sumy.\n\xff\xfe broken");
        write(&dir, "bad_utf8.meta.json", sidecar);
        check_err(
            &bad_utf8,
            None,
            &["bad_utf8.txt", "invalid UTF-8", "line 2"],
        );
        let empty = write(&dir, "empty.txt", b"  \n");
        write(&dir, "empty.meta.json", sidecar);
        check_err(&empty, None, &["empty.txt", "empty"]);
        let binary = write(
            &dir,
            "binary.txt",
            &[0x7f, b'E', b'L', b'F', 0, 0, 1, 2, 3, 0, 0, 0],
        );
        write(&dir, "binary.meta.json", sidecar);
        check_err(&binary, None, &["binary.txt", "binary"]);
        // A 200 MB file (sparse: its size is read before its contents).
        let huge = dir.join("huge.txt");
        fs::File::create(&huge)
            .and_then(|f| f.set_len(200 * 1024 * 1024))
            .expect("sparse file");
        check_err(&huge, None, &["huge.txt", "limit"]);
        let lonely = write(&dir, "lonely.txt", b"Drones hit Sumy overnight.");
        check_err(
            &lonely,
            None,
            &["lonely.txt", "lonely.meta.json", "--published"],
        );
        assert!(
            load(&lonely, NaiveDate::from_ymd_opt(2025, 3, 14)).is_ok(),
            "--published makes the sidecar optional"
        );
        let malformed = write(&dir, "malformed.txt", b"Drones hit Sumy overnight.");
        write(&dir, "malformed.meta.json", b"{\"published\": ");
        check_err(
            &malformed,
            None,
            &["malformed.meta.json", "malformed JSON", "line 1"],
        );
        let impossible = write(&dir, "impossible.txt", b"Drones hit Sumy overnight.");
        write(
            &dir,
            "impossible.meta.json",
            br#"{"published": "2025-02-30"}"#,
        );
        check_err(
            &impossible,
            None,
            &["impossible.meta.json", "`published`", "2025-02-30"],
        );
        let wrong_type = write(&dir, "wrong_type.txt", b"Drones hit Sumy overnight.");
        write(&dir, "wrong_type.meta.json", br#"{"published": 20250314}"#);
        check_err(&wrong_type, None, &["wrong_type.meta.json", "`published`"]);
        assert!(parse_date("2025-02-30", "--published").is_err());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_run_codes_the_good_files_and_fails_at_the_end() {
        let dir = scratch("run");
        write(
            &dir,
            "a_good.txt",
            b"Russian drones attacked Kharkiv overnight, injuring seven people.",
        );
        write(
            &dir,
            "a_good.meta.json",
            br#"{"published": "2025-03-14", "language": "en"}"#,
        );
        write(&dir, "b_bad.txt", b"\xff\xff\xff");
        write(&dir, "b_bad.meta.json", br#"{"published": "2025-03-14"}"#);
        write(
            &dir,
            "c_good.html",
            b"<html><body><p>A missile hit Odesa on Thursday.</p></body></html>",
        );
        write(&dir, "c_good.meta.json", br#"{"published": "2025-03-14"}"#);
        let mut errors = Vec::new();
        let files = expand(std::slice::from_ref(&dir), &mut errors);
        assert!(errors.is_empty());
        let names: Vec<String> = files
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        assert_eq!(
            names,
            ["a_good.txt", "b_bad.txt", "c_good.html"],
            "walked and sorted, sidecars skipped"
        );
        let lexicon = load_lexicon(None).expect("lexicon");
        let gazetteer = Gazetteer::embedded();
        let coder = Coder::new(&gazetteer, &lexicon);
        let a = load(&files[0], None).expect("good text");
        let doc = code(&coder, &files[0], &a);
        assert_eq!(doc.document.published, NaiveDate::from_ymd_opt(2025, 3, 14));
        assert_eq!(doc.incidents.len(), 1);
        assert!(load(&files[1], None).is_err());
        let c = load(&files[2], None).expect("good html");
        assert_eq!(c.format, Format::Html);
        let code_run = run(Args {
            paths: vec![dir.clone()],
            published: None,
            format: OutFormat::Jsonl,
            lexicon: None,
        })
        .expect("run");
        assert_eq!(format!("{code_run:?}"), format!("{:?}", ExitCode::FAILURE));
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn user_dictionaries_extend_the_coder() {
        let dir = scratch("lexicon");
        write(
            &dir,
            "mine.toml",
            b"# test dictionary\n[weapon]\ndrone = [\"Molniya\"]\n",
        );
        let lex = load_lexicon(Some(&dir)).expect("user lexicon");
        let gazetteer = Gazetteer::embedded();
        let coder = Coder::new(&gazetteer, &lex);
        let d = coder.code(&Input::new(
            "A Russian Molniya hit a house in Kherson on Thursday.",
            NaiveDate::from_ymd_opt(2025, 3, 14),
        ));
        assert_eq!(
            d.incidents.first().map(|i| i.weapons.clone()),
            Some(vec![truce_model::Weapon::Drone])
        );
        write(&dir, "bad.toml", b"[weapon]\nlaser = [\"beam\"]\n");
        let err = load_lexicon(Some(&dir)).expect_err("bad dictionary");
        assert!(format!("{err:#}").contains("bad.toml:2"), "{err:#}");
        let _ = fs::remove_dir_all(&dir);
    }
}
