//! Word lists that rules test on every word of a clause or of a text, looked up once per word.
//!
//! A scan such as `matches!(doc.word(i), "expect" | "expects" | "expected")` compares each word
//! with each listed word, and which comparison runs depends on the word's length: on running
//! text the processor mispredicts it again and again. [`crate::doc::read`] looks every word up
//! once in one table of all the lists below and keeps the lists it is in as bits, so that such
//! a scan becomes `doc.is(i, List::Expect)`: one bit test per word.

use std::ops::Range;
use std::sync::LazyLock;

use crate::dates;

/// A word list (lower-cased words, at most [`MAX_LEN`] bytes each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    /// Verbs of expecting ("we expect our partners to ...").
    Expect,
    /// Verbs of asking ("asked the American side for ...").
    Ask,
    /// Verbs of keeping on ("keeps bombing", "continues to strike").
    Keep,
    /// Auxiliaries of a promise ("we will ...").
    Will,
    /// Words that open a condition ("until the sanctions are lifted").
    Condition,
    /// Words that doubt an outcome ("seems", "unlikely").
    Doubt,
    /// Adverbs and verbs of recurrence ("repeatedly", "continued").
    Habitual,
    /// Quantifiers of repeated occasions ("several nights", "every day").
    Several,
    /// Russian bulletins' words for the other side ("the Kiev regime").
    RuVoice,
    /// Ukrainian bulletins' words for the other side ("the enemy").
    UaVoice,
    /// Injury nouns that a verb governs ("sustained a shrapnel wound").
    InjuryNoun,
    /// Forms of "drop" ("dropped a guided bomb").
    Drop,
    /// Words that start a date expression (see [`crate::dates::find`]): relative dates
    /// ("yesterday", "last night", "the past week") and, added from the tables in
    /// [`crate::dates`], month and weekday names and the first words of holidays.
    Date,
    /// Month names (from [`crate::dates::MONTHS`]).
    Month,
    /// Conjunctions that may open a second clause ("... and said Russia would ...").
    Conjunction,
    /// What the press or rumour says ("reports that Kyiv might accept ...").
    Rumour,
    /// People who comment rather than speak for a side ("an analyst said Moscow must ...").
    Commentator,
}

impl List {
    /// Every list, in bit order.
    pub const ALL: [List; 17] = [
        List::Expect,
        List::Ask,
        List::Keep,
        List::Will,
        List::Condition,
        List::Doubt,
        List::Habitual,
        List::Several,
        List::RuVoice,
        List::UaVoice,
        List::InjuryNoun,
        List::Drop,
        List::Date,
        List::Month,
        List::Conjunction,
        List::Rumour,
        List::Commentator,
    ];

    /// The list's words.
    pub const fn words(self) -> &'static [&'static str] {
        match self {
            List::Expect => &["expect", "expects", "expected"],
            List::Ask => &["asked", "asks", "ask", "asking"],
            List::Keep => &[
                "keep",
                "keeps",
                "kept",
                "keeping",
                "continue",
                "continues",
                "continued",
                "continuing",
            ],
            List::Will => &["will", "shall", "'ll"],
            List::Condition => &["until", "unless", "before", "provided", "once"],
            List::Doubt => &["seems", "prospect", "unlikely", "remote", "belief"],
            List::Habitual => &[
                "repeatedly",
                "regularly",
                "daily",
                "nightly",
                "continued",
                "continues",
                "continuing",
                "routinely",
                "constantly",
                "systematically",
            ],
            List::Several => &["several", "many", "multiple", "numerous", "every", "each"],
            List::RuVoice => &["regime", "neo-nazi", "neo-nazis"],
            List::UaVoice => &["enemy", "occupiers", "ворог", "окупанти"],
            List::InjuryNoun => &["wound", "wounds", "burns", "concussion", "concussions"],
            List::Drop => &["dropped", "drops", "dropping"],
            List::Date => &[
                "today",
                "yesterday",
                "tonight",
                "overnight",
                "late",
                "last",
                "past",
                "this",
                "the",
                "at",
                "earlier",
                "previous",
                "first",
                "over",
                "since",
                "recently",
                "recent",
                "вчора",
                "вчера",
                "вночі",
                "ночью",
                "сьогодні",
                "сегодня",
            ],
            // Added from the table in dates.rs.
            List::Month => &[],
            List::Conjunction => &["and", "but"],
            List::Rumour => &["reports", "rumours", "rumors", "speculation", "suggestions"],
            List::Commentator => &[
                "analyst",
                "analysts",
                "commentator",
                "commentators",
                "expert",
                "experts",
                "observers",
                "researcher",
                "columnist",
                "broker",
                "economist",
                "historian",
                "pundit",
            ],
        }
    }

    /// The list's bit in [`lists_of`].
    #[inline]
    pub const fn bit(self) -> u64 {
        1 << self as u32
    }
}

/// No listed word is longer (in bytes): a longer word is in no list without a look-up.
pub const MAX_LEN: usize = 24;

/// The listed words by their bytes, in an open-addressing table (a power of two long, at most a
/// quarter full): (the word's bytes as three integers, see [`key`], its length, its list bits);
/// length 0 when empty.
struct Table {
    slots: Vec<([u64; 3], usize, u64)>,
    mask: usize,
    /// A bit per [`filter_bit`] of every listed word: most words of a text are told apart by
    /// this bit alone, before any slot is read (a probe of the table is hard to predict).
    filter: Vec<u64>,
}

const FILTER_BITS: u32 = 16;

/// The bytes `b[from..]` (at most eight) as one little-endian integer, zero-padded.
#[inline]
fn bytes_at(b: &[u8], from: usize) -> u64 {
    match b.get(from..from + 8) {
        Some(c) => c.try_into().map_or(0, u64::from_le_bytes),
        None => {
            let mut pad = [0u8; 8];
            for (p, c) in pad.iter_mut().zip(b.get(from..).unwrap_or(&[])) {
                *p = *c;
            }
            u64::from_le_bytes(pad)
        }
    }
}

/// The word of `n` bytes (at most [`MAX_LEN`]) at `text[at..]` as three integers, eight bytes
/// each (the bytes past its end zeroed). Read from the whole text, the bytes come in eight at
/// a time even for a short word.
#[inline]
fn key(text: &[u8], at: usize, n: usize) -> [u64; 3] {
    let keep = |k: usize| match k {
        0 => 0,
        1..=7 => u64::MAX >> (64 - 8 * k),
        _ => u64::MAX,
    };
    let lo = bytes_at(text, at) & keep(n);
    if n <= 8 {
        return [lo, 0, 0];
    }
    let mid = bytes_at(text, at + 8) & keep(n - 8);
    let hi = if n > 16 {
        bytes_at(text, at + 16) & keep(n - 16)
    } else {
        0
    };
    [lo, mid, hi]
}

#[inline]
fn hash(k: [u64; 3], n: usize) -> u64 {
    (k[0] ^ k[1].rotate_left(21) ^ k[2].rotate_left(42) ^ (n as u64) << 59)
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

#[inline]
fn slot_of(h: u64, mask: usize) -> usize {
    (h >> 40) as usize & mask
}

#[inline]
fn filter_bit(h: u64) -> usize {
    (h >> (40 - FILTER_BITS)) as usize & ((1 << FILTER_BITS) - 1)
}

impl Table {
    fn new() -> Table {
        let mut words: Vec<(&str, u64)> = Vec::new();
        let mut add = |w: &'static str, bit: u64| match words.iter_mut().find(|(x, _)| *x == w) {
            Some((_, bits)) => *bits |= bit,
            None => words.push((w, bit)),
        };
        for l in List::ALL {
            for w in l.words() {
                add(w, l.bit());
            }
        }
        for (w, _) in dates::MONTHS {
            add(w, List::Month.bit());
        }
        for w in date_table_words() {
            add(w, List::Date.bit());
        }
        let len = (words.len() * 4).next_power_of_two();
        let mut t = Table {
            slots: vec![([0; 3], 0, 0); len],
            mask: len - 1,
            filter: vec![0; (1 << FILTER_BITS) / 64],
        };
        for (w, bits) in words {
            let n = w.len();
            let k = key(w.as_bytes(), 0, n);
            let h = hash(k, n);
            let f = filter_bit(h);
            t.filter[f / 64] |= 1 << (f % 64);
            let mut i = slot_of(h, t.mask);
            while t.slots[i].1 != 0 {
                i = (i + 1) & t.mask;
            }
            t.slots[i] = (k, n, bits);
        }
        t
    }

    /// The bits of the word `text[r]`.
    #[inline]
    fn get(&self, text: &[u8], r: Range<usize>) -> u64 {
        let n = r.len();
        if n == 0 || n > MAX_LEN || r.end > text.len() {
            return 0;
        }
        let k = key(text, r.start, n);
        let h = hash(k, n);
        let f = filter_bit(h);
        if self
            .filter
            .get(f / 64)
            .is_none_or(|b| b & (1 << (f % 64)) == 0)
        {
            return 0;
        }
        let mut i = slot_of(h, self.mask);
        loop {
            let Some(&(key, len, bits)) = self.slots.get(i) else {
                return 0;
            };
            if len == 0 {
                return 0;
            }
            if (key, len) == (k, n) {
                return bits;
            }
            i = (i + 1) & self.mask;
        }
    }
}

static TABLE: LazyLock<Table> = LazyLock::new(Table::new);

/// The words of `List::Date` that dates.rs keeps in its own tables: month and weekday names
/// and the first words of holidays.
fn date_table_words() -> impl Iterator<Item = &'static str> {
    dates::MONTHS
        .iter()
        .map(|(w, _)| *w)
        .chain(dates::WEEKDAYS.iter().map(|(w, _)| *w))
        .chain(dates::HOLIDAY_FIRST_WORDS)
}

/// The lists word `w` (lower-cased) is in, as [`List::bit`]s.
pub fn lists_of(w: &str) -> u64 {
    TABLE.get(w.as_bytes(), 0..w.len())
}

/// The lists the word `text[r]` (lower-cased) is in, as [`List::bit`]s.
#[inline]
pub fn lists_at(text: &str, r: Range<usize>) -> u64 {
    TABLE.get(text.as_bytes(), r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_word_is_found_in_its_lists_only() {
        for l in List::ALL {
            for w in l.words() {
                assert!(w.len() <= MAX_LEN, "{w} is longer than MAX_LEN");
                assert_eq!(*w, w.to_lowercase(), "{w} is not lower-cased");
                let expected = List::ALL
                    .iter()
                    .filter(|m| m.words().contains(w))
                    .fold(0, |b, m| b | m.bit());
                assert_eq!(lists_of(w), expected, "{w}");
            }
        }
        assert!(List::ALL.iter().enumerate().all(|(i, l)| *l as usize == i));
    }

    #[test]
    fn month_and_weekday_names_and_holidays_are_dates() {
        for w in date_table_words() {
            assert!(w.len() <= MAX_LEN, "{w} is longer than MAX_LEN");
            assert!(lists_of(w) & List::Date.bit() != 0, "{w}");
        }
        for (w, _) in dates::MONTHS {
            assert!(lists_of(w) & List::Month.bit() != 0, "{w}");
        }
        assert_eq!(lists_of("понедельника"), List::Date.bit());
        assert_eq!(lists_of("понедельникa"), 0);
    }

    #[test]
    fn other_words_are_in_no_list() {
        for w in [
            "",
            "a",
            "or",
            "expecte",
            "expectedly",
            "wil",
            "willing",
            "dropped!",
            "ворога",
            "окупант",
            "continuedx",
            "systematicallyy",
            "neo",
            "nazi",
        ] {
            assert_eq!(lists_of(w), 0, "{w}");
        }
    }
}
