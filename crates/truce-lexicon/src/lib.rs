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
use std::hash::{BuildHasherDefault, Hasher};

pub use parse::LexiconError;
pub use token::{Token, lower_same_len, tokenize};
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
    /// Air defence shooting down what was launched ("shot down", "intercepted").
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
    /// FNV hash of each word (a quick filter before comparing strings).
    hashes: Vec<u64>,
    entry: Entry,
}

impl Term {
    fn new(words: Vec<String>, entry: Entry) -> Term {
        let hashes = words.iter().map(|w| fnv(w.as_bytes())).collect();
        Term {
            words,
            hashes,
            entry,
        }
    }
}

/// Whether the words at `pos` may spell a term whose word hashes are `hashes`, by hashes (no
/// false negatives).
fn may_match(hashes: &[u64], keys: &[[u64; 4]], pos: usize) -> bool {
    let n = hashes.len();
    if n == 0 || keys.len() < pos + n {
        return false;
    }
    for k in 0..n - 1 {
        if keys[pos + k][0] != hashes[k] {
            return false;
        }
    }
    let last = &keys[pos + n - 1];
    let h = hashes[n - 1];
    last[0] == h || last[1] == h || last[2] == h || last[3] == h
}

/// Hashes a u64 key as itself (keys are already FNV hashes of words).
#[derive(Default)]
struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = i;
    }
}

/// Index key -> `(start, len)` of its term ids in [`Lexicon::ids`].
type HashIndex = HashMap<u64, (u32, u32), BuildHasherDefault<Identity>>;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// The index key of a term's first two words.
fn pair(first: u64, second: u64) -> u64 {
    first.rotate_left(17) ^ second.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x5555
}

/// FNV-1a of a word.
fn fnv(bytes: &[u8]) -> u64 {
    let mut h = FNV_OFFSET;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// The FNV hashes of a word and of its forms without a plural or possessive ending ("s",
/// "es" or "'s", "’s"), in one pass: `[word, -1 byte, -2 bytes, -4 bytes]`, 0 where none.
fn word_keys(w: &str) -> [u64; 4] {
    let b = w.as_bytes();
    let n = b.len();
    let ends_s = n >= 2 && b[n - 1] == b's';
    let curly = n >= 5 && w.ends_with("\u{2019}s");
    let mut out = [0u64; 4];
    let mut h = FNV_OFFSET;
    for (i, &c) in b.iter().enumerate() {
        if ends_s && i == n - 1 {
            out[1] = h;
        }
        if ends_s && n >= 3 && i == n - 2 {
            out[2] = h;
        }
        if curly && i == n - 4 {
            out[3] = h;
        }
        h ^= u64::from(c);
        h = h.wrapping_mul(FNV_PRIME);
    }
    out[0] = h;
    out
}

/// An immutable set of dictionaries. Build it with [`Lexicon::embedded`] or [`Lexicon::parse`].
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    actors: Vec<Actor>,
    terms: Vec<Term>,
    /// FNV hash of a term's first word (of its first two words when longer) -> its run of
    /// term indices in `ids`, longest term first.
    index: HashIndex,
    ids: Vec<u32>,
    /// Per term, `(start, len)` of its word hashes in `hashes`: flat arrays, so that the scan
    /// filters candidates without following a pointer per term.
    spans: Vec<(u32, u32)>,
    hashes: Vec<u64>,
    /// First words of the terms longer than one word.
    multi_first: std::collections::HashSet<u64, BuildHasherDefault<Identity>>,
    /// A bit per [`filter_bit`] of every key in `index` and `multi_first`: most words name no
    /// term, and this small table (in the first-level cache) says so before a hash-map probe.
    filter: Vec<u64>,
}

const FILTER_BITS: u32 = 16;

/// The filter bit of an index key.
fn filter_bit(key: u64) -> usize {
    (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - FILTER_BITS)) as usize
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
        // One-word terms by their word; longer terms by their first two words, so that a
        // frequent first word ("Russian", "the") does not try every term it starts.
        let mut lists: HashMap<u64, Vec<u32>, BuildHasherDefault<Identity>> = HashMap::default();
        for (i, t) in self.terms.iter().enumerate() {
            let key = match t.hashes.as_slice() {
                [one] => *one,
                [first, second, ..] => pair(*first, *second),
                [] => continue,
            };
            lists.entry(key).or_default().push(i as u32);
        }
        self.multi_first = self
            .terms
            .iter()
            .filter(|t| t.hashes.len() > 1)
            .map(|t| t.hashes[0])
            .collect();
        let mut index = HashIndex::default();
        let mut ids = Vec::new();
        for (key, mut v) in lists {
            v.sort_by_key(|&i| std::cmp::Reverse(self.terms[i as usize].words.len()));
            v.dedup_by(|a, b| {
                let (ta, tb) = (&self.terms[*a as usize], &self.terms[*b as usize]);
                ta.words == tb.words && ta.entry == tb.entry
            });
            index.insert(key, (ids.len() as u32, v.len() as u32));
            ids.extend(v);
        }
        self.ids = ids;
        self.spans.clear();
        self.hashes.clear();
        for t in &self.terms {
            self.spans
                .push((self.hashes.len() as u32, t.hashes.len() as u32));
            self.hashes.extend_from_slice(&t.hashes);
        }
        let mut filter = vec![0u64; (1usize << FILTER_BITS) / 64];
        for &key in index.keys().chain(self.multi_first.iter()) {
            let b = filter_bit(key);
            filter[b / 64] |= 1 << (b % 64);
        }
        self.filter = filter;
        self.index = index;
    }

    /// Whether `key` may be in `index` or `multi_first` (no false negatives).
    fn may_have(&self, key: u64) -> bool {
        let b = filter_bit(key);
        self.filter
            .get(b / 64)
            .is_some_and(|w| w & (1 << (b % 64)) != 0)
    }

    /// Finds every dictionary term in `words` (lower-cased tokens, see [`tokenize`]). A term's
    /// last word also matches with a plural "s"/"es". Within one class (actors, weapons, targets,
    /// acts, abouts, each cue kind) a match inside a longer match is dropped.
    pub fn scan(&self, words: &[&str]) -> Vec<Hit> {
        let mut hits: Vec<Hit> = Vec::new();
        let all_keys: Vec<[u64; 4]> = words.iter().map(|w| word_keys(w)).collect();
        for (pos, keys) in all_keys.iter().enumerate() {
            // One-word terms: this word or its singular/non-possessive forms. Longer terms:
            // this word and the next (in any of its forms).
            let next = all_keys.get(pos + 1);
            let mut lookups = [0u64; 8];
            lookups[..4].copy_from_slice(keys);
            if let Some(n) =
                next.filter(|_| self.may_have(keys[0]) && self.multi_first.contains(&keys[0]))
            {
                for (k, nk) in n.iter().enumerate() {
                    if *nk != 0 {
                        lookups[4 + k] = pair(keys[0], *nk);
                    }
                }
            }
            for (k, key) in lookups.iter().enumerate() {
                if *key == 0 || !self.may_have(*key) || lookups[..k].contains(key) {
                    continue;
                }
                let Some(&(from, len)) = self.index.get(key) else {
                    continue;
                };
                let ids = self
                    .ids
                    .get(from as usize..(from + len) as usize)
                    .unwrap_or(&[]);
                for &id in ids {
                    let (h_from, h_len) = self.spans.get(id as usize).copied().unwrap_or((0, 0));
                    let hashes = self
                        .hashes
                        .get(h_from as usize..(h_from + h_len) as usize)
                        .unwrap_or(&[]);
                    if !may_match(hashes, &all_keys, pos) {
                        continue;
                    }
                    let term = &self.terms[id as usize];
                    if let Some((len, possessive)) = matches_at(&term.words, &words[pos..]) {
                        hits.push(Hit {
                            start: pos,
                            end: pos + len,
                            entry: term.entry,
                            possessive,
                        });
                    }
                }
            }
        }
        // Drop a hit nested inside a longer hit of the same class.
        hits.sort_by_key(|h| (h.entry.class(), h.start, std::cmp::Reverse(h.end)));
        let mut out: Vec<Hit> = Vec::with_capacity(hits.len());
        let mut cover: Option<(u8, usize, usize)> = None; // class, start, end of the widest so far
        for h in hits {
            let class = h.entry.class();
            if let Some((c, s, e)) = cover
                && c == class
                && h.end <= e
            {
                if (h.start, h.end) != (s, e) {
                    continue;
                }
            } else {
                cover = Some((class, h.start, h.end));
            }
            out.push(h);
        }
        out.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
        out.dedup();
        out
    }
}

/// Does `word` spell `term`? The last word of a term may add a plural or a possessive.
/// Returns `Some(possessive)` on a match.
fn word_eq(term: &str, word: &str, last: bool) -> Option<bool> {
    if term == word {
        return Some(false);
    }
    if !last {
        return None;
    }
    match word.strip_prefix(term) {
        Some("s") | Some("es") => Some(false),
        Some("'s") | Some("\u{2019}s") | Some("s'") | Some("s\u{2019}") => Some(true),
        _ => None,
    }
}

fn matches_at(term: &[String], words: &[&str]) -> Option<(usize, bool)> {
    if words.len() < term.len() {
        return None;
    }
    let n = term.len();
    let mut possessive = false;
    for (k, t) in term.iter().enumerate() {
        possessive = word_eq(t, words[k], k + 1 == n)?;
    }
    Some((n, possessive))
}
