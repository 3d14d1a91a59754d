//! truce's dictionaries: actors (people, institutions, states, demonyms -> parties), weapon and
//! target words, statement (`act`/`about`) cues and incident cue words, all read from TOML data
//! files (`data/lexicon/*.toml`, embedded at build time) so users can extend them without
//! recompiling.
//!
//! Invariant: this crate knows no IO and no coding rules; it only knows words and what they name.
//! It also owns the word tokenizer, so that dictionary terms and texts are cut the same way.

mod parse;
mod token;

use std::collections::HashMap;

pub use parse::LexiconError;
pub use token::{Token, ascii_run, lower_same_len, tokenize};
use truce_model::{About, Act, Party, Target, Weapon};

/// What kind of actor a name denotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActorKind {
    /// A named person ("Vladimir Putin").
    Person,
    /// A country, capital or seat of power used as an actor ("Russia", "Kyiv", "the Kremlin").
    State,
    /// A ministry, agency, company or office ("Russian Defence Ministry", "Ukrenergo").
    Institution,
    /// Armed forces ("Russian troops").
    Forces,
    /// An adjective or possessive ("Ukrainian", "Russia's").
    Demonym,
    /// News media speaking for themselves.
    Media,
}

impl ActorKind {
    fn parse(s: &str) -> Option<ActorKind> {
        Some(match s {
            "person" => ActorKind::Person,
            "state" => ActorKind::State,
            "institution" => ActorKind::Institution,
            "forces" => ActorKind::Forces,
            "demonym" => ActorKind::Demonym,
            "media" => ActorKind::Media,
            _ => return None,
        })
    }
}

/// An actor: canonical name, party, kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub name: String,
    pub party: Party,
    pub kind: ActorKind,
}

/// Cue words the coder reads around incidents (see `data/lexicon/cues.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cue {
    Attack,
    Report,
    Kill,
    Injure,
    Prevent,
    Hedge,
    Official,
    Night,
    /// Air defence shooting down what was launched ("shot down", "intercepted"). The last cue
    /// (see `CLASSES`): a new one goes before it.
    Intercept,
}

impl Cue {
    fn parse(s: &str) -> Option<Cue> {
        Some(match s {
            "attack" => Cue::Attack,
            "report" => Cue::Report,
            "kill" => Cue::Kill,
            "injure" => Cue::Injure,
            "prevent" => Cue::Prevent,
            "hedge" => Cue::Hedge,
            "official" => Cue::Official,
            "night" => Cue::Night,
            "intercept" => Cue::Intercept,
            _ => return None,
        })
    }
}

/// What a dictionary term names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entry {
    /// Index into [`Lexicon::actors`].
    Actor(u32),
    Weapon(Weapon),
    Target(Target),
    Act(Act),
    About(About),
    Cue(Cue),
}

/// Number of entry classes (see [`Entry::class`]): five kinds of term, then one per cue, up to
/// the last cue.
const CLASSES: usize = 5 + Cue::Intercept as usize + 1;

impl Entry {
    /// Entries of the same class compete for the same words (the longer match wins).
    pub fn class(self) -> u8 {
        match self {
            Entry::Actor(_) => 0,
            Entry::Weapon(_) => 1,
            Entry::Target(_) => 2,
            Entry::Act(_) => 3,
            Entry::About(_) => 4,
            Entry::Cue(c) => 5 + c as u8,
        }
    }
}

/// A dictionary term found in a token sequence: tokens `[start, end)` name `entry`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub entry: Entry,
    /// The last word carried a possessive "'s" ("Trump's plan").
    pub possessive: bool,
}

#[derive(Debug, Clone)]
struct Term {
    words: Vec<String>,
    entry: Entry,
}

impl Term {
    fn new(words: Vec<String>, entry: Entry) -> Term {
        Term { words, entry }
    }
}

/// Not a dictionary word.
const NO_WORD: u32 = u32::MAX;

/// A word of a text as the dictionaries know it: the ids of the word and of its forms without
/// a plural or possessive ending (see [`Lexicon::word_ids`]). Compute them once per document,
/// then scan any run of them with [`Lexicon::scan_ids`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordIds {
    /// The word; without a final "s"; without "es" or "'s"; without "’s" (`NO_WORD` where the
    /// form is no dictionary word).
    ids: [u32; 4],
    /// The third form drops a possessive "'s" (not a plural "es").
    possessive2: bool,
}

impl WordIds {
    /// Whether the word spells the dictionary word `id`: `Some(possessive)` when it does, as
    /// itself or with a plural or possessive ending.
    fn spells(&self, id: u32) -> Option<bool> {
        let [a, b, c, d] = self.ids;
        if a == id || b == id {
            Some(false)
        } else if c == id {
            Some(self.possessive2)
        } else if d == id {
            Some(true)
        } else {
            None
        }
    }
}

/// A word's bytes as one little-endian integer, for words of at most eight bytes (longer ones
/// are read eight bytes at a time by [`word_hash`]): the first and last bytes, read so that
/// the two reads overlap rather than loop.
#[inline]
fn tail_bits(b: &[u8]) -> u64 {
    let n = b.len();
    match (
        b.first_chunk::<4>(),
        b.last_chunk::<4>(),
        b.first(),
        b.last(),
    ) {
        (Some(lo), Some(hi), _, _) if n <= 8 => {
            u64::from(u32::from_le_bytes(*lo)) | u64::from(u32::from_le_bytes(*hi)) << ((n - 4) * 8)
        }
        // One to three bytes: the first, the middle and the last (some of them the same).
        (None, _, Some(&a), Some(&z)) => {
            let m = b.get(n / 2).copied().unwrap_or(0);
            u64::from(a) | u64::from(m) << (n / 2 * 8) | u64::from(z) << ((n - 1) * 8)
        }
        _ => 0,
    }
}

const HASH_K: u64 = 0x9e37_79b9_7f4a_7c15;

/// A word's hash, eight bytes at a time (its length mixed in, so that a word and the same bytes
/// padded with zeros differ). Two words of the same length, at most eight bytes, have the same
/// hash only if they are the same word: the steps below are one-to-one.
#[inline]
fn word_hash(b: &[u8]) -> u64 {
    let mut h = (b.len() as u64).wrapping_mul(0xff51_afd7_ed55_8ccd);
    let mut rest = b;
    while rest.len() > 8 {
        let Some((c, r)) = rest.split_first_chunk::<8>() else {
            break;
        };
        h = (h ^ u64::from_le_bytes(*c)).wrapping_mul(HASH_K);
        h ^= h >> 29;
        rest = r;
    }
    h = (h ^ tail_bits(rest)).wrapping_mul(HASH_K);
    h ^ (h >> 32)
}

/// Every word of every term, by id: an open-addressing table over word hashes ([`word_hash`]), with a bit filter
/// (in the first-level cache) that answers most words of a text before the table is read.
#[derive(Debug, Clone, Default)]
struct Vocab {
    /// Word -> id while the dictionaries are read.
    ids: HashMap<String, u32>,
    /// The words' bytes, one after another; word `i` is `bytes[ends[i - 1]..ends[i]]`.
    bytes: Vec<u8>,
    ends: Vec<u32>,
    hashes: Vec<u64>,
    /// Slot -> word id + 1, 0 when empty: a power of two long, at most half full (small, so
    /// that it stays in the first-level cache).
    slots: Vec<u32>,
    /// A bit per [`filter_bit`] of every word's hash.
    filter: Vec<u64>,
    /// `64 - log2(slots.len())`: the shift that keeps a mixed hash's high bits (0: no table).
    shift: u32,
}

const FILTER_BITS: u32 = 16;

/// The filter bit of a word hash.
#[inline]
fn filter_bit(hash: u64) -> usize {
    (hash.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - FILTER_BITS)) as usize
}

/// `a == b` for short byte strings, without a call to `memcmp`.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut a, mut b) = (a, b);
    while let (Some((x, ra)), Some((y, rb))) =
        (a.split_first_chunk::<8>(), b.split_first_chunk::<8>())
    {
        if x != y {
            return false;
        }
        (a, b) = (ra, rb);
    }
    a.iter().zip(b).all(|(x, y)| x == y)
}

impl Vocab {
    #[inline]
    fn slot(&self, hash: u64) -> usize {
        // The table length is a power of two: mix the hash and keep its high bits.
        if self.shift == 0 {
            return 0;
        }
        (hash.wrapping_mul(0xff51_afd7_ed55_8ccd) >> self.shift) as usize
    }

    fn len(&self) -> usize {
        self.hashes.len()
    }

    /// The bytes of word `id`.
    fn word(&self, id: u32) -> &[u8] {
        let i = id as usize;
        let from = if i == 0 {
            0
        } else {
            self.ends.get(i - 1).map_or(0, |&e| e as usize)
        };
        let to = self.ends.get(i).map_or(from, |&e| e as usize);
        self.bytes.get(from..to).unwrap_or(&[])
    }

    /// The id of `word` (added if new).
    fn intern(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = self.hashes.len() as u32;
        self.bytes.extend_from_slice(word.as_bytes());
        self.ends.push(self.bytes.len() as u32);
        self.hashes.push(word_hash(word.as_bytes()));
        self.ids.insert(word.to_string(), id);
        id
    }

    /// Lays out the table and the filter once every word is interned.
    fn seal(&mut self) {
        let len = (self.hashes.len() * 2).next_power_of_two().max(16);
        self.slots = vec![0; len];
        let bits = len.trailing_zeros();
        self.shift = if bits == 0 { 0 } else { 64 - bits };
        let mask = len - 1;
        for (id, &hash) in self.hashes.iter().enumerate() {
            let mut i = self.slot(hash);
            while self.slots[i] != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = id as u32 + 1;
        }
        let mut filter = vec![0u64; (1usize << FILTER_BITS) / 64];
        for &hash in &self.hashes {
            let b = filter_bit(hash);
            filter[b / 64] |= 1 << (b % 64);
        }
        self.filter = filter;
    }

    /// The id of the word `bytes`, or `NO_WORD`.
    #[inline(always)]
    fn lookup(&self, bytes: &[u8]) -> u32 {
        self.get(word_hash(bytes), bytes)
    }

    /// The id of the word `bytes` whose [`word_hash`] is `hash`, or `NO_WORD`.
    #[inline]
    fn get(&self, hash: u64, bytes: &[u8]) -> u32 {
        let b = filter_bit(hash);
        if self
            .filter
            .get(b / 64)
            .is_none_or(|w| w & (1 << (b % 64)) == 0)
        {
            return NO_WORD;
        }
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = self.slot(hash);
        while let Some(&s) = self.slots.get(i) {
            if s == 0 {
                break;
            }
            // A word of at most eight bytes is its hash and its length (see `word_hash`).
            let id = s - 1;
            if self.hashes.get(id as usize) == Some(&hash) {
                let w = self.word(id);
                if w.len() == bytes.len() && (w.len() <= 8 || same_bytes(w, bytes)) {
                    return id;
                }
            }
            i = (i + 1) & mask;
        }
        NO_WORD
    }
}

/// A term of two words or more: its word ids are `term_words[from..from + len]`.
#[derive(Debug, Clone, Copy)]
struct MultiTerm {
    from: u32,
    len: u32,
    entry: Entry,
}

/// What the dictionaries hold for one word: `(start, len)` in [`Lexicon::singles`] of the
/// entries of the one-word terms it spells, and in [`Lexicon::pairs`] of the longer terms it
/// starts.
#[derive(Debug, Clone, Copy, Default)]
struct WordInfo {
    single: (u32, u32),
    multi: (u32, u32),
}

/// An immutable set of dictionaries. Build it with [`Lexicon::embedded`] or [`Lexicon::parse`].
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    actors: Vec<Actor>,
    terms: Vec<Term>,
    /// Every word of every term, by id.
    vocab: Vocab,
    /// Per term, `(start, len)` of its word ids in `term_words`.
    spans: Vec<(u32, u32)>,
    term_words: Vec<u32>,
    /// Per word id: where its terms are.
    info: Vec<WordInfo>,
    /// Runs of entries of one-word terms.
    singles: Vec<Entry>,
    /// `(second word id, start, len)`, sorted by second word within each `multi` range: the
    /// terms `multis[start..start + len]` start with that range's word, then this one.
    pairs: Vec<(u32, u32, u32)>,
    /// Runs of terms of two words or more, longest term first.
    multis: Vec<MultiTerm>,
}

/// The dictionaries shipped with truce (`data/lexicon/*.toml`).
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "actors.toml",
        include_str!("../../../data/lexicon/actors.toml"),
    ),
    (
        "weapons.toml",
        include_str!("../../../data/lexicon/weapons.toml"),
    ),
    (
        "targets.toml",
        include_str!("../../../data/lexicon/targets.toml"),
    ),
    (
        "statements.toml",
        include_str!("../../../data/lexicon/statements.toml"),
    ),
    ("cues.toml", include_str!("../../../data/lexicon/cues.toml")),
];

impl Lexicon {
    /// The dictionaries shipped with truce.
    pub fn embedded() -> Lexicon {
        // The embedded files are checked by this crate's tests; an empty lexicon is the safe
        // fallback should they ever be broken.
        Lexicon::parse(EMBEDDED).unwrap_or_default()
    }

    /// Parses dictionary files `(file name, contents)`. Each file may hold any of the tables
    /// `[[actor]]`, `[weapon]`, `[target]`, `[act]`, `[about]`, `[cue]`.
    pub fn parse(files: &[(&str, &str)]) -> Result<Lexicon, LexiconError> {
        let mut lex = Lexicon::default();
        for (name, contents) in files {
            parse::parse_file(&mut lex, name, contents)?;
        }
        lex.build_index();
        Ok(lex)
    }

    /// This lexicon with `other`'s entries added (both sets of terms stay active).
    pub fn extend(mut self, other: Lexicon) -> Lexicon {
        let offset = self.actors.len() as u32;
        self.actors.extend(other.actors);
        for mut t in other.terms {
            if let Entry::Actor(i) = t.entry {
                t.entry = Entry::Actor(i + offset);
            }
            self.terms.push(t);
        }
        self.build_index();
        self
    }

    pub fn actors(&self) -> &[Actor] {
        &self.actors
    }

    pub fn actor(&self, i: u32) -> Option<&Actor> {
        self.actors.get(i as usize)
    }

    /// Number of terms (all dictionaries).
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    fn add_term(&mut self, phrase: &str, entry: Entry) {
        let lower = lower_same_len(phrase);
        let words: Vec<String> = tokenize(&lower)
            .iter()
            .map(|t| lower[t.start..t.end].to_string())
            .collect();
        if words.is_empty() {
            return;
        }
        // Texts may spell apostrophes either way: index both.
        if words.iter().any(|w| w.contains('\'')) {
            let curly = words.iter().map(|w| w.replace('\'', "\u{2019}")).collect();
            self.terms.push(Term::new(curly, entry));
        }
        self.terms.push(Term::new(words, entry));
    }

    fn add_actor(&mut self, actor: Actor, aliases: &[String]) {
        let id = self.actors.len() as u32;
        let name = actor.name.clone();
        self.actors.push(actor);
        self.add_term(&name, Entry::Actor(id));
        for a in aliases {
            self.add_term(a, Entry::Actor(id));
        }
    }

    fn build_index(&mut self) {
        // Word ids for every term.
        let mut vocab = Vocab::default();
        self.spans.clear();
        self.term_words.clear();
        for t in &self.terms {
            self.spans
                .push((self.term_words.len() as u32, t.words.len() as u32));
            for w in &t.words {
                self.term_words.push(vocab.intern(w));
            }
        }
        vocab.seal();
        // One-word terms by their word; longer terms by their first two words, so that a
        // frequent first word ("Russian", "the") does not try every term it starts.
        let mut lists: HashMap<(u32, u32), Vec<u32>> = HashMap::default();
        for (i, &(from, len)) in self.spans.iter().enumerate() {
            let words = self
                .term_words
                .get(from as usize..(from + len) as usize)
                .unwrap_or(&[]);
            let key = match words {
                [one] => (*one, NO_WORD),
                [first, second, ..] => (*first, *second),
                [] => continue,
            };
            lists.entry(key).or_default().push(i as u32);
        }
        let mut lists: Vec<((u32, u32), Vec<u32>)> = lists.into_iter().collect();
        lists.sort_by_key(|(k, _)| *k);
        self.info = vec![WordInfo::default(); vocab.len()];
        self.singles.clear();
        self.pairs.clear();
        self.multis.clear();
        for ((first, second), mut v) in lists {
            v.sort_by_key(|&i| std::cmp::Reverse(self.terms[i as usize].words.len()));
            v.dedup_by(|a, b| {
                let (ta, tb) = (&self.terms[*a as usize], &self.terms[*b as usize]);
                ta.words == tb.words && ta.entry == tb.entry
            });
            let Some(info) = self.info.get_mut(first as usize) else {
                continue;
            };
            if second == NO_WORD {
                info.single = (self.singles.len() as u32, v.len() as u32);
                self.singles
                    .extend(v.iter().map(|&i| self.terms[i as usize].entry));
            } else {
                // Lists come sorted by (first, second): each first word's pairs are one run.
                let m = &mut info.multi;
                if m.1 == 0 {
                    m.0 = self.pairs.len() as u32;
                }
                m.1 += 1;
                self.pairs
                    .push((second, self.multis.len() as u32, v.len() as u32));
                for &i in &v {
                    let (from, len) = self.spans[i as usize];
                    let entry = self.terms[i as usize].entry;
                    self.multis.push(MultiTerm { from, len, entry });
                }
            }
        }
        self.vocab = vocab;
    }

    /// The dictionary ids of a word of a text (lower-cased, see [`tokenize`]): the word itself
    /// and its forms without a plural "s"/"es" or a possessive "'s"/"’s".
    #[inline]
    pub fn word_ids(&self, w: &str) -> WordIds {
        let b = w.as_bytes();
        let n = b.len();
        let ends_s = n >= 2 && b[n - 1] == b's';
        let cut2 = ends_s && n >= 3 && matches!(b[n - 2], b'e' | b'\'');
        let curly = n >= 5 && w.ends_with("\u{2019}s");
        let v = &self.vocab;
        let mut ids = [v.lookup(b), NO_WORD, NO_WORD, NO_WORD];
        if ends_s {
            ids[1] = v.lookup(&b[..n - 1]);
        }
        if cut2 {
            ids[2] = v.lookup(&b[..n - 2]);
        }
        if curly {
            ids[3] = v.lookup(&b[..n - 4]);
        }
        WordIds {
            ids,
            possessive2: cut2 && b[n - 2] == b'\'',
        }
    }

    /// Finds every dictionary term in `words` (lower-cased tokens, see [`tokenize`]). A term's
    /// last word also matches with a plural "s"/"es". Within one class (actors, weapons, targets,
    /// acts, abouts, each cue kind) a match inside a longer match is dropped.
    pub fn scan(&self, words: &[&str]) -> Vec<Hit> {
        let ids: Vec<WordIds> = words.iter().map(|w| self.word_ids(w)).collect();
        self.scan_ids(&ids)
    }

    /// [`Lexicon::scan`] over words already looked up with [`Lexicon::word_ids`].
    pub fn scan_ids(&self, words: &[WordIds]) -> Vec<Hit> {
        let mut hits: Vec<Hit> = Vec::with_capacity(words.len());
        for (pos, w) in words.iter().enumerate() {
            // One-word terms: this word or its singular/non-possessive forms (most words have
            // none of the latter).
            let forms = match w.ids {
                [_, NO_WORD, NO_WORD, NO_WORD] => &w.ids[..1],
                _ => &w.ids[..],
            };
            for (k, &id) in forms.iter().enumerate() {
                if id == NO_WORD {
                    continue;
                }
                let Some(&WordInfo {
                    single: (from, len),
                    ..
                }) = self.info.get(id as usize)
                else {
                    continue;
                };
                let possessive = match k {
                    0 | 1 => false,
                    2 => w.possessive2,
                    _ => true,
                };
                let entries = self
                    .singles
                    .get(from as usize..(from + len) as usize)
                    .unwrap_or(&[]);
                for &entry in entries {
                    hits.push(Hit {
                        start: pos,
                        end: pos + 1,
                        entry,
                        possessive,
                    });
                }
            }
            // Longer terms: this word and the next (in any of its forms), then the rest.
            let Some(&WordInfo {
                multi: (from, len), ..
            }) = self.info.get(w.ids[0] as usize)
            else {
                continue;
            };
            let Some(next) = words.get(pos + 1).filter(|_| len > 0) else {
                continue;
            };
            let pairs = self
                .pairs
                .get(from as usize..(from + len) as usize)
                .unwrap_or(&[]);
            for &second in &next.ids {
                if second == NO_WORD {
                    continue;
                }
                let Ok(p) = pairs.binary_search_by_key(&second, |p| p.0) else {
                    continue;
                };
                let Some(&(_, r_from, r_len)) = pairs.get(p) else {
                    continue;
                };
                let run = self
                    .multis
                    .get(r_from as usize..(r_from + r_len) as usize)
                    .unwrap_or(&[]);
                for t in run {
                    if let Some((n, possessive)) = self.matches_at(t, &words[pos..]) {
                        hits.push(Hit {
                            start: pos,
                            end: pos + n,
                            entry: t.entry,
                            possessive,
                        });
                    }
                }
            }
        }
        // In text order, longer first, then by class (one sort: within a class this is the
        // order in which a hit's covers come before it).
        hits.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end), h.entry.class()));
        // Drop a hit nested inside a longer hit of the same class (in place): per class, the
        // first hit that reached the furthest end so far covers the later ones it spans.
        let mut cover = [(0usize, 0usize, false); CLASSES];
        hits.retain(|h| {
            let Some((s, e, seen)) = cover.get_mut(usize::from(h.entry.class())) else {
                return true;
            };
            if *seen && h.end <= *e {
                (h.start, h.end) == (*s, *e)
            } else {
                (*s, *e, *seen) = (h.start, h.end, true);
                true
            }
        });
        hits.dedup();
        hits
    }

    /// Whether term `t` is spelt by the first words of `words`: `Some((its length,
    /// possessive))`. Words before the last must be the term's own; the last may add a plural
    /// or a possessive.
    fn matches_at(&self, t: &MultiTerm, words: &[WordIds]) -> Option<(usize, bool)> {
        let term = self
            .term_words
            .get(t.from as usize..(t.from + t.len) as usize)?;
        let (last, init) = term.split_last()?;
        if words.len() < term.len() {
            return None;
        }
        for (id, w) in init.iter().zip(words) {
            if w.ids[0] != *id {
                return None;
            }
        }
        let possessive = words.get(init.len())?.spells(*last)?;
        Some((term.len(), possessive))
    }
}
