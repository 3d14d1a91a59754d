//! The document as the coder reads it: words, sentences, clauses and what the dictionaries,
//! the date reader and the gazetteer found in them.

use std::ops::Range;

use chrono::NaiveDate;
use truce_lexicon::{ActorKind, Entry, Hit, Lexicon, Token, WordIds, lower_same_len, tokenize};
use truce_model::{GeoPrecision, Party, Span};

use crate::dates::{self, DateRef};
use crate::words::{self, List};

/// A place the gazetteer found, tied to words.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceHit {
    /// Word range.
    pub start: usize,
    pub end: usize,
    pub place: Option<String>,
    pub admin1: Option<String>,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub precision: GeoPrecision,
}

/// One sentence: its words, clauses, hits, dates and places (all word indices are global).
#[derive(Debug, Clone)]
pub struct Sent {
    pub words: Range<usize>,
    pub paragraph: usize,
    pub clauses: Vec<Range<usize>>,
    pub hits: Vec<Hit>,
    pub dates: Vec<(usize, DateRef)>,
    pub places: Vec<PlaceHit>,
}

/// The analysed document.
pub struct Doc<'t> {
    pub text: &'t str,
    pub toks: Vec<Token>,
    /// Per token: the word lower-cased, as written, and the text after it (cut once).
    words: Vec<&'t str>,
    origs: Vec<&'t str>,
    gaps: Vec<&'t str>,
    /// Per token: the word lists it is in ([`List::bit`]s).
    lists: Vec<u64>,
    pub sents: Vec<Sent>,
    pub published: Option<NaiveDate>,
}

impl<'t> Doc<'t> {
    #[inline]
    pub fn word(&self, i: usize) -> &'t str {
        self.words.get(i).copied().unwrap_or("")
    }

    #[inline]
    pub fn orig(&self, i: usize) -> &'t str {
        self.origs.get(i).copied().unwrap_or("")
    }

    /// Whether word `i` is in list `l` (one bit test: see [`crate::words`]).
    #[inline]
    pub fn is(&self, i: usize, l: List) -> bool {
        self.lists.get(i).is_some_and(|b| b & l.bit() != 0)
    }

    /// Words `r` lower-cased (empty when `r` is out of the text).
    #[inline]
    pub fn words_in(&self, r: Range<usize>) -> &[&'t str] {
        self.words.get(r).unwrap_or(&[])
    }

    /// The gaps after words `r` (see [`Doc::gap`]; empty when `r` is out of the text).
    #[inline]
    pub fn gaps_in(&self, r: Range<usize>) -> &[&'t str] {
        self.gaps.get(r).unwrap_or(&[])
    }

    /// Byte span of words `[a, b)`.
    pub fn span(&self, r: Range<usize>) -> Span {
        match (
            self.toks.get(r.start),
            r.end.checked_sub(1).and_then(|e| self.toks.get(e)),
        ) {
            (Some(a), Some(b)) if r.start < r.end => Span::new(a.start, b.end),
            _ => Span::default(),
        }
    }

    /// Text between word `i` and word `i + 1` (after the last word: the rest of the text).
    #[inline]
    pub fn gap(&self, i: usize) -> &'t str {
        self.gaps.get(i).copied().unwrap_or("")
    }

    /// Whether the gap after word `i` holds `c` (most gaps are one space: told at once).
    #[inline]
    pub fn gap_has(&self, i: usize, c: char) -> bool {
        let g = self.gap(i);
        // An ASCII mark is one byte that no other character contains: a plain byte loop over
        // the (short) gap, rather than a character search.
        g != " "
            && match u8::try_from(c) {
                Ok(b) if b.is_ascii() => g.as_bytes().contains(&b),
                _ => g.contains(c),
            }
    }
}

/// The quotation marks in `s`: (straight `"`, opening `“` and `«`, closing `”` and `»`),
/// found with one vectorised search for their first bytes.
pub fn quote_marks(s: &str) -> (usize, usize, usize) {
    let b = s.as_bytes();
    let (mut straight, mut open, mut close) = (0, 0, 0);
    let mut at = 0;
    // 0xc2 and 0xe2 start `«`/`»` and `“`/`”` (lead bytes: never inside another character).
    while let Some(k) = b
        .get(at..)
        .and_then(|r| memchr::memchr3(b'"', 0xc2, 0xe2, r))
    {
        let i = at + k;
        match (b.get(i), b.get(i + 1), b.get(i + 2)) {
            (Some(b'"'), _, _) => straight += 1,
            (Some(0xc2), Some(0xab), _) | (Some(0xe2), Some(0x80), Some(0x9c)) => open += 1,
            (Some(0xc2), Some(0xbb), _) | (Some(0xe2), Some(0x80), Some(0x9d)) => close += 1,
            _ => {}
        }
        at = i + 1;
    }
    (straight, open, close)
}

/// Tokens lower-cased into `lower` (same offsets as `text`).
pub fn lower(text: &str) -> String {
    lower_same_len(text)
}

/// Splits a sentence's words into clauses at ";", dashes, and "while"/"whereas" after a comma.
/// A comma followed by a new subject and its verb also starts a clause ("Ukraine agreed,
/// Russia did not"). `words` and `gaps` are the text's words (lower-cased) and the gaps after
/// them; `subjects` are the word ranges of actors that can be subjects.
fn clauses(
    words: &[&str],
    gaps: &[&str],
    r: Range<usize>,
    subjects: &[(usize, usize)],
) -> Vec<Range<usize>> {
    let word = |i: usize| words.get(i).copied().unwrap_or("");
    let mut out = Vec::new();
    let mut start = r.start;
    for i in r.start..r.end {
        if i + 1 >= r.end {
            break;
        }
        let gap = gaps.get(i).copied().unwrap_or("");
        let next = word(i + 1);
        // A single space (most gaps) holds none of the marks below.
        let split = gap != " "
            && (gap.contains(';')
                || gap.contains(" – ")
                || gap.contains(" — ")
                || gap.contains(" - ")
                || (gap.contains(',') && matches!(next, "while" | "whereas"))
                || (gap.contains(',')
                    && subjects.iter().any(|&(a, b)| {
                        a == i + 1
                            && b < r.end
                            && matches!(
                                word(b),
                                "did"
                                    | "does"
                                    | "has"
                                    | "have"
                                    | "had"
                                    | "was"
                                    | "is"
                                    | "would"
                                    | "will"
                                    | "insists"
                                    | "insisted"
                                    | "refused"
                                    | "rejected"
                                    | "agreed"
                                    | "accepted"
                            )
                    })));
        if split && i + 1 > start {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < r.end {
        out.push(start..r.end);
    }
    out
}

/// Reads a prepared text: words, sentences (from `sentences`, spans of `text`), clauses,
/// dictionary hits, dates, and places (from `places`, spans of `text`).
pub fn read<'t>(
    text: &'t str,
    lower: &'t str,
    sentences: &[(Span, usize)],
    lexicon: &Lexicon,
    places: Vec<(Span, PlaceHit)>,
    published: Option<NaiveDate>,
) -> Doc<'t> {
    let toks = tokenize(lower);
    let mut sents = Vec::with_capacity(sentences.len());
    let mut places = places.into_iter().peekable();
    // Every word, as lower-cased, as written, and the text after it (once per document).
    let all_words: Vec<&str> = toks.iter().map(|t| &lower[t.start..t.end]).collect();
    let all_orig: Vec<&str> = toks.iter().map(|t| &text[t.start..t.end]).collect();
    let all_gaps: Vec<&str> = (0..toks.len())
        .map(|i| match toks.get(i + 1) {
            Some(n) => &text[toks[i].end..n.start],
            None => &text[toks[i].end..],
        })
        .collect();
    let all_lists: Vec<u64> = toks
        .iter()
        .map(|t| words::lists_at(lower, t.start..t.end))
        .collect();
    // Every word as the dictionaries know it (once per document).
    let all_ids: Vec<WordIds> = all_words.iter().map(|w| lexicon.word_ids(w)).collect();
    for &(span, paragraph) in sentences {
        let a = toks.partition_point(|t| t.start < span.start);
        let b = toks.partition_point(|t| t.end <= span.end);
        if a >= b {
            continue;
        }
        let words = &all_words[a..b];
        let orig = &all_orig[a..b];
        let gaps = &all_gaps[a..b];
        let mut hits = lexicon.scan_ids(&all_ids[a..b]);
        for h in &mut hits {
            h.start += a;
            h.end += a;
        }
        let dates = dates::find(words, orig, gaps, &all_lists[a..b], published)
            .into_iter()
            .map(|(i, d)| (i + a, d))
            .collect();
        let mut sent_places = Vec::new();
        while let Some((ps, _)) = places.peek() {
            if ps.start >= span.end {
                break;
            }
            let Some((ps, mut p)) = places.next() else {
                break;
            };
            if ps.end <= span.start {
                continue;
            }
            p.start = toks.partition_point(|t| t.start < ps.start);
            p.end = toks.partition_point(|t| t.end <= ps.end).max(p.start + 1);
            if p.start >= a && p.start < b {
                sent_places.push(p);
            }
        }
        let subjects: Vec<(usize, usize)> = hits
            .iter()
            .filter(|h| {
                !h.possessive
                    && matches!(h.entry, Entry::Actor(i) if lexicon.actor(i).is_some_and(|x| matches!(x.kind, ActorKind::Person | ActorKind::State | ActorKind::Institution)))
            })
            .map(|h| (h.start, h.end))
            .collect();
        sents.push(Sent {
            words: a..b,
            paragraph,
            clauses: clauses(&all_words, &all_gaps, a..b, &subjects),
            hits,
            dates,
            places: sent_places,
        });
    }
    Doc {
        text,
        toks,
        words: all_words,
        origs: all_orig,
        gaps: all_gaps,
        lists: all_lists,
        sents,
        published,
    }
}

/// The party and kind of an actor hit.
pub fn actor_of(lexicon: &Lexicon, h: &Hit) -> Option<(Party, ActorKind, String)> {
    match h.entry {
        Entry::Actor(i) => lexicon.actor(i).map(|a| (a.party, a.kind, a.name.clone())),
        _ => None,
    }
}

/// The party and kind of an actor hit, without its name (nothing copied).
pub fn actor_kind(lexicon: &Lexicon, h: &Hit) -> Option<(Party, ActorKind)> {
    match h.entry {
        Entry::Actor(i) => lexicon.actor(i).map(|a| (a.party, a.kind)),
        _ => None,
    }
}
