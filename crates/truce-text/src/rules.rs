//! Clutter patterns and abbreviations, loaded from data into an immutable value.

use std::collections::{HashMap as StdHashMap, HashSet as StdHashSet};

/// The maps of the rules: keys are short words and lines looked up once per line or period,
/// so a fast non-cryptographic hash (foldhash) instead of SipHash. The keys come from the rule
/// files, so a text cannot make a table degenerate.
type HashMap<K, V> = StdHashMap<K, V, foldhash::fast::FixedState>;
type HashSet<K> = StdHashSet<K, foldhash::fast::FixedState>;

use std::fmt;
use std::str::FromStr;

use aho_corasick::{
    AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Anchored, Input, MatchKind, StartKind,
};

/// Lines longer than this are not searched for `contains` patterns.
pub(crate) const MAX_CONTAINS_LINE: usize = 200;

const PATTERNS: &str = include_str!("../../../data/boilerplate/patterns.tsv");
const ABBREVIATIONS: &str = include_str!("../../../data/boilerplate/abbreviations.tsv");

/// What a piece of page clutter is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ClutterKind {
    Video,
    Poll,
    Share,
    Contact,
    Byline,
    ReadTime,
    Licence,
    Newsletter,
    Cookie,
    Related,
    Credit,
    Advert,
    Nav,
}

impl ClutterKind {
    pub const ALL: &'static [ClutterKind] = &[
        ClutterKind::Video,
        ClutterKind::Poll,
        ClutterKind::Share,
        ClutterKind::Contact,
        ClutterKind::Byline,
        ClutterKind::ReadTime,
        ClutterKind::Licence,
        ClutterKind::Newsletter,
        ClutterKind::Cookie,
        ClutterKind::Related,
        ClutterKind::Credit,
        ClutterKind::Advert,
        ClutterKind::Nav,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClutterKind::Video => "video",
            ClutterKind::Poll => "poll",
            ClutterKind::Share => "share",
            ClutterKind::Contact => "contact",
            ClutterKind::Byline => "byline",
            ClutterKind::ReadTime => "read_time",
            ClutterKind::Licence => "licence",
            ClutterKind::Newsletter => "newsletter",
            ClutterKind::Cookie => "cookie",
            ClutterKind::Related => "related",
            ClutterKind::Credit => "credit",
            ClutterKind::Advert => "advert",
            ClutterKind::Nav => "nav",
        }
    }
}

impl fmt::Display for ClutterKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ClutterKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        ClutterKind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("unknown clutter kind {s:?}"))
    }
}

/// A malformed rules file: names the file, the line and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct RulesError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum How {
    Line,
    Prefix,
    Contains,
    Start,
    Heading,
}

/// Abbreviation classes for the sentence splitter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Abbrev {
    Title,
    Number,
    Maybe,
}

/// Clutter patterns and abbreviations (immutable, `Send + Sync`).
#[derive(Debug, Clone)]
pub struct Rules {
    pub(crate) lines: HashMap<String, ClutterKind>,
    /// HTML class or id tokens that mark an element as clutter ("share-bar", "poll").
    pub(crate) html_classes: HashMap<String, ClutterKind>,
    pub(crate) options: HashSet<String>,
    /// Anchored, ASCII-case-insensitive matcher of prefix, start and heading patterns, run at
    /// the start of a raw line (its bullets skipped).
    pub(crate) prefix: Option<AhoCorasick>,
    pub(crate) prefix_pats: Vec<(ClutterKind, How)>,
    /// Unanchored, ASCII-case-insensitive matcher of contains patterns over a raw line.
    pub(crate) contains: Option<AhoCorasick>,
    pub(crate) contains_pats: Vec<ClutterKind>,
    pub(crate) abbrevs: HashMap<String, Abbrev>,
    pub(crate) openers: HashSet<String>,
}

impl Rules {
    /// The rules shipped in `data/boilerplate/` (compiled in; no IO).
    pub fn embedded() -> Rules {
        match Rules::from_tsv(PATTERNS, ABBREVIATIONS) {
            Ok(r) => r,
            // The embedded files are checked by the crate's tests; reaching this is a build bug.
            Err(e) => panic!("embedded boilerplate rules are malformed: {e}"),
        }
    }

    /// Rules from a patterns file and an abbreviations file (formats as in
    /// `data/boilerplate/patterns.tsv` and `abbreviations.tsv`).
    pub fn from_tsv(patterns: &str, abbreviations: &str) -> Result<Rules, RulesError> {
        let err = |file: &str, line: usize, message: String| RulesError {
            file: file.to_string(),
            line,
            message,
        };
        let mut lines = HashMap::default();
        let mut html_classes = HashMap::default();
        let mut options = HashSet::default();
        let mut prefix_strs: Vec<String> = Vec::new();
        let mut prefix_pats = Vec::new();
        let mut contains_strs: Vec<String> = Vec::new();
        let mut contains_pats = Vec::new();
        let mut buf = String::new();
        for (n, raw) in patterns.lines().enumerate() {
            let n = n + 1;
            if raw.trim().is_empty() || raw.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = raw.split('\t').collect();
            if cols.len() != 3 {
                return Err(err(
                    "patterns",
                    n,
                    format!("expected 3 TAB-separated columns, found {}", cols.len()),
                ));
            }
            let kind: ClutterKind = cols[0]
                .parse()
                .map_err(|m| err("patterns", n, format!("column 1: {m}")))?;
            normalise(cols[2], &mut buf);
            if buf.is_empty() {
                return Err(err("patterns", n, "column 3: empty pattern".to_string()));
            }
            let how = match cols[1] {
                "line" => {
                    lines.insert(trimmed(&buf).to_string(), kind);
                    continue;
                }
                "option" => {
                    options.insert(trimmed(&buf).to_string());
                    continue;
                }
                "html_class" => {
                    html_classes.insert(buf.clone(), kind);
                    continue;
                }
                "prefix" => How::Prefix,
                "contains" => How::Contains,
                "start" => How::Start,
                "heading" => How::Heading,
                other => {
                    return Err(err(
                        "patterns",
                        n,
                        format!(
                            "column 2: unknown match {other:?} (line, prefix, contains, start, heading, option, html_class)"
                        ),
                    ));
                }
            };
            if how == How::Contains {
                contains_pats.push(kind);
                contains_strs.push(buf.clone());
            } else {
                prefix_pats.push((kind, how));
                prefix_strs.push(buf.clone());
            }
        }
        let build = |pats: &[String], anchored: bool| -> Result<Option<AhoCorasick>, RulesError> {
            if pats.is_empty() {
                return Ok(None);
            }
            AhoCorasickBuilder::new()
                .kind(Some(AhoCorasickKind::DFA))
                .match_kind(if anchored {
                    MatchKind::LeftmostLongest
                } else {
                    MatchKind::LeftmostFirst
                })
                .start_kind(if anchored {
                    StartKind::Anchored
                } else {
                    StartKind::Unanchored
                })
                .ascii_case_insensitive(true)
                .build(pats)
                .map(Some)
                .map_err(|e| err("patterns", 0, format!("cannot build matcher: {e}")))
        };
        let prefix = build(&prefix_strs, true)?;
        let contains = build(&contains_strs, false)?;
        let mut abbrevs = HashMap::default();
        let mut openers = HashSet::default();
        for (n, raw) in abbreviations.lines().enumerate() {
            let n = n + 1;
            if raw.trim().is_empty() || raw.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = raw.split('\t').collect();
            if cols.len() != 2 {
                return Err(err(
                    "abbreviations",
                    n,
                    format!("expected 2 TAB-separated columns, found {}", cols.len()),
                ));
            }
            let word = cols[1].trim().to_lowercase();
            if word.is_empty() {
                return Err(err("abbreviations", n, "column 2: empty word".to_string()));
            }
            match cols[0] {
                "title" => {
                    abbrevs.insert(word, Abbrev::Title);
                }
                "number" => {
                    abbrevs.insert(word, Abbrev::Number);
                }
                "maybe" => {
                    abbrevs.insert(word, Abbrev::Maybe);
                }
                "opener" => {
                    openers.insert(word);
                }
                other => {
                    return Err(err(
                        "abbreviations",
                        n,
                        format!("column 1: unknown class {other:?} (title, number, maybe, opener)"),
                    ));
                }
            }
        }
        Ok(Rules {
            lines,
            html_classes,
            options,
            prefix,
            prefix_pats,
            contains,
            contains_pats,
            abbrevs,
            openers,
        })
    }

    /// The clutter kind of a line, how it matched (`Start` and `Heading` matches absorb the
    /// lines that follow) and where the match ends in `raw`. `norm` is the normalised line when the line is short, else None;
    /// `raw` is the line with its leading bullets skipped.
    pub(crate) fn classify(
        &self,
        norm: Option<&str>,
        raw: &str,
    ) -> Option<(ClutterKind, How, usize)> {
        if let Some(norm) = norm
            && let Some(&k) = self.lines.get(trimmed(norm))
        {
            return Some((k, How::Line, raw.len()));
        }
        if let Some(m) = &self.prefix
            && let Some(hit) = m.find(Input::new(raw).anchored(Anchored::Yes))
        {
            let (kind, how) = self.prefix_pats[hit.pattern().as_usize()];
            return Some((kind, how, hit.end()));
        }
        if raw.len() <= MAX_CONTAINS_LINE
            && let Some(m) = &self.contains
            && let Some(hit) = m.find(raw)
        {
            return Some((
                self.contains_pats[hit.pattern().as_usize()],
                How::Contains,
                hit.end(),
            ));
        }
        None
    }

    pub(crate) fn is_option(&self, norm: &str) -> bool {
        self.options.contains(trimmed(norm))
    }
}

/// Normalises a line for matching (see the header of `data/boilerplate/patterns.tsv`); the
/// trailing punctuation stays (see [`trimmed`]).
pub(crate) fn normalise(line: &str, out: &mut String) {
    out.clear();
    let mut s = line.trim_start();
    loop {
        let t = s.trim_start_matches(['-', '–', '—', '•', '*', '·', '▪', '►', '>']);
        let t = t.trim_start();
        if t.len() == s.len() {
            break;
        }
        s = t;
    }
    let mut space = false;
    let mut digit = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
            digit = false;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        if c.is_ascii_digit() {
            if !digit {
                out.push('#');
            }
            digit = true;
            continue;
        }
        digit = false;
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        match c {
            '’' | '‘' | '`' | '´' | 'ʼ' => out.push('\''),
            '“' | '”' | '„' | '«' | '»' => out.push('"'),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
    if out.contains('#') {
        merge_numbers(out);
    }
}

/// Numbers written with group or decimal separators ("1,284", "2.5") count as one number.
fn merge_numbers(out: &mut String) {
    while out.contains("#,#") || out.contains("#.#") {
        *out = out.replace("#,#", "#").replace("#.#", "#");
    }
}

/// A normalised line without its trailing punctuation (for whole-line matches).
pub(crate) fn trimmed(norm: &str) -> &str {
    norm.trim_end_matches(['.', ':', '!', '|', '"', '>', ' ', '›'])
}
