//! The gazetteer's name index as one byte buffer of open-addressing hash tables, usable in
//! place (no decoding): build.rs writes it for the embedded data; `from_tsv` builds it at run
//! time. Shared with build.rs through `#[path]`: std only.
//!
//! Layout (integers little-endian, offsets from the buffer's start): a header
//! `MAGIC u32, max_words u32, TABLES x (slots_off u32, capacity u32), filter_off u32,
//! filter_bits u32`, then entries, slot arrays and the first-word filter. An entry is
//! `hash u32, key_len u16, n_current u16, n_alternate u16, key bytes, ids u32...`; a slot is
//! `entry offset + 1` (0 = empty) and the high half of the key's hash (so that a probe reads
//! an entry only when its hash may match), probed linearly from `hash * capacity >> 32`. The filter is a
//! bit set of first-word hashes (a quick negative test in `find_mentions`).

use std::collections::HashMap;

use crate::data::Tables;
use crate::keys;

const MAGIC: u32 = 0x5a47_5434; // "4TGZ"
pub const NAMES: usize = 0;
pub const STEMS: usize = 1;
pub const REGION_KEYS: usize = 2;
pub const REGION_NAMES: usize = 3;
pub const STOP: usize = 4;
pub const GIVEN: usize = 5;
/// `kind:key` of the words in `not_places.tsv`.
pub const NOT_PLACE: usize = 6;
/// City district names -> their cities.
pub const DISTRICTS: usize = 7;
const TABLES: usize = 8;
const HEADER: usize = 4 * (2 + 2 * TABLES + 2 * FILTERS);
/// Bytes per slot: entry offset + 1, hash tag.
const SLOT: usize = 8;
const FILTER_BITS: usize = 1 << 20;
/// Bit sets: first words of names; proper word prefixes of multi-word names.
const FILTERS: usize = 2;
const FIRST: usize = 0;
const PREFIX: usize = 1;
/// Names longer than this many words are not indexed for `find_mentions`.
pub const MAX_WORDS: usize = 4;

/// FxHash of a key (the same at build time and at run time).
pub fn hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h: u64 = 0;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut v = [0u8; 8];
        v.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(v)).wrapping_mul(K);
    }
    for &b in chunks.remainder() {
        h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
    }
    h ^ (h >> 29)
}

/// Key -> (current ids, alternate ids), as collected before layout.
#[derive(Default)]
struct Lists {
    current: Vec<u32>,
    alternate: Vec<u32>,
}

fn push_unique(v: &mut Vec<u32>, id: u32) {
    if !v.contains(&id) {
        v.push(id);
    }
}

/// Builds the index of a gazetteer's tables.
pub fn build(t: &Tables) -> Vec<u8> {
    let mut maps: Vec<HashMap<String, Lists>> = (0..TABLES).map(|_| HashMap::new()).collect();
    // Filter entries: (filter, hash of a raw key).
    let mut filters: Vec<(usize, u64)> = Vec::new();
    let filter_key = |k: &str, filters: &mut Vec<(usize, u64)>| {
        let words: Vec<&str> = k.split(' ').collect();
        if let Some(fw) = words.first() {
            filters.push((FIRST, hash(fw.as_bytes())));
        }
        for n in 1..words.len() {
            filters.push((PREFIX, hash(words[..n].join(" ").as_bytes())));
        }
    };
    let mut max_words = 1;
    for (i, p) in t.places.iter().enumerate() {
        let id = i as u32;
        for (n, name) in std::iter::once(&p.name).chain(&p.alt).enumerate() {
            let current = n == 0;
            let k = keys::key(name);
            if k.is_empty() {
                continue;
            }
            let words = k.split(' ').count();
            if words > MAX_WORDS {
                continue;
            }
            max_words = max_words.max(words);
            filter_key(&k, &mut filters);
            if let Some(s) = keys::stem(&k) {
                let e = maps[STEMS].entry(s).or_default();
                push_unique(
                    if current {
                        &mut e.current
                    } else {
                        &mut e.alternate
                    },
                    id,
                );
            }
            let e = maps[NAMES].entry(k).or_default();
            push_unique(
                if current {
                    &mut e.current
                } else {
                    &mut e.alternate
                },
                id,
            );
        }
    }
    let pop = |id: &u32| t.places.get(*id as usize).map_or(0, |p| p.population);
    for m in [NAMES, STEMS] {
        for e in maps[m].values_mut() {
            e.current.sort_by(|a, b| pop(b).cmp(&pop(a)).then(a.cmp(b)));
            e.alternate
                .sort_by(|a, b| pop(b).cmp(&pop(a)).then(a.cmp(b)));
            // A place is listed once, at its best tier.
            let cur = e.current.clone();
            e.alternate.retain(|x| !cur.contains(x));
        }
    }
    // Aliases first, then contract names: "Kyiv region" is Kyiv Oblast (alias "Kyiv"), while
    // the bare contract name "Kyiv" is the city's own unit (REGION_NAMES).
    for (i, r) in t.regions.iter().enumerate() {
        let id = i as u32;
        maps[REGION_NAMES]
            .entry(keys::key(&r.name))
            .or_insert_with(|| Lists {
                current: vec![id],
                alternate: vec![],
            });
        filter_key(&keys::key(&r.name), &mut filters);
        for a in &r.aliases {
            filter_key(&keys::key(a), &mut filters);
            let k = keys::region_key(a);
            if !k.is_empty() {
                maps[REGION_KEYS].entry(k).or_insert_with(|| Lists {
                    current: vec![id],
                    alternate: vec![],
                });
            }
        }
    }
    for (i, r) in t.regions.iter().enumerate() {
        let k = keys::region_key(&r.name);
        if !k.is_empty() {
            maps[REGION_KEYS].entry(k).or_insert_with(|| Lists {
                current: vec![i as u32],
                alternate: vec![],
            });
        }
    }
    for (name, city) in &t.districts {
        let k = keys::key(name);
        let words = k.split(' ').count();
        if k.is_empty() || words > MAX_WORDS {
            continue;
        }
        max_words = max_words.max(words);
        filter_key(&k, &mut filters);
        push_unique(&mut maps[DISTRICTS].entry(k).or_default().current, *city);
    }
    // Already keys, prefixed with their kind.
    for k in &t.not_place {
        maps[NOT_PLACE].entry(k.clone()).or_default();
    }
    for (table, words) in [(STOP, &t.stop), (GIVEN, &t.given)] {
        for s in words {
            let k = keys::key(s);
            if !k.is_empty() {
                maps[table].entry(k).or_default();
            }
        }
    }
    layout(&maps, &filters, max_words)
}

fn slot_of(hash: u64, cap: usize) -> usize {
    (((hash & 0xffff_ffff) * cap as u64) >> 32) as usize
}

fn layout(maps: &[HashMap<String, Lists>], filters: &[(usize, u64)], max_words: usize) -> Vec<u8> {
    let mut body: Vec<u8> = Vec::new();
    let mut tables: Vec<Vec<[u32; 2]>> = Vec::new();
    for m in maps {
        // At most half full: a probe for an absent key (most probes) ends within a slot or two.
        let cap = (m.len() * 2).max(8);
        let mut slots = vec![[0u32; 2]; cap];
        let mut sorted: Vec<(&String, &Lists)> = m.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(b.0));
        for (k, l) in sorted {
            let h = hash(k.as_bytes());
            let at = HEADER + body.len();
            body.extend_from_slice(&(h as u32).to_le_bytes());
            body.extend_from_slice(&(k.len().min(u16::MAX as usize) as u16).to_le_bytes());
            body.extend_from_slice(&(l.current.len() as u16).to_le_bytes());
            body.extend_from_slice(&(l.alternate.len() as u16).to_le_bytes());
            body.extend_from_slice(k.as_bytes());
            for id in l.current.iter().chain(&l.alternate) {
                body.extend_from_slice(&id.to_le_bytes());
            }
            let mut s = slot_of(h, cap);
            while slots[s][0] != 0 {
                s = (s + 1) % cap;
            }
            slots[s] = [at as u32 + 1, (h >> 32) as u32];
        }
        tables.push(slots);
    }
    let mut out = Vec::with_capacity(HEADER + body.len());
    out.extend_from_slice(&MAGIC.to_le_bytes());
    out.extend_from_slice(&(max_words as u32).to_le_bytes());
    let mut off = HEADER + body.len();
    for slots in &tables {
        out.extend_from_slice(&(off as u32).to_le_bytes());
        out.extend_from_slice(&(slots.len() as u32).to_le_bytes());
        off += SLOT * slots.len();
    }
    for f in 0..FILTERS {
        out.extend_from_slice(&((off + f * FILTER_BITS / 8) as u32).to_le_bytes());
        out.extend_from_slice(&(FILTER_BITS as u32).to_le_bytes());
    }
    out.extend_from_slice(&body);
    for slots in &tables {
        for [e, tag] in slots {
            out.extend_from_slice(&e.to_le_bytes());
            out.extend_from_slice(&tag.to_le_bytes());
        }
    }
    let mut bits = vec![0u8; FILTERS * FILTER_BITS / 8];
    for &(f, h) in filters {
        let bit = (h >> 32) as usize % FILTER_BITS;
        bits[f * FILTER_BITS / 8 + bit / 8] |= 1 << (bit % 8);
    }
    out.extend_from_slice(&bits);
    out
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn u16_at(b: &[u8], at: usize) -> Option<usize> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(usize::from(u16::from_le_bytes([s[0], s[1]])))
}

/// Checks an index buffer's header, slots and entries; false if it is not a valid index.
pub fn validate(b: &[u8]) -> bool {
    if u32_at(b, 0) != Some(MAGIC) || b.len() < HEADER {
        return false;
    }
    for t in 0..TABLES {
        let (Some(off), Some(cap)) = (u32_at(b, 8 + 8 * t), u32_at(b, 12 + 8 * t)) else {
            return false;
        };
        let (off, cap) = (off as usize, cap as usize);
        if cap == 0 || off.saturating_add(cap.saturating_mul(SLOT)) > b.len() {
            return false;
        }
    }
    for f in 0..FILTERS {
        let at = 8 + 8 * TABLES + 8 * f;
        let (Some(foff), Some(fbits)) = (u32_at(b, at), u32_at(b, at + 4)) else {
            return false;
        };
        if fbits == 0 || (foff as usize).saturating_add(fbits as usize / 8) > b.len() {
            return false;
        }
    }
    // Entries are read with bounds checks (`get`), so a bad entry gives no hit, not a panic.
    true
}

/// Reads an index buffer (validated with [`validate`]).
#[derive(Clone, Copy)]
pub struct Index<'a>(pub &'a [u8]);

/// A key's ids: the current-name ones first, then the alternates.
pub struct Hit<'a> {
    ids: &'a [u8],
    pub current: usize,
    pub alternate: usize,
}

impl Hit<'_> {
    pub fn id(&self, i: usize) -> u32 {
        u32_at(self.ids, 4 * i).unwrap_or(u32::MAX)
    }
    /// The current ids, or the alternates when there is no current one.
    pub fn best(&self) -> Vec<u32> {
        let range = if self.current > 0 {
            0..self.current
        } else {
            self.current..self.current + self.alternate
        };
        range.map(|i| self.id(i)).collect()
    }
    pub fn is_empty(&self) -> bool {
        self.current + self.alternate == 0
    }
}

impl<'a> Index<'a> {
    pub fn max_words(&self) -> usize {
        u32_at(self.0, 4)
            .map_or(1, |v| v as usize)
            .clamp(1, MAX_WORDS)
    }

    fn filter(&self, f: usize, key: &str) -> bool {
        let b = self.0;
        let at = 8 + 8 * TABLES + 8 * f;
        let (Some(off), Some(bits)) = (u32_at(b, at), u32_at(b, at + 4)) else {
            return true;
        };
        let (h, bits) = ((hash(key.as_bytes()) >> 32) as usize, bits.max(1) as usize);
        // The same bit as `h % bits`; the sets are a power of two long, where a mask is cheaper
        // than a division.
        let bit = if bits.is_power_of_two() {
            h & (bits - 1)
        } else {
            h % bits
        };
        b.get(off as usize + bit / 8)
            .is_none_or(|byte| byte & (1 << (bit % 8)) != 0)
    }

    /// Whether some name may start with this word key (false: certainly none does).
    pub fn may_start_name(&self, word_key: &str) -> bool {
        self.filter(FIRST, word_key)
    }

    /// Whether some multi-word name may continue these words (false: certainly none does).
    pub fn may_continue_name(&self, words_key: &str) -> bool {
        self.filter(PREFIX, words_key)
    }

    pub fn get(&self, table: usize, key: &str) -> Option<Hit<'a>> {
        let b = self.0;
        let off = u32_at(b, 8 + 8 * table)? as usize;
        let cap = u32_at(b, 12 + 8 * table)? as usize;
        if cap == 0 {
            return None;
        }
        let h = hash(key.as_bytes());
        let tag = (h >> 32) as u32;
        let mut s = slot_of(h, cap);
        for _ in 0..cap {
            let e = u32_at(b, off + SLOT * s)? as usize;
            if e == 0 {
                return None;
            }
            let e = e - 1;
            if u32_at(b, off + SLOT * s + 4)? == tag && u32_at(b, e)? == h as u32 {
                let kl = u16_at(b, e + 4)?;
                let k = e + 10;
                if b.get(k..k + kl)? == key.as_bytes() {
                    let nc = u16_at(b, e + 6)?;
                    let na = u16_at(b, e + 8)?;
                    let ids = k + kl;
                    return Some(Hit {
                        ids: b.get(ids..ids + 4 * (nc + na))?,
                        current: nc,
                        alternate: na,
                    });
                }
            }
            s += 1;
            if s == cap {
                s = 0;
            }
        }
        None
    }

    pub fn contains(&self, table: usize, key: &str) -> bool {
        self.get(table, key).is_some()
    }
}
