//! Name normalisation: the keys names are indexed and looked up by.

/// Appends the key form of one word: lower case, Latin diacritics folded, apostrophes dropped,
/// Russian ё as е.
pub(crate) fn push_word(word: &str, out: &mut String) {
    let start = out.len();
    push_chars(word, out);
    fold_ending(out, start);
}

/// Levels transliteration variants of the adjectival ending: "-skiy", "-skii", "-skij",
/// "-skyi", "-skyy" all become "-sky" ("Oktyabrskiy" = "Oktyabrsky", "Khmelnytskyi" =
/// "Khmelnytsky").
fn fold_ending(out: &mut String, start: usize) {
    let w = &out[start..];
    // All five endings are "sk" and two letters.
    if !w.as_bytes().ends_with(b"i")
        && !w.as_bytes().ends_with(b"j")
        && !w.as_bytes().ends_with(b"y")
    {
        return;
    }
    for e in ["skiy", "skii", "skij", "skyi", "skyy"] {
        if w.len() > e.len() + 1 && w.ends_with(e) {
            let cut = out.len() - 2;
            out.truncate(cut);
            out.push('y');
            return;
        }
    }
}

fn push_chars(word: &str, out: &mut String) {
    // Most words are ASCII letters and digits: copied, then lower-cased in place.
    if word.bytes().all(|b| b.is_ascii_alphanumeric()) {
        let start = out.len();
        out.push_str(word);
        if let Some(w) = out.get_mut(start..) {
            w.make_ascii_lowercase();
        }
        return;
    }
    for c in word.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            }
            continue;
        }
        match c {
            '’' | 'ʼ' | 'ʹ' | '‘' | '′' | '`' | '´' => {}
            'ё' | 'Ё' => out.push('е'),
            c => {
                if let Some(f) = fold_latin(c) {
                    out.push_str(f);
                } else if c.is_alphanumeric() {
                    out.extend(c.to_lowercase());
                }
            }
        }
    }
}

fn fold_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å'
        | 'Ā' | 'Ă' | 'Ą' => "a",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' | 'Ç' | 'Ć' | 'Č' => "c",
        'ď' | 'đ' | 'Ď' | 'Đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ė'
        | 'Ę' | 'Ě' => "e",
        'ğ' | 'ģ' | 'Ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ĭ' | 'į' | 'ı' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'İ' => {
            "i"
        }
        'ĵ' => "j",
        'ķ' => "k",
        'ł' | 'ľ' | 'ĺ' | 'ļ' | 'Ł' | 'Ľ' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'Ñ' | 'Ń' | 'Ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō'
        | 'Ő' => "o",
        'ř' | 'ŕ' | 'Ř' => "r",
        'ś' | 'ş' | 'š' | 'ș' | 'Ś' | 'Ş' | 'Š' | 'Ș' => "s",
        'ţ' | 'ť' | 'ț' | 'Ţ' | 'Ť' | 'Ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' => {
            "u"
        }
        'ý' | 'ÿ' | 'Ý' => "y",
        'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => "z",
        'ß' => "ss",
        'æ' | 'Æ' => "ae",
        'ĥ' | 'Ĥ' => "h",
        _ => return None,
    })
}

/// Splits a name into words (at spaces, hyphens, dots, commas, slashes and brackets).
pub(crate) fn words(name: &str) -> impl Iterator<Item = &str> {
    name.split(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '-' | '–' | '—' | '.' | ',' | '/' | '(' | ')' | '"' | '«' | '»'
            )
    })
    .filter(|w| !w.is_empty())
}

/// The key of a whole name: its words' keys joined by single spaces.
pub(crate) fn key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for w in words(name) {
        let before = out.len();
        if before > 0 {
            out.push(' ');
        }
        push_word(w, &mut out);
        if out.len() == before + usize::from(before > 0) {
            out.truncate(before);
        }
    }
    out
}

pub(crate) fn is_cyrillic(s: &str) -> bool {
    // (Most keys are ASCII: told eight bytes at a time.)
    !s.is_ascii() && s.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c))
}

const NOUN_ENDINGS: &[&str] = &[
    "ами", "ями", "ою", "ею", "єю", "ом", "ем", "єм", "ой", "ей", "ам", "ям", "ах", "ях", "а", "я",
    "у", "ю", "і", "и", "ы", "е", "є", "о", "ь", "й",
];

/// The declension-insensitive key of a one-word Cyrillic name ("Харкова", "Харкові" and
/// "Харків" share one): a case ending dropped, the last vowel's Ukrainian alternation
/// (і/о/е, ї/є) levelled. None for words that are not Cyrillic or too short.
pub(crate) fn stem(word_key: &str) -> Option<String> {
    if !is_cyrillic(word_key) || word_key.contains(' ') {
        return None;
    }
    let mut s = word_key;
    for e in NOUN_ENDINGS {
        if let Some(rest) = s.strip_suffix(e)
            && rest.chars().count() >= 3
        {
            s = rest;
            break;
        }
    }
    if s.chars().count() < 3 {
        return None;
    }
    let mut chars: Vec<char> = s.chars().collect();
    if let Some(last) = chars.last_mut()
        && *last == 'ц'
    {
        *last = 'к';
    }
    if let Some(v) = chars.iter_mut().rev().find(|c| {
        matches!(
            c,
            'а' | 'е' | 'є' | 'и' | 'і' | 'ї' | 'о' | 'у' | 'ю' | 'я' | 'ы' | 'э'
        )
    }) {
        match *v {
            'і' | 'о' | 'е' => *v = 'о',
            'ї' | 'є' => *v = 'є',
            _ => {}
        }
    }
    Some(chars.into_iter().collect())
}

/// Whether a key's last word is one that `region_key` drops ("Kyiv of"): such a key is no
/// bare region name.
pub(crate) fn ends_with_filler(key: &str) -> bool {
    key.rsplit(' ').next().is_some_and(is_region_filler)
}

/// Words that make a name a region ("Kursk region", "Sumy Oblast", "Харківська область").
pub(crate) fn is_generic_region_word(word_key: &str) -> bool {
    matches!(
        word_key,
        "oblast"
            | "oblasts"
            | "oblasti"
            | "region"
            | "regions"
            | "province"
            | "provinces"
            | "krai"
            | "kray"
            | "territory"
            | "voivodeship"
            | "county"
            | "область"
            | "області"
            | "области"
            | "областей"
            | "областях"
            | "обл"
            | "край"
            | "краю"
            | "крае"
            | "краї"
            | "регіон"
            | "регіоні"
            | "регион"
            | "регионе"
    )
}

/// Plural generic words ("the Kursk and Belgorod regions").
pub(crate) fn is_plural_region_word(word_key: &str) -> bool {
    matches!(
        word_key,
        "oblasts" | "regions" | "provinces" | "областей" | "областях"
    )
}

/// Words dropped from region names before matching ("Republic of Tatarstan").
fn is_region_filler(word_key: &str) -> bool {
    is_generic_region_word(word_key)
        || matches!(
            word_key,
            "the"
                | "of"
                | "republic"
                | "автономна"
                | "автономная"
                | "республіка"
                | "республика"
                | "республіки"
                | "республики"
                | "республіці"
                | "республике"
        )
}

const ADJ_ENDINGS: &[&str] = &[
    "ського",
    "ському",
    "ської",
    "ській",
    "ською",
    "ська",
    "ську",
    "ський",
    "цької",
    "цькій",
    "цькою",
    "цька",
    "цьку",
    "зької",
    "зькій",
    "зькою",
    "зька",
    "зьку",
    "ского",
    "ская",
    "ской",
    "скую",
    "ском",
    "ский",
    "цкая",
    "цкой",
    "цкую",
    "цком",
    "щина",
    "щини",
    "щині",
    "щину",
    "щиною",
    "чина",
    "чини",
    "чині",
    "чину",
];

/// The key of a region name: filler and generic words dropped; Cyrillic adjectives
/// ("Харківської") reduced to a marked stem ("adj:харків").
pub(crate) fn region_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 8);
    let mut w = String::with_capacity(name.len() + 8);
    for word in words(name) {
        w.clear();
        push_word(word, &mut w);
        push_region_word(&w, &mut out);
    }
    out
}

/// [`region_key`] of a name already in key form (see [`key`]), written into `out`: its words
/// are not folded again (folding a word key gives the same key).
pub(crate) fn region_key_of_key<'o>(k: &str, out: &'o mut String) -> &'o str {
    out.clear();
    for w in k.split(' ') {
        push_region_word(w, out);
    }
    out
}

/// Appends one word key to a region key (see [`region_key`]).
fn push_region_word(w: &str, out: &mut String) {
    if w.is_empty() || is_region_filler(w) {
        return;
    }
    if !out.is_empty() {
        out.push(' ');
    }
    if is_cyrillic(w) {
        for e in ADJ_ENDINGS {
            if let Some(rest) = w.strip_suffix(e)
                && rest.chars().count() >= 3
            {
                out.push_str("adj:");
                out.push_str(rest);
                return;
            }
        }
    }
    out.push_str(w);
}
