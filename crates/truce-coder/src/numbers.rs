//! Numbers as texts write them: digits ("1,200"), words ("seven", "twenty-five", "a dozen").

/// Value of a number word (English, Ukrainian, Russian), without compounds.
fn unit_word(w: &str) -> Option<u32> {
    if !may_be_unit_word(w) {
        return None;
    }
    Some(match w {
        "zero" | "no" => 0,
        "one" | "a" | "an" | "один" | "одна" | "одну" => 1,
        "two" | "два" | "дві" | "две" | "двоє" | "двое" => 2,
        "three" | "три" | "троє" | "трое" => 3,
        "four" | "чотири" | "четыре" | "четверо" => 4,
        "five" | "п'ять" | "пять" | "п’ять" => 5,
        "six" | "шість" | "шесть" => 6,
        "seven" | "сім" | "семь" => 7,
        "eight" | "вісім" | "восемь" => 8,
        "nine" | "дев'ять" | "девять" => 9,
        "ten" | "десять" => 10,
        "eleven" => 11,
        "twelve" | "dozen" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
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
    // Digits, or a number word (a compound starts with one).
    if !(w.as_bytes().first().is_some_and(u8::is_ascii_digit) || may_be_unit_word(w)) {
        return None;
    }
    if !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()) {
        return if w.len() <= 9 { w.parse().ok() } else { None };
    }
    if let Some((a, b)) = w.split_once('-') {
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
