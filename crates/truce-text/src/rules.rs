//! Clutter patterns and abbreviations, loaded from data into an immutable value.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

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
    pub(crate) options: HashSet<String>,
    pub(crate) matcher: Option<AhoCorasick>,
    pub(crate) pats: Vec<(ClutterKind, How, usize)>,
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
        let mut lines = HashMap::new();
        let mut options = HashSet::new();
        let mut ac_pats: Vec<String> = Vec::new();
        let mut pats = Vec::new();
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
                "prefix" => How::Prefix,
                "contains" => How::Contains,
                "start" => How::Start,
                "heading" => How::Heading,
                other => {
                    return Err(err(
                        "patterns",
                        n,
                        format!(
                            "column 2: unknown match {other:?} (line, prefix, contains, start, heading, option)"
                        ),
                    ));
                }
            };
            pats.push((kind, how, buf.len()));
            ac_pats.push(buf.clone());
        }
        let matcher = if ac_pats.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .build(&ac_pats)
                    .map_err(|e| err("patterns", 0, format!("cannot build matcher: {e}")))?,
            )
        };
        let mut abbrevs = HashMap::new();
        let mut openers = HashSet::new();
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
            options,
            matcher,
            pats,
            abbrevs,
            openers,
        })
    }

    /// The clutter kind of a whole normalised line, and whether the match starts a block
    /// (`Start`) or a list (`Heading`).
    pub(crate) fn classify(&self, norm: &str) -> Option<(ClutterKind, How)> {
        if let Some(&k) = self.lines.get(trimmed(norm)) {
            return Some((k, How::Line));
        }
        let m = self.matcher.as_ref()?;
        let mut best: Option<(ClutterKind, How)> = None;
        for hit in m.find_overlapping_iter(norm) {
            let (kind, how, _) = self.pats[hit.pattern().as_usize()];
            let ok = match how {
                How::Contains => norm.len() <= 600,
                _ => hit.start() == 0,
            };
            if ok {
                // Prefer structural matches (they absorb following lines).
                match (best, how) {
                    (None, _)
                    | (Some((_, How::Contains | How::Prefix)), How::Start | How::Heading) => {
                        best = Some((kind, how))
                    }
                    _ => {}
                }
            }
        }
        best
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
        match c {
            '’' | '‘' | '`' | '´' | 'ʼ' => out.push('\''),
            '“' | '”' | '„' | '«' | '»' => out.push('"'),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
}

/// A normalised line without its trailing punctuation (for whole-line matches).
pub(crate) fn trimmed(norm: &str) -> &str {
    norm.trim_end_matches(['.', ':', '!', '|', '"', '>', ' ', '›'])
}
