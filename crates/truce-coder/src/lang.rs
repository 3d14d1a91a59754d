//! Rough language detection: script first, then letters and stop words.

/// "en", "uk" or "ru" (or "und" when the text holds no letters).
pub fn detect(text: &str) -> &'static str {
    let (mut latin, mut cyr, mut uk, mut ru) = (0usize, 0usize, 0usize, 0usize);
    // The first 1,500 characters; ASCII bytes are counted without decoding.
    let bytes = text.as_bytes();
    let (mut i, mut seen) = (0usize, 0usize);
    while i < bytes.len() && seen < 1_500 {
        seen += 1;
        let b = bytes[i];
        if b.is_ascii() {
            i += 1;
            if b.is_ascii_alphabetic() {
                latin += 1;
            }
            continue;
        }
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
