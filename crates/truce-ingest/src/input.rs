//! Reading inputs: files (`.txt`, `.html`, with `NAME.meta.json` sidecars), folders (walked,
//! sorted) and JSON Lines (`{"text","published","url","language"}` per line, optionally
//! `"outlet"` and `"format"`). Sidecars hold `published`, `language`, `url` and `outlet`.
//!
//! Reading streams: folders are listed (paths only), files are read one at a time and JSONL line
//! by line, so memory does not grow with the input. Every bad input becomes an [`InputError`]
//! naming its file (and line) and reading goes on with the rest.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use truce_model::NaiveDate;

/// The largest document accepted, in bytes.
pub const MAX_DOCUMENT_BYTES: usize = 8 << 20;

/// How a document's text is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
        }
    }
}

/// One document as read, before coding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawDoc {
    pub text: String,
    pub published: Option<NaiveDate>,
    /// ISO 639-1 code if the input names it (else the coder detects it).
    pub language: Option<String>,
    pub url: Option<String>,
    /// The outlet the input names (a sidecar's or JSONL line's `outlet`): who published it.
    pub outlet: Option<String>,
    /// Where it came from: a path, or `path:line` for a JSONL line.
    pub source: String,
    pub format: Format,
    /// True when the document came from a JSONL line.
    pub jsonl: bool,
}

impl RawDoc {
    /// The input format as the log's document entry spells it.
    pub fn format_name(&self) -> &'static str {
        if self.jsonl {
            "jsonl"
        } else {
            self.format.as_str()
        }
    }
}

/// A bad input: the file (and line, for JSONL) and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub path: PathBuf,
    pub line: Option<u64>,
    pub message: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.path.display(), l, self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for InputError {}

fn err(path: &Path, line: Option<u64>, message: impl Into<String>) -> InputError {
    InputError {
        path: path.to_path_buf(),
        line,
        message: message.into(),
    }
}

#[derive(Default)]
struct Sidecar {
    published: Option<String>,
    language: Option<String>,
    url: Option<String>,
    outlet: Option<String>,
}

struct JsonlLine {
    text: String,
    published: Option<String>,
    url: Option<String>,
    language: Option<String>,
    format: Option<String>,
    outlet: Option<String>,
}

/// The fields of a JSON object (a sidecar or a JSON Lines row), read by hand so that every
/// complaint names its field.
struct Fields(serde_json::Map<String, serde_json::Value>);

impl Fields {
    /// Parses `bytes` as one JSON object; `Err` says whether it is no JSON or no object.
    fn parse(bytes: &[u8], what: &str) -> Result<Fields, String> {
        match serde_json::from_slice::<serde_json::Value>(bytes) {
            Ok(serde_json::Value::Object(m)) => Ok(Fields(m)),
            Ok(other) => Err(format!("not {what}: a JSON {}", kind(&other))),
            Err(e) => Err(format!("not JSON: {e}")),
        }
    }

    /// An optional string field (`null` counts as absent).
    fn string(&mut self, name: &str) -> Result<Option<String>, String> {
        match self.0.remove(name) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(format!(
                "field `{name}`: expected a string, found a {}",
                kind(&other)
            )),
        }
    }
}

fn kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

impl Sidecar {
    fn parse(bytes: &[u8]) -> Result<Sidecar, String> {
        let mut f = Fields::parse(bytes, "a sidecar object")?;
        Ok(Sidecar {
            published: f.string("published")?,
            language: f.string("language")?,
            url: f.string("url")?,
            outlet: f.string("outlet")?,
        })
    }
}

impl JsonlLine {
    fn parse(bytes: &[u8]) -> Result<JsonlLine, String> {
        let mut f = Fields::parse(bytes, "a document object")?;
        Ok(JsonlLine {
            text: f
                .string("text")?
                .ok_or_else(|| "field `text` is missing".to_string())?,
            published: f.string("published")?,
            url: f.string("url")?,
            language: f.string("language")?,
            format: f.string("format")?,
            outlet: f.string("outlet")?,
        })
    }
}

fn parse_published(s: Option<&str>, field: &str) -> Result<Option<NaiveDate>, String> {
    match s {
        None | Some("") => Ok(None),
        Some(s) => {
            let day = s.get(..10).unwrap_or(s);
            NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| format!("field {field}: {s:?} is not a date (YYYY-MM-DD)"))
        }
    }
}

/// Checks that bytes are a usable document and turns them into text.
pub fn decode_text(bytes: Vec<u8>) -> Result<String, String> {
    if bytes.is_empty() || bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err("empty document".into());
    }
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(format!(
            "document of {} bytes exceeds the limit of {} bytes",
            bytes.len(),
            MAX_DOCUMENT_BYTES
        ));
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(format!("binary data (NUL byte at offset {at}), not text"));
    }
    String::from_utf8(bytes)
        .map_err(|e| format!("invalid UTF-8 at byte {}", e.utf8_error().valid_up_to()))
}

fn looks_like_html(text: &str) -> bool {
    let head = text
        .trim_start()
        .get(..text.trim_start().len().min(512))
        .unwrap_or("");
    let lower = head.to_ascii_lowercase();
    lower.starts_with("<!doctype html") || lower.starts_with("<html") || lower.contains("<body")
}

fn is_sidecar(p: &Path) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".meta.json"))
}

fn extension(p: &Path) -> String {
    p.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Files a folder walk takes. Sidecars are metadata, and a coded corpus's `gold.jsonl` holds
/// hand-coded answers (corpus/README.md), not documents.
fn is_input_file(p: &Path) -> bool {
    let gold = p.file_name().is_some_and(|n| n == "gold.jsonl");
    !is_sidecar(p)
        && !gold
        && matches!(
            extension(p).as_str(),
            "txt" | "text" | "html" | "htm" | "jsonl" | "md"
        )
}

/// The sidecar of `dir/NAME.ext` is `dir/NAME.meta.json`.
pub fn sidecar_path(p: &Path) -> PathBuf {
    let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    p.with_file_name(format!("{stem}.meta.json"))
}

/// Lists the files under `paths`: files as given, folders walked recursively in sorted order
/// (keeping `.txt`, `.text`, `.md`, `.html`, `.htm` and `.jsonl` files, never sidecars nor a
/// corpus's `gold.jsonl`).
/// Unreadable paths are errors in the list, in order.
pub fn list_files(paths: &[PathBuf]) -> Vec<Result<PathBuf, InputError>> {
    let mut out = Vec::new();
    for p in paths {
        match std::fs::metadata(p) {
            Err(e) => out.push(Err(err(p, None, format!("cannot read: {e}")))),
            Ok(m) if m.is_dir() => walk(p, &mut out),
            Ok(_) => out.push(Ok(p.clone())),
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<Result<PathBuf, InputError>>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            out.push(Err(err(dir, None, format!("cannot list folder: {e}"))));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk(&p, out);
        } else if is_input_file(&p) {
            out.push(Ok(p));
        }
    }
}

/// How many documents `paths` hold (files, plus non-blank lines of JSONL files), for a
/// progress bar's total; unreadable paths count as one.
pub fn count_documents(paths: &[PathBuf]) -> u64 {
    let mut n = 0;
    for p in list_files(paths) {
        match p {
            Ok(p) if extension(&p) == "jsonl" => match File::open(&p) {
                Ok(f) => {
                    n += BufReader::new(f)
                        .split(b'\n')
                        .filter(|l| {
                            l.as_ref()
                                .map_or(true, |l| !l.iter().all(|b| b.is_ascii_whitespace()))
                        })
                        .count() as u64
                }
                Err(_) => n += 1,
            },
            _ => n += 1,
        }
    }
    n
}

/// A stream of documents read from files, folders and JSONL, in order.
pub struct Reader {
    files: VecDeque<Result<PathBuf, InputError>>,
    jsonl: Option<(PathBuf, BufReader<File>, u64)>,
}

impl Reader {
    pub fn new(paths: &[PathBuf]) -> Reader {
        Reader {
            files: list_files(paths).into(),
            jsonl: None,
        }
    }

    /// Number of files still to read (JSONL files count once).
    pub fn files_left(&self) -> usize {
        self.files.len()
    }

    fn next_jsonl(&mut self) -> Option<Result<RawDoc, InputError>> {
        let (path, reader, line_no) = self.jsonl.as_mut()?;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            *line_no += 1;
            let n = match reader.read_until(b'\n', &mut buf) {
                Ok(n) => n,
                Err(e) => {
                    let e = err(path, Some(*line_no), format!("read error: {e}"));
                    self.jsonl = None;
                    return Some(Err(e));
                }
            };
            if n == 0 {
                self.jsonl = None;
                return None;
            }
            if buf.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            return Some(parse_jsonl_line(path, *line_no, &buf));
        }
    }

    fn open(&mut self, path: PathBuf) -> Option<Result<RawDoc, InputError>> {
        if extension(&path) == "jsonl" {
            match File::open(&path) {
                Ok(f) => {
                    self.jsonl = Some((path, BufReader::with_capacity(1 << 16, f), 0));
                    None
                }
                Err(e) => Some(Err(err(&path, None, format!("cannot read: {e}")))),
            }
        } else {
            Some(read_file(&path))
        }
    }
}

impl Iterator for Reader {
    type Item = Result<RawDoc, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.jsonl.is_some() {
                if let Some(r) = self.next_jsonl() {
                    return Some(r);
                }
                continue;
            }
            match self.files.pop_front()? {
                Err(e) => return Some(Err(e)),
                Ok(path) => {
                    if let Some(r) = self.open(path) {
                        return Some(r);
                    }
                }
            }
        }
    }
}

/// Parses one JSON Lines row (line `line` of `path`) into a document.
pub fn parse_jsonl_line(path: &Path, line: u64, bytes: &[u8]) -> Result<RawDoc, InputError> {
    let l = JsonlLine::parse(bytes).map_err(|m| err(path, Some(line), m))?;
    let text = decode_text(l.text.into_bytes()).map_err(|m| err(path, Some(line), m))?;
    let published = parse_published(l.published.as_deref(), "published")
        .map_err(|m| err(path, Some(line), m))?;
    let format = match l.format.as_deref() {
        Some("html") => Format::Html,
        Some("text") => Format::Text,
        Some(other) => {
            return Err(err(
                path,
                Some(line),
                format!("field format: {other:?} is neither \"text\" nor \"html\""),
            ));
        }
        None if looks_like_html(&text) => Format::Html,
        None => Format::Text,
    };
    Ok(RawDoc {
        text,
        published,
        language: l.language.filter(|s| !s.is_empty()),
        url: l.url.filter(|s| !s.is_empty()),
        outlet: l.outlet.filter(|s| !s.trim().is_empty()),
        source: format!("{}:{}", path.display(), line),
        format,
        jsonl: true,
    })
}

/// Reads one text or HTML file and its sidecar.
pub fn read_file(path: &Path) -> Result<RawDoc, InputError> {
    let mut bytes = Vec::new();
    let mut f = File::open(path).map_err(|e| err(path, None, format!("cannot read: {e}")))?;
    // Read at most one byte past the limit so a huge file is refused without loading it.
    (&mut f)
        .take(MAX_DOCUMENT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| err(path, None, format!("cannot read: {e}")))?;
    let text = decode_text(bytes).map_err(|m| err(path, None, m))?;
    let side = sidecar_path(path);
    let meta: Sidecar = match std::fs::read(&side) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Sidecar::default(),
        Err(e) => return Err(err(&side, None, format!("cannot read sidecar: {e}"))),
        Ok(b) => Sidecar::parse(&b).map_err(|m| err(&side, None, format!("bad sidecar: {m}")))?,
    };
    let published =
        parse_published(meta.published.as_deref(), "published").map_err(|m| err(&side, None, m))?;
    let format = match extension(path).as_str() {
        "html" | "htm" => Format::Html,
        _ if looks_like_html(&text) => Format::Html,
        _ => Format::Text,
    };
    Ok(RawDoc {
        text,
        published,
        language: meta.language.filter(|s| !s.is_empty()),
        url: meta.url.filter(|s| !s.is_empty()),
        outlet: meta.outlet.filter(|s| !s.trim().is_empty()),
        source: path.display().to_string(),
        format,
        jsonl: false,
    })
}
