//! Sentence splitting: one pass over each paragraph, respecting abbreviations, initials,
//! decimal numbers, quotes and line breaks (a line without a full stop is its own sentence).

use crate::Sentence;
use crate::boiler::Line;
use crate::rules::{Abbrev, ClutterKind, Rules};
use truce_model::Span;

/// A line shorter than this ends its paragraph in hard-wrapped text (a headline, a last line).
const SHORT_LINE: usize = 40;

pub(crate) fn split(
    text: &str,
    lines: &[Line],
    clutter: &[(Span, ClutterKind)],
    rules: &Rules,
) -> Vec<Sentence> {
    let mut out = Vec::with_capacity(text.len() / 120 + 1);
    let wrapped = is_hard_wrapped(lines);
    let mut c = 0; // index into clutter
    let mut paragraph = 0;
    let mut block: Option<(usize, usize)> = None;
    let mut scratch = String::new();
    let mut flush = |block: &mut Option<(usize, usize)>, out: &mut Vec<Sentence>| {
        if let Some((s, e)) = block.take() {
            let before = out.len();
            split_block(text, s, e, paragraph, rules, &mut scratch, out);
            if out.len() > before {
                paragraph += 1;
            }
        }
    };
    for l in lines {
        while c < clutter.len() && clutter[c].0.end < l.start {
            c += 1;
        }
        let is_clutter = !l.is_blank()
            && clutter
                .get(c)
                .is_some_and(|(s, _)| s.start <= l.start && l.end <= s.end);
        if l.is_blank() || is_clutter {
            flush(&mut block, &mut out);
            continue;
        }
        match block {
            Some((s, e)) if wrapped && e - line_start_of(text, e) >= SHORT_LINE => {
                block = Some((s, l.end));
            }
            _ => {
                flush(&mut block, &mut out);
                block = Some((l.start, l.end));
            }
        }
    }
    flush(&mut block, &mut out);
    out
}

/// The start of the line holding byte `at - 1` (the line that ends at `at`).
fn line_start_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1)
}

/// Hard-wrapped prose: many lines of similar width that run on into the next line.
fn is_hard_wrapped(lines: &[Line]) -> bool {
    let mut content = 0;
    let mut runs_on = 0;
    for (i, l) in lines.iter().enumerate() {
        if l.is_blank() {
            continue;
        }
        content += 1;
        let next_content = lines.get(i + 1).is_some_and(|n| !n.is_blank());
        if next_content && !l.terminal && (50..=100).contains(&l.len()) {
            runs_on += 1;
        }
    }
    runs_on >= 3 && runs_on * 10 >= content * 3
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0b' | b'\x0c')
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '»' | '*')
}

fn is_opener(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '‘' | '«' | '(' | '[' | '„')
}

/// Splits `text[s..e]` (one paragraph) into sentences.
fn split_block(
    text: &str,
    s: usize,
    e: usize,
    paragraph: usize,
    rules: &Rules,
    scratch: &mut String,
    out: &mut Vec<Sentence>,
) {
    let b = text.as_bytes();
    // Leading list bullets are not part of the sentence.
    let mut start = s;
    loop {
        let rest = &text[start..e];
        let t = rest.trim_start_matches(['-', '–', '—', '•', '*', '·', '▪', '►']);
        if t.len() == rest.len() || !t.starts_with([' ', '\t']) {
            break;
        }
        start = e - t.trim_start().len();
    }
    let mut i = start;
    // Next ellipsis character (…), found lazily.
    let mut ellipsis = find_ellipsis(b, i, e);
    while i < e {
        if ellipsis < i {
            ellipsis = find_ellipsis(b, i, e);
        }
        let stop = memchr::memchr3(b'.', b'!', b'?', &b[i..ellipsis]).map_or(ellipsis, |p| i + p);
        i = stop;
        if i >= e {
            break;
        }
        let plen = if i == ellipsis {
            ellipsis = find_ellipsis(b, i + 3, e);
            3
        } else {
            1
        };
        let mut j = i + plen;
        while j < e && matches!(b[j], b'.' | b'!' | b'?') {
            j += 1;
        }
        while j < e {
            match text[j..e].chars().next() {
                Some(ch) if is_closer(ch) => j += ch.len_utf8(),
                _ => break,
            }
        }
        if j >= e || !is_ws(b[j]) {
            i = j;
            continue;
        }
        let mut k = j;
        while k < e && is_ws(b[k]) {
            k += 1;
        }
        if k >= e {
            break;
        }
        if is_boundary(text, start, i, j - i, k, rules, scratch) {
            push(out, start, j, paragraph);
            start = k;
        }
        i = k;
    }
    let mut end = e;
    while end > start && is_ws(b[end - 1]) {
        end -= 1;
    }
    push(out, start, end, paragraph);
}

/// The offset of the next "…" (E2 80 A6) in `b[from..end]`, or `end`.
fn find_ellipsis(b: &[u8], mut from: usize, end: usize) -> usize {
    while from < end {
        match memchr::memchr(0xE2, &b[from..end]) {
            Some(p) => {
                let at = from + p;
                if b.get(at + 1) == Some(&0x80) && b.get(at + 2) == Some(&0xA6) && at + 2 < end {
                    return at;
                }
                from = at + 1;
            }
            None => return end,
        }
    }
    end
}

fn push(out: &mut Vec<Sentence>, s: usize, e: usize, paragraph: usize) {
    if e > s {
        out.push(Sentence {
            span: Span::new(s, e),
            paragraph,
        });
    }
}

/// Whether the punctuation at `p` (run length `plen`, whitespace before `next`) ends a sentence.
fn is_boundary(
    text: &str,
    sent_start: usize,
    p: usize,
    plen: usize,
    next: usize,
    rules: &Rules,
    scratch: &mut String,
) -> bool {
    let b = text.as_bytes();
    let Some(nc) = text[next..].chars().next() else {
        return false;
    };
    let starts_sentence = nc.is_uppercase() || nc.is_ascii_digit() || is_opener(nc);
    if !starts_sentence {
        return false;
    }
    // Only a single full stop can belong to an abbreviation.
    if b[p] != b'.' || plen != 1 {
        return true;
    }
    let mut t = p;
    while t > sent_start
        && (b[t - 1].is_ascii_alphanumeric() || b[t - 1] == b'.' || b[t - 1] == b'\'')
    {
        t -= 1;
    }
    // A token glued to a non-ASCII letter ("Київ.") is no ASCII abbreviation.
    if t > sent_start && !is_ws(b[t - 1]) && b[t - 1] >= 0x80 {
        return true;
    }
    let tok = &text[t..p];
    if tok.is_empty() {
        return true;
    }
    // An initial ("J. D. Vance") or a run of initials ("J.D.").
    let letters = tok.split('.').filter(|w| !w.is_empty());
    let mut all_initials = true;
    let mut n = 0;
    for w in letters {
        n += 1;
        if !(w.len() == 1 && w.as_bytes()[0].is_ascii_uppercase()) {
            all_initials = false;
        }
    }
    scratch.clear();
    scratch.extend(tok.chars().map(|c| c.to_ascii_lowercase()));
    match rules.abbrevs.get(scratch.as_str()) {
        Some(Abbrev::Title) => return false,
        Some(Abbrev::Number) => return !nc.is_ascii_digit(),
        Some(Abbrev::Maybe) => return next_is_opener(text, next, rules, scratch),
        None => {}
    }
    if all_initials && n >= 1 {
        return false;
    }
    true
}

fn next_is_opener(text: &str, next: usize, rules: &Rules, scratch: &mut String) -> bool {
    let word: &str = {
        let rest = &text[next..];
        let end = rest
            .find(|c: char| !c.is_alphanumeric() && c != '\'')
            .unwrap_or(rest.len());
        &rest[..end]
    };
    scratch.clear();
    scratch.extend(word.chars().flat_map(char::to_lowercase));
    rules.openers.contains(scratch.as_str())
}
