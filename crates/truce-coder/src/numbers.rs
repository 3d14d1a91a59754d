//! Numbers as texts write them: digits ("1,200"), words ("seven", "twenty-five", "a dozen").

/// Value of a number word (English, Ukrainian, Russian), without compounds.
fn unit_word(w: &str) -> Option<u32> {
    if !may_be_unit_word(w) {
        return None;
    }
    // Grouped by length in bytes, so that a word is compared with few names.
    Some(match (w.len(), w) {
        (1, "a") => 1,
        (2, "no") => 0,
        (2, "an") => 1,
        (3, "one") => 1,
        (3, "two") => 2,
        (3, "six") => 6,
        (3, "ten") => 10,
        (4, "zero") => 0,
        (4, "four") => 4,
        (4, "five") => 5,
        (4, "nine") => 9,
        (5, "three") => 3,
        (5, "seven") => 7,
        (5, "eight") => 8,
        (5, "dozen") => 12,
        (5, "forty") => 40,
        (5, "fifty") => 50,
        (5, "sixty") => 60,
        (6, "два" | "дві" | "две") => 2,
        (6, "три") => 3,
        (6, "сім") => 7,
        (6, "eleven") => 11,
        (6, "twelve") => 12,
        (6, "twenty") => 20,
        (6, "thirty") => 30,
        (6, "eighty") => 80,
        (6, "ninety") => 90,
        (7, "fifteen") => 15,
        (7, "sixteen") => 16,
        (7, "seventy") => 70,
        (8, "один" | "одна" | "одну") => 1,
        (8, "двоє" | "двое") => 2,
        (8, "троє" | "трое") => 3,
        (8, "пять") => 5,
        (8, "семь") => 7,
        (8, "thirteen") => 13,
        (8, "fourteen") => 14,
        (8, "eighteen") => 18,
        (8, "nineteen") => 19,
        (9, "п'ять") => 5,
        (9, "seventeen") => 17,
        (10, "шість" | "шесть") => 6,
        (10, "вісім") => 8,
        (11, "п’ять") => 5,
        (12, "чотири" | "четыре") => 4,
        (12, "восемь") => 8,
        (12, "девять") => 9,
        (12, "десять") => 10,
        (13, "дев'ять") => 9,
        (14, "четверо") => 4,
        _ => return None,
    })
}

/// Whether `w` may be a [`unit_word`]: every one starts with one of these bytes (0xd0, 0xd1:
/// Cyrillic).
fn may_be_unit_word(w: &str) -> bool {
    matches!(
        w.as_bytes().first(),
        Some(b'z' | b'n' | b'o' | b'a' | b't' | b'f' | b's' | b'e' | b'd' | 0xd0 | 0xd1)
    )
}

/// The value of one word: digits, a number word, or a hyphenated compound ("twenty-five").
pub fn word_value(w: &str) -> Option<u32> {
    let b = w.as_bytes();
    let &first = b.first()?;
    // Digits: a number when they are all digits ("30-day", "2nd" are none).
    if first.is_ascii_digit() {
        if !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        return if b.len() <= 9 { w.parse().ok() } else { None };
    }
    // A number word (a compound starts with one).
    if !may_be_unit_word(w) {
        return None;
    }
    if let Some(dash) = b.iter().position(|&c| c == b'-') {
        let (a, b) = (w.get(..dash)?, w.get(dash + 1..)?);
        let (a, b) = (unit_word(a)?, unit_word(b)?);
        if a >= 20 && a % 10 == 0 && (1..10).contains(&b) {
            return Some(a + b);
        }
        return None;
    }
    match w {
        "a" | "an" | "no" => None, // only inside phrases ("a dozen", "no one")
        _ => unit_word(w),
    }
}

/// A number found at a word position: its value and how many words it spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Number {
    pub value: u32,
    pub len: usize,
}

/// Reads a number starting at `words[i]`. `gaps[i]` is the text between word i and i+1
/// (used to join "1,200").
pub fn number_at(words: &[&str], gaps: &[&str], i: usize) -> Option<Number> {
    let w = *words.get(i)?;
    // "a dozen", "a hundred"
    if (w == "a" || w == "an") && i + 1 < words.len() {
        return match words[i + 1] {
            "dozen" => Some(Number { value: 12, len: 2 }),
            "hundred" => Some(Number { value: 100, len: 2 }),
            "thousand" => Some(Number {
                value: 1000,
                len: 2,
            }),
            _ => None,
        };
    }
    let mut value = word_value(w)?;
    let mut len = 1;
    let digits = w.bytes().all(|b| b.is_ascii_digit());
    if digits {
        // 1,200 or 1 200
        while let (Some(g), Some(next)) = (gaps.get(i + len - 1), words.get(i + len)) {
            if (*g == "," || *g == " " || *g == "\u{a0}")
                && next.len() == 3
                && next.bytes().all(|b| b.is_ascii_digit())
                && value < 1_000_000
            {
                value = value * 1000 + next.parse::<u32>().unwrap_or(0);
                len += 1;
            } else {
                break;
            }
        }
    } else {
        // "two hundred", "twenty five"
        if let Some(next) = words.get(i + 1) {
            match *next {
                "hundred" => {
                    value = value.saturating_mul(100);
                    len += 1;
                }
                "thousand" => {
                    value = value.saturating_mul(1000);
                    len += 1;
                }
                n if value >= 20 && value % 10 == 0 => {
                    if let Some(u) = unit_word(n).filter(|u| (1..10).contains(u)) {
                        value += u;
                        len += 1;
                    }
                }
                _ => {}
            }
        }
    }
    Some(Number { value, len })
}
