//! Rough language detection: script first, then letters and stop words.

use truce_lexicon::ascii_run;

/// "en", "uk" or "ru" (or "und" when the text holds no letters).
pub fn detect(text: &str) -> &'static str {
    let (mut latin, mut cyr, mut uk, mut ru) = (0usize, 0usize, 0usize, 0usize);
    // The first 1,500 characters; ASCII bytes are counted without decoding.
    let bytes = text.as_bytes();
    let (mut i, mut seen) = (0usize, 0usize);
    while i < bytes.len() && seen < 1_500 {
        // A run of ASCII bytes (up to the 1,500th character), counted in one go.
        let limit = bytes.len().min(i + (1_500 - seen));
        let run = bytes.get(i..limit).map_or(0, ascii_run);
        if run > 0 {
            // ASCII letters: `b | 0x20` folds the upper case onto the lower (a test that
            // vectorises).
            latin += bytes.get(i..i + run).map_or(0, |r| {
                r.iter()
                    .filter(|&&b| (b | 0x20).wrapping_sub(b'a') < 26)
                    .count()
            });
            seen += run;
            i += run;
            continue;
        }
        seen += 1;
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        i += c.len_utf8();
        if ('\u{400}'..='\u{4ff}').contains(&c) {
            cyr += 1;
            match c {
                'і' | 'ї' | 'є' | 'ґ' | 'І' | 'Ї' | 'Є' | 'Ґ' => uk += 1,
                'ы' | 'э' | 'ъ' | 'ё' | 'Ы' | 'Э' | 'Ё' => ru += 1,
                _ => {}
            }
        }
    }
    if latin == 0 && cyr == 0 {
        return "und";
    }
    if cyr > latin {
        if uk >= ru { "uk" } else { "ru" }
    } else {
        "en"
    }
}
