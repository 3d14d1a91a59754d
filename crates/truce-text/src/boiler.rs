//! Page-clutter detection, line by line, with a few structural rules (notices broken over
//! several lines, reader polls, header bylines, related-story lists, author lines above
//! licence footers).

use crate::rules::{ClutterKind, How, Rules, normalise};
use truce_model::Span;

/// Lines up to this long are normalised for whole-line matches (dates, "Comments", poll options).
const SHORT_LINE: usize = 80;

/// Lines longer than this are prose, never clutter.
const MAX_CLUTTER_LINE: usize = 600;

/// One line of the text: its content span (whitespace trimmed; empty for a blank line).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line {
    pub start: usize,
    pub end: usize,
    pub words: usize,
    /// Starts with a list bullet ("- ", "• ", "* ").
    pub bullet: bool,
    /// Ends a sentence (. ! ? … possibly followed by closing quotes or brackets).
    pub terminal: bool,
}

impl Line {
    pub fn is_blank(&self) -> bool {
        self.start >= self.end
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0b' | b'\x0c')
}

/// Splits a text into lines (at '\n'), with light statistics for each.
pub(crate) fn lines(text: &str) -> Vec<Line> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len() / 80 + 1);
    let mut pos = 0;
    while pos <= b.len() {
        let nl = memchr::memchr(b'\n', &b[pos..]).map_or(b.len(), |i| pos + i);
        let mut s = pos;
        let mut e = nl;
        while s < e && is_ws(b[s]) {
            s += 1;
        }
        while e > s && is_ws(b[e - 1]) {
            e -= 1;
        }
        let (words, bullet, terminal) = if s < e {
            line_stats(&text[s..e])
        } else {
            (0, false, false)
        };
        out.push(Line {
            start: s,
            end: e,
            words,
            bullet,
            terminal,
        });
        if nl == b.len() {
            break;
        }
        pos = nl + 1;
    }
    out
}

fn line_stats(line: &str) -> (usize, bool, bool) {
    // Words, approximately: spaces plus one (lines are trimmed).
    let words = memchr::memchr_iter(b' ', line.as_bytes()).count() + 1;
    let bullet = line.starts_with("- ")
        || line.starts_with("• ")
        || line.starts_with("* ")
        || line.starts_with("– ")
        || line.starts_with("· ");
    let last = line
        .trim_end_matches(['"', '\'', '”', '’', ')', ']', '»', '*'])
        .chars()
        .last();
    let terminal = matches!(last, Some('.' | '!' | '?' | '…'));
    (words, bullet, terminal)
}

/// Finds the clutter of a text: sorted, non-overlapping spans with their kinds.
pub(crate) fn detect(
    text: &str,
    lines: &[Line],
    html_clutter: &[(usize, usize, ClutterKind)],
    rules: &Rules,
) -> Vec<(Span, ClutterKind)> {
    let n = lines.len();
    let mut mark: Vec<Option<ClutterKind>> = vec![None; n];
    // Lines inside HTML elements whose class or id names clutter (outer elements first).
    for &(start, end, kind) in html_clutter {
        let mut i = lines.partition_point(|l| l.start < start);
        while i < n && lines[i].end <= end {
            if mark[i].is_none() && !lines[i].is_blank() {
                mark[i] = Some(kind);
            }
            i += 1;
        }
    }
    let mut norm = String::new();
    let mut norm2 = String::new();
    // The header zone runs to the first line of real prose (clutter found so far aside).
    let header_end = (0..n)
        .find(|&i| mark[i].is_none() && lines[i].words >= 15 && lines[i].terminal)
        .unwrap_or(n);
    let headline = (0..n).find(|&i| mark[i].is_none() && !lines[i].is_blank());
    let mut i = 0;
    while i < n {
        let l = lines[i];
        if l.is_blank() || l.len() > MAX_CLUTTER_LINE || mark[i].is_some() {
            i += 1;
            continue;
        }
        let raw = &text[l.start..l.end];
        let complete = raw.len() <= SHORT_LINE;
        if complete {
            normalise(raw, &mut norm);
        }
        let unbulleted = skip_bullets(raw);
        let matched = rules
            .classify(complete.then_some(norm.as_str()), unbulleted)
            .filter(|&(kind, how, end)| plausible(kind, how, unbulleted, end));
        if let Some((kind, how, _)) = matched {
            mark[i] = Some(kind);
            i += 1;
            match how {
                How::Start => {
                    // A notice broken over several short lines: absorb them until it ends.
                    let mut done = l.terminal;
                    while !done && i < n && !lines[i].is_blank() && lines[i].words <= 6 {
                        mark[i] = Some(kind);
                        done = lines[i].terminal;
                        i += 1;
                    }
                }
                How::Heading if l.words <= 5 => {
                    // A list of story headlines under a "Related" heading.
                    let mut taken = 0;
                    while i < n
                        && taken < 15
                        && !lines[i].is_blank()
                        && lines[i].len() <= MAX_CLUTTER_LINE
                        && lines[i].words <= 20
                        && (lines[i].bullet || !lines[i].terminal)
                    {
                        mark[i] = Some(kind);
                        taken += 1;
                        i += 1;
                    }
                }
                _ => {}
            }
            continue;
        }
        let header_meta = complete
            && i < header_end
            && Some(i) != headline
            && (is_date_only(&norm) || (l.bullet && l.words <= 5 && is_name_like(raw)));
        if header_meta || is_by_line(raw) {
            mark[i] = Some(ClutterKind::Byline);
        }
        if mark[i].is_none()
            && l.words <= 30
            && raw
                .trim_end_matches(['"', '\'', '”', '’', ' '])
                .ends_with('?')
        {
            let end = poll_options(text, lines, i + 1, rules, &mut norm2);
            if end > i + 1 {
                for m in &mut mark[i..end] {
                    *m = Some(ClutterKind::Poll);
                }
                i = end;
                continue;
            }
        }
        i += 1;
    }
    // A name alone in the header zone next to a byline or date line is a byline too.
    for i in 0..header_end.min(n) {
        if mark[i].is_some() || lines[i].is_blank() || Some(i) == headline {
            continue;
        }
        let near = |j: Option<usize>| j.is_some_and(|j| mark[j] == Some(ClutterKind::Byline));
        let prev = (0..i).rev().find(|&j| !lines[j].is_blank());
        let next = (i + 1..n).find(|&j| !lines[j].is_blank());
        if (near(prev) || near(next))
            && lines[i].words <= 4
            && is_name_like(&text[lines[i].start..lines[i].end])
        {
            mark[i] = Some(ClutterKind::Byline);
        }
    }
    // The author line above a licence footer ("Jane Smith, Lecturer in X, Y University").
    for i in 0..n {
        if mark[i] != Some(ClutterKind::Licence) {
            continue;
        }
        if let Some(j) = (0..i).rev().find(|&j| !lines[j].is_blank()) {
            let l = lines[j];
            let raw = &text[l.start..l.end];
            if mark[j].is_none() && !l.terminal && l.words <= 15 && raw.contains(',') {
                mark[j] = Some(ClutterKind::Byline);
            }
        }
    }
    // Trailing hashtag lines ("#Kursk #Lgov #Rylsk") are tags; a hashtag heading at the top of
    // a post names its place and stays content.
    for i in (0..n).rev() {
        let l = lines[i];
        if l.is_blank() {
            continue;
        }
        let raw = &text[l.start..l.end];
        let tags = raw
            .split_whitespace()
            .all(|w| w.starts_with('#') || !w.chars().any(char::is_alphanumeric));
        if !tags || !raw.contains('#') || mark[i].is_some() {
            break;
        }
        mark[i] = Some(ClutterKind::Related);
    }
    // Spans: runs of lines with the same kind (blank lines between them allowed) merge.
    let mut out: Vec<(Span, ClutterKind)> = Vec::new();
    let mut last_marked: Option<usize> = None;
    for i in 0..n {
        let Some(kind) = mark[i] else {
            if !lines[i].is_blank() {
                last_marked = None;
            }
            continue;
        };
        let l = lines[i];
        match (last_marked, out.last_mut()) {
            (Some(_), Some((span, k))) if *k == kind => span.end = l.end,
            _ => out.push((Span::new(l.start, l.end), kind)),
        }
        last_marked = Some(i);
    }
    out
}

/// Whether a pattern match really makes the line clutter: a list heading must stand alone
/// ("Related stories", "Read more: ...", not "Top stories on state TV tonight"), and a poll
/// heading must ask ("Poll: will the truce hold?", not the headline "Poll: most oppose it").
fn plausible(kind: ClutterKind, how: How, raw: &str, end: usize) -> bool {
    let rest = raw.get(end..).unwrap_or("").trim();
    let alone = rest.is_empty()
        || rest.starts_with([':', '|', '-', '–', '—', '»', '>', '·'])
        || rest.split_whitespace().count() <= 1;
    match (kind, how) {
        (ClutterKind::Poll, How::Prefix | How::Heading) => {
            rest.is_empty()
                || raw
                    .trim_end_matches(['"', '\'', '”', '’', ' '])
                    .ends_with('?')
        }
        (_, How::Heading) => alone,
        _ => true,
    }
}

/// A line without its leading list bullets.
fn skip_bullets(raw: &str) -> &str {
    let mut s = raw;
    loop {
        let t = s
            .trim_start_matches(['-', '–', '—', '•', '*', '·', '▪', '►', '>'])
            .trim_start();
        if t.len() == s.len() {
            return s;
        }
        s = t;
    }
}

/// "By Jane Smith", "By JANE SMITH and John Doe in Kyiv".
fn is_by_line(raw: &str) -> bool {
    let s = raw.trim_start_matches(['-', '–', '—', '•', '*', ' ']);
    let rest = match s.strip_prefix("By ").or_else(|| s.strip_prefix("BY ")) {
        Some(r) => r,
        None => return false,
    };
    let words: Vec<&str> = rest.split_whitespace().collect();
    if words.is_empty() || words.len() > 9 {
        return false;
    }
    is_name_like(rest)
}

/// Every word capitalised (or a connector): a name, an outlet or a place list.
fn is_name_like(raw: &str) -> bool {
    let s = raw.trim_start_matches(['-', '–', '—', '•', '*', '·', ' ']);
    let mut words = 0;
    for w in s.split([' ', ',', '|', '/', '&']) {
        let w = w.trim_matches(['(', ')', '.', '\'', '"']);
        if w.is_empty() {
            continue;
        }
        words += 1;
        if matches!(
            w,
            "and"
                | "in"
                | "for"
                | "of"
                | "the"
                | "de"
                | "van"
                | "von"
                | "der"
                | "al"
                | "at"
                | "-"
                | "–"
        ) {
            continue;
        }
        let Some(c) = w.chars().next() else { continue };
        if !c.is_uppercase() {
            return false;
        }
        if w.chars().any(|c| c.is_ascii_digit()) {
            return false;
        }
    }
    words > 0
}

const MONTHS: &[&str] = &[
    "jan",
    "january",
    "feb",
    "february",
    "mar",
    "march",
    "apr",
    "april",
    "may",
    "jun",
    "june",
    "jul",
    "july",
    "aug",
    "august",
    "sep",
    "sept",
    "september",
    "oct",
    "october",
    "nov",
    "november",
    "dec",
    "december",
];
const WEEKDAYS: &[&str] = &[
    "mon",
    "monday",
    "tue",
    "tues",
    "tuesday",
    "wed",
    "wednesday",
    "thu",
    "thur",
    "thurs",
    "thursday",
    "fri",
    "friday",
    "sat",
    "saturday",
    "sun",
    "sunday",
];
const DATE_FILLERS: &[&str] = &[
    "am",
    "pm",
    "a.m",
    "p.m",
    "gmt",
    "utc",
    "bst",
    "est",
    "edt",
    "cet",
    "cest",
    "eet",
    "eest",
    "msk",
    "kyiv",
    "time",
    "at",
    "on",
    "updated",
    "published",
    "posted",
    "ago",
    "hour",
    "hours",
    "minute",
    "minutes",
    "min",
    "mins",
    "day",
    "days",
    "h",
    "-",
    "–",
    "|",
    "·",
    "/",
    "last",
    "views",
    "view",
    "reads",
    "👁",
];

/// A line that is only a date or time ("Mar 14", "Friday 14 March 2025, 10:30 GMT").
fn is_date_only(norm: &str) -> bool {
    let mut dated = false;
    let mut any = false;
    for tok in norm.split([' ', ',', '|', '·']) {
        let tok = tok.trim_matches(['.', '(', ')', ':']);
        if tok.is_empty() {
            continue;
        }
        any = true;
        if MONTHS.contains(&tok) || WEEKDAYS.contains(&tok) {
            dated = true;
        } else if tok.contains(':') && tok.starts_with('#') {
            // A time of day ("10:48"): allowed, but no date by itself (live-blog entry times
            // are content).
            if !tok.trim_start_matches(['#', ':']).is_empty() {
                return false;
            }
        } else if tok.starts_with('#') {
            let rest = tok.trim_start_matches(['#', ':', '-', '/', '.']);
            if !(rest.is_empty()
                || matches!(rest, "st" | "nd" | "rd" | "th" | "am" | "pm" | "h")
                || rest
                    .trim_start_matches(['#', ':', '-', '/', '.'])
                    .is_empty())
            {
                return false;
            }
            dated = true;
        } else if !DATE_FILLERS.contains(&tok) {
            return false;
        }
    }
    any && dated
}

/// The end (exclusive line index) of a run of two or more poll options starting at `from`,
/// or `from` when there is none.
fn poll_options(
    text: &str,
    lines: &[Line],
    from: usize,
    rules: &Rules,
    norm: &mut String,
) -> usize {
    let mut count = 0;
    let mut known = false;
    let mut end = from;
    let mut j = from;
    while j < lines.len() && count < 12 {
        let l = lines[j];
        if l.is_blank() {
            j += 1;
            continue;
        }
        if l.words > 5 || l.len() > 60 || (l.terminal && !l.bullet) {
            break;
        }
        normalise(&text[l.start..l.end], norm);
        let is_known = rules.is_option(norm);
        if !(l.bullet || is_known) {
            break;
        }
        known |= is_known;
        count += 1;
        j += 1;
        end = j;
    }
    if count >= 2 && known { end } else { from }
}
