//! The word tokenizer shared by dictionaries and texts.

/// A word: byte offsets `[start, end)` into the text it was cut from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
}

/// Lower-cases `text` keeping every byte offset: a character whose lower case has another UTF-8
/// length is kept as it is; typographic apostrophes become `'` (both 3 bytes: `’` is kept as is
/// but treated as an apostrophe by [`tokenize`]).
pub fn lower_same_len(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        // A run of ASCII characters (most of a text), lower-cased in one go.
        let run = ascii_run(rest.as_bytes());
        if run > 0 {
            let (ascii, tail) = rest.split_at(run);
            let start = out.len();
            out.push_str(ascii);
            if let Some(pushed) = out.get_mut(start..) {
                pushed.make_ascii_lowercase();
            }
            rest = tail;
            continue;
        }
        let Some(c) = rest.chars().next() else {
            break;
        };
        rest = rest.get(c.len_utf8()..).unwrap_or("");
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) if l.len_utf8() == c.len_utf8() => out.push(l),
            _ => out.push(c),
        }
    }
    out
}

/// The length of the run of ASCII bytes at the start of `b` (eight bytes at a time).
#[inline]
pub fn ascii_run(b: &[u8]) -> usize {
    let mut n = 0;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut v = [0u8; 8];
        v.copy_from_slice(c);
        let high = u64::from_le_bytes(v) & 0x8080_8080_8080_8080;
        if high != 0 {
            return n + (high.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    n + chunks
        .remainder()
        .iter()
        .take_while(|x| x.is_ascii())
        .count()
}

/// ASCII letters and digits, by byte (a table read instead of three range tests).
const ALNUM: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = (i as u8).is_ascii_alphanumeric();
        i += 1;
    }
    t
};

#[inline]
fn is_alnum_byte(b: u8) -> bool {
    ALNUM[usize::from(b)]
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\'' | '’' | '‑')
}

/// Cuts `text` into words: runs of letters and digits, joined across a single hyphen or
/// apostrophe between two word characters ("Kh-101", "Ukraine's", "30-day").
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 5);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            if !is_alnum_byte(b) {
                i += 1;
                continue;
            }
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            if !is_word_char(c) {
                i += c.len_utf8();
                continue;
            }
        }
        // Start of a word: letters and digits, across a joiner followed by one (ASCII bytes
        // are read as they are; other characters are decoded).
        let start = i;
        let mut end = i;
        let mut j = i;
        while j < bytes.len() {
            // A run of ASCII letters and digits (most of a word), then one character at a time.
            let from = j;
            while bytes.get(j).is_some_and(|&b| is_alnum_byte(b)) {
                j += 1;
            }
            if j > from {
                end = j;
            }
            let Some(&b) = bytes.get(j) else {
                break;
            };
            // After a run of ASCII letters and digits, another ASCII character ends the word
            // unless it is a joiner.
            if b.is_ascii() && !matches!(b, b'-' | b'\'') {
                break;
            }
            let (c, len) = if b.is_ascii() {
                (b as char, 1)
            } else {
                match text[j..].chars().next() {
                    Some(c) => (c, c.len_utf8()),
                    None => break,
                }
            };
            if is_word_char(c) {
                j += len;
                end = j;
                continue;
            }
            if is_joiner(c) && text[j + len..].chars().next().is_some_and(is_word_char) {
                j += len;
                continue;
            }
            break;
        }
        out.push(Token { start, end });
        i = end.max(start + 1);
        while i < bytes.len() && !text.is_char_boundary(i) {
            i += 1;
        }
    }
    out
}
