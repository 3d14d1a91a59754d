//! Parsing of the gazetteer's data files into plain tables, and a compact binary encoding of
//! those tables. Shared by `build.rs` (which parses the embedded TSV once, at compile time) and
//! the library (which decodes the result, or parses a user's own TSV).
//!
//! This file must stay self-contained (std only): build.rs includes it with `#[path]`.

use std::collections::HashMap;

/// A place as the data files give it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceRec {
    pub geonameid: u32,
    /// English name (after the spelling rule and overrides).
    pub name: String,
    pub country: String,
    /// Index into `Tables::regions`, if the place has a known admin-1 unit.
    pub region: Option<u32>,
    pub lat: f64,
    pub lon: f64,
    pub population: u64,
    /// Other names (Latin alternates, Cyrillic names), deduplicated, without `name`.
    pub alt: Vec<String>,
}

/// An admin-1 unit.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionRec {
    pub code: String,
    pub name: String,
    pub country: String,
    pub iso: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tables {
    pub places: Vec<PlaceRec>,
    pub regions: Vec<RegionRec>,
    pub stop: Vec<String>,
    pub given: Vec<String>,
    /// Words that make a name something other than a settlement, as `kind:key`
    /// (`not_places.tsv`).
    pub not_place: Vec<String>,
    /// City districts: (district name, index of its city in `places`).
    pub districts: Vec<(String, u32)>,
}

/// A malformed data file: the file, 1-based line, the column and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    pub file: String,
    pub line: usize,
    pub column: Option<String>,
    pub message: String,
}

/// Curated side tables (admin-1 names, name overrides, stoplist).
pub struct Curated<'a> {
    pub admin1: &'a str,
    pub names: &'a str,
    pub stoplist: &'a str,
    pub given_names: &'a str,
    pub not_places: &'a str,
    pub city_districts: &'a str,
}

/// The kinds of `not_places.tsv`.
pub const NOT_PLACE_KINDS: &[&str] = &[
    "street_after",
    "street_before",
    "pipeline",
    "pipeline_word",
    "plant",
    "plant_word",
];

fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
}

fn err(file: &str, line: usize, column: Option<&str>, message: String) -> DataError {
    DataError {
        file: file.to_string(),
        line,
        column: column.map(str::to_string),
        message,
    }
}

/// Parses a GeoNames-derived TSV (the columns of `gazetteer_ua_ru_neighbours.tsv`; at least
/// geonameid, name, lat, lon, country, admin1_code) with the curated tables.
pub fn parse(tsv: &str, file: &str, curated: &Curated<'_>) -> Result<Tables, DataError> {
    // Curated admin-1 table.
    let mut regions: Vec<RegionRec> = Vec::new();
    let mut region_of: HashMap<String, u32> = HashMap::new();
    for (n, line) in data_lines(curated.admin1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 2 || cols.len() > 3 {
            return Err(err(
                "admin1.tsv",
                n,
                None,
                format!("expected 3 TAB-separated columns, found {}", cols.len()),
            ));
        }
        let code = cols[0].trim();
        let country = code.split('.').next().unwrap_or("").to_string();
        if country.len() != 2 || !code.contains('.') {
            return Err(err(
                "admin1.tsv",
                n,
                Some("admin1_code"),
                format!("{code:?} is not a GeoNames admin-1 code (CC.NN)"),
            ));
        }
        let aliases = cols
            .get(2)
            .map(|a| {
                a.split('|')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        region_of.insert(code.to_string(), regions.len() as u32);
        regions.push(RegionRec {
            code: code.to_string(),
            name: cols[1].trim().to_string(),
            country,
            iso: None,
            lat: 0.0,
            lon: 0.0,
            aliases,
        });
    }
    let mut overrides: HashMap<u32, String> = HashMap::new();
    for (n, line) in data_lines(curated.names) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 2 {
            return Err(err(
                "names.tsv",
                n,
                None,
                format!("expected 2 TAB-separated columns, found {}", cols.len()),
            ));
        }
        let id: u32 = cols[0].trim().parse().map_err(|_| {
            err(
                "names.tsv",
                n,
                Some("geonameid"),
                format!("{:?} is not a number", cols[0]),
            )
        })?;
        overrides.insert(id, cols[1].trim().to_string());
    }
    let stop = data_lines(curated.stoplist)
        .map(|(_, l)| l.trim().to_string())
        .collect();
    let given = data_lines(curated.given_names)
        .map(|(_, l)| l.trim().to_string())
        .collect();

    // The gazetteer itself.
    let mut lines = tsv.lines().enumerate();
    let header = loop {
        match lines.next() {
            Some((_, l)) if l.trim().is_empty() || l.starts_with('#') => continue,
            Some((_, l)) => break l.trim_end_matches('\r'),
            None => return Err(err(file, 1, None, "empty file: no header line".to_string())),
        }
    };
    let names: Vec<&str> = header.split('\t').map(str::trim).collect();
    let col = |name: &str| names.iter().position(|c| *c == name);
    let need = |name: &str| {
        col(name).ok_or_else(|| {
            err(
                file,
                1,
                Some(name),
                format!(
                    "header has no {name:?} column (found: {})",
                    names.join(", ")
                ),
            )
        })
    };
    let c_id = need("geonameid")?;
    let c_name = need("name")?;
    let c_lat = need("lat")?;
    let c_lon = need("lon")?;
    let c_country = need("country")?;
    let c_admin1 = need("admin1_code")?;
    let c_pop = col("population");
    let c_iso = col("admin1_iso");
    let c_admin1_name = col("admin1_name");
    let c_admin1_uk = col("admin1_name_uk");
    let c_admin1_ru = col("admin1_name_ru");
    let alt_cols: Vec<usize> = ["alt_latin", "alt_uk", "alt_ru", "alt_cyrillic_other"]
        .iter()
        .filter_map(|c| col(c))
        .collect();
    let c_alt_latin = col("alt_latin");
    let cyr_cols: Vec<usize> = ["alt_uk", "alt_cyrillic_other"]
        .iter()
        .filter_map(|c| col(c))
        .collect();

    let mut places = Vec::new();
    let mut sums: Vec<(f64, f64, u32)> = vec![(0.0, 0.0, 0); regions.len()];
    for (i, line) in lines {
        let n = i + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != names.len() {
            return Err(err(
                file,
                n,
                None,
                format!(
                    "expected {} TAB-separated columns (as the header), found {}",
                    names.len(),
                    cols.len()
                ),
            ));
        }
        let field = |c: usize| cols[c].trim();
        let geonameid: u32 = field(c_id).parse().map_err(|_| {
            err(
                file,
                n,
                Some("geonameid"),
                format!("{:?} is not a number", field(c_id)),
            )
        })?;
        let name = field(c_name);
        if name.is_empty() {
            return Err(err(file, n, Some("name"), "empty name".to_string()));
        }
        let coord = |c: usize, what: &str, max: f64| -> Result<f64, DataError> {
            match field(c).parse::<f64>() {
                Ok(v) if v.is_finite() && v.abs() <= max => Ok(v),
                _ => Err(err(
                    file,
                    n,
                    Some(what),
                    format!("{:?} is not a {what} in degrees", field(c)),
                )),
            }
        };
        let lat = coord(c_lat, "lat", 90.0)?;
        let lon = coord(c_lon, "lon", 180.0)?;
        let country = field(c_country);
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(err(
                file,
                n,
                Some("country"),
                format!("{country:?} is not an ISO 3166-1 alpha-2 code"),
            ));
        }
        let population: u64 = match c_pop.map(field) {
            None | Some("") => 0,
            Some(p) => p.parse().map_err(|_| {
                err(
                    file,
                    n,
                    Some("population"),
                    format!("{p:?} is not a whole number"),
                )
            })?,
        };
        let code = field(c_admin1);
        let region = if code.is_empty() {
            None
        } else if let Some(&r) = region_of.get(code) {
            Some(r)
        } else {
            // A unit the curated table does not know: keep GeoNames' own name.
            let gn = c_admin1_name.map(field).unwrap_or("");
            let r = regions.len() as u32;
            region_of.insert(code.to_string(), r);
            regions.push(RegionRec {
                code: code.to_string(),
                name: if gn.is_empty() {
                    code.to_string()
                } else {
                    gn.to_string()
                },
                country: country.to_string(),
                iso: None,
                lat: 0.0,
                lon: 0.0,
                aliases: Vec::new(),
            });
            sums.push((0.0, 0.0, 0));
            Some(r)
        };
        if let Some(r) = region {
            let reg = &mut regions[r as usize];
            if reg.iso.is_none()
                && let Some(iso) = c_iso.map(field).filter(|s| !s.is_empty())
            {
                reg.iso = Some(iso.to_string());
            }
            for c in [c_admin1_uk, c_admin1_ru].into_iter().flatten() {
                let a = field(c);
                if !a.is_empty() && !reg.aliases.iter().any(|x| x == a) {
                    reg.aliases.push(a.to_string());
                }
            }
            let s = &mut sums[r as usize];
            s.0 += lat;
            s.1 += lon;
            s.2 += 1;
        }
        let mut alt: Vec<String> = Vec::new();
        for &c in &alt_cols {
            for a in field(c).split('|') {
                let a = a.trim();
                if keep_alt(a, c == c_alt_latin.unwrap_or(usize::MAX))
                    && !alt.iter().any(|x| x == a)
                {
                    alt.push(a.to_string());
                }
            }
        }
        let english = match overrides.get(&geonameid) {
            Some(o) => o.clone(),
            None if country == "UA" => {
                let cyr: Vec<&str> = cyr_cols
                    .iter()
                    .flat_map(|&c| field(c).split('|'))
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect();
                let latin: Vec<&str> = c_alt_latin
                    .map(|c| field(c).split('|').map(str::trim).collect())
                    .unwrap_or_default();
                modern_ukrainian_name(name, &cyr, &latin)
            }
            None if country == "RU" || country == "BY" => {
                let latin: Vec<&str> = c_alt_latin
                    .map(|c| field(c).split('|').map(str::trim).collect())
                    .unwrap_or_default();
                english_russian_name(name, &latin)
            }
            None => name.to_string(),
        };
        let english = clean_name(&english);
        if english != name && !alt.iter().any(|x| x == name) {
            alt.insert(0, name.to_string());
        }
        alt.retain(|a| *a != english);
        places.push(PlaceRec {
            geonameid,
            name: english,
            country: country.to_string(),
            region,
            lat,
            lon,
            population,
            alt,
        });
    }
    for (reg, s) in regions.iter_mut().zip(&sums) {
        if s.2 > 0 {
            reg.lat = round6(s.0 / f64::from(s.2));
            reg.lon = round6(s.1 / f64::from(s.2));
        }
    }
    let mut not_place = Vec::new();
    for (n, line) in data_lines(curated.not_places) {
        let Some((kind, word)) = line.split_once('\t') else {
            return Err(err(
                "not_places.tsv",
                n,
                None,
                "expected 2 TAB-separated columns, found 1".to_string(),
            ));
        };
        let kind = kind.trim();
        if !NOT_PLACE_KINDS.contains(&kind) {
            return Err(err(
                "not_places.tsv",
                n,
                Some("kind"),
                format!(
                    "unknown kind {kind:?} (expected one of {})",
                    NOT_PLACE_KINDS.join(", ")
                ),
            ));
        }
        let k = crate::keys::key(word);
        if k.is_empty() {
            return Err(err(
                "not_places.tsv",
                n,
                Some("word"),
                format!("{word:?} has no letters"),
            ));
        }
        not_place.push(format!("{kind}:{k}"));
    }
    let by_id: HashMap<u32, u32> = places
        .iter()
        .enumerate()
        .map(|(i, p)| (p.geonameid, i as u32))
        .collect();
    let mut districts = Vec::new();
    for (n, line) in data_lines(curated.city_districts) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 3 {
            return Err(err(
                "city_districts.tsv",
                n,
                None,
                format!("expected 3 TAB-separated columns, found {}", cols.len()),
            ));
        }
        let id: u32 = cols[0].trim().parse().map_err(|_| {
            err(
                "city_districts.tsv",
                n,
                Some("geonameid"),
                format!("{:?} is not a number", cols[0]),
            )
        })?;
        // A user's gazetteer may not hold the city: its districts are then unknown too.
        let Some(&city) = by_id.get(&id) else {
            continue;
        };
        for d in cols[2].split('|').map(str::trim).filter(|d| !d.is_empty()) {
            districts.push((d.to_string(), city));
        }
    }
    Ok(Tables {
        places,
        regions,
        stop,
        given,
        not_place,
        districts,
    })
}

fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

/// Alternate names worth indexing: Latin ones must be capitalised words (not romanisations in
/// lower case, not airport codes); Cyrillic ones must have a letter.
fn keep_alt(a: &str, latin: bool) -> bool {
    let Some(first) = a.chars().next() else {
        return false;
    };
    if a.chars().count() < 3 {
        return false;
    }
    if latin {
        let upper = a.chars().filter(|c| c.is_uppercase()).count();
        let letters = a.chars().filter(|c| c.is_alphabetic()).count();
        first.is_uppercase() && !(letters <= 4 && upper == letters)
    } else {
        first.is_alphabetic()
    }
}

/// Drops the soft-sign apostrophes English news leaves out ("Ryazan’" -> "Ryazan").
fn clean_name(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '’' | 'ʼ' | 'ʹ' | '′'))
        .collect::<String>()
        .trim()
        .to_string()
}

/// The spelling rule for Ukrainian places: the Ukrainian national transliteration (2010) of one
/// of the place's Cyrillic names, when GeoNames also lists that spelling as a Latin alternate and
/// it is a respelling of the main name (not an older or newer name); otherwise the main name.
pub fn modern_ukrainian_name(name: &str, cyrillic: &[&str], latin: &[&str]) -> String {
    for c in cyrillic {
        let t = transliterate_uk(c);
        if t.eq_ignore_ascii_case(name) {
            return name.to_string();
        }
    }
    // The closest respelling wins ("Kupiansk" over "Kupensk" for Kupyansk).
    let mut best: Option<(usize, &str)> = None;
    for c in cyrillic {
        let t = transliterate_uk(c);
        if t.is_empty() {
            continue;
        }
        if let Some(l) = latin.iter().find(|l| l.eq_ignore_ascii_case(&t)) {
            let d = levenshtein(&t.to_lowercase(), &name.to_lowercase());
            if d * 3 <= name.chars().count() && best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, l));
            }
        }
    }
    best.map_or_else(|| name.to_string(), |(_, l)| l.to_string())
}

/// English spelling of a Russian (or Belarusian) GeoNames name: "ë" as "yo" when GeoNames
/// lists that spelling ("Orël" -> "Oryol"), else as "e" ("Suzëmka" -> "Suzemka"); the
/// adjectival ending "-skiy" as "-sky" ("Il’skiy" -> "Ilsky"); soft signs dropped.
pub fn english_russian_name(name: &str, latin: &[&str]) -> String {
    let mut n = name.to_string();
    if n.contains('ë') {
        let yo = n.replace('ë', "yo");
        n = if latin.iter().any(|l| l.eq_ignore_ascii_case(&yo)) {
            yo
        } else {
            n.replace('ë', "e")
        };
    }
    let n = clean_name(&n);
    match n.strip_suffix("skiy") {
        Some(stem) => format!("{stem}sky"),
        None => n,
    }
}

/// Ukrainian national transliteration (Cabinet of Ministers resolution 55, 2010).
pub fn transliterate_uk(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    let mut word_start = true;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let lower = c.to_lowercase().next().unwrap_or(c);
        let upper = c != lower;
        let t: &str = match lower {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => {
                if i > 0 && chars[i - 1].to_lowercase().next() == Some('з') {
                    "gh"
                } else {
                    "h"
                }
            }
            'ґ' => "g",
            'д' => "d",
            'е' => "e",
            'є' => {
                if word_start {
                    "ye"
                } else {
                    "ie"
                }
            }
            'ж' => "zh",
            'з' => "z",
            'и' => "y",
            'і' => "i",
            'ї' => {
                if word_start {
                    "yi"
                } else {
                    "i"
                }
            }
            'й' => {
                if word_start {
                    "y"
                } else {
                    "i"
                }
            }
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ь' | '\'' | '’' | 'ʼ' => "",
            'ю' => {
                if word_start {
                    "yu"
                } else {
                    "iu"
                }
            }
            'я' => {
                if word_start {
                    "ya"
                } else {
                    "ia"
                }
            }
            // Letters Ukrainian does not use: not a Ukrainian name.
            'ы' | 'э' | 'ъ' | 'ё' => return String::new(),
            _ => {
                out.push(c);
                word_start = !c.is_alphabetic();
                i += 1;
                continue;
            }
        };
        if upper {
            let mut cs = t.chars();
            if let Some(f) = cs.next() {
                out.extend(f.to_uppercase());
                out.push_str(cs.as_str());
            }
        } else {
            out.push_str(t);
        }
        // An apostrophe does not start a word.
        if !matches!(lower, '\'' | '’' | 'ʼ') {
            word_start = false;
        }
        i += 1;
    }
    out
}

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

// ---- compact binary encoding -------------------------------------------------------------

const MAGIC: &[u8; 8] = b"TRUCEGZ2";

#[allow(dead_code)] // used by build.rs
struct W(Vec<u8>);
#[allow(dead_code)]
impl W {
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn f64(&mut self, v: f64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.0.extend_from_slice(s.as_bytes());
    }
}

/// Encodes what the library needs at run time: regions and places (without their alternate
/// names, which only the index uses) followed by the name index.
#[allow(dead_code)] // used by build.rs
pub fn encode(t: &Tables, index: &[u8]) -> Vec<u8> {
    let mut w = W(Vec::with_capacity(1 << 20));
    w.0.extend_from_slice(MAGIC);
    w.u32(t.regions.len() as u32);
    for r in &t.regions {
        w.str(&r.code);
        w.str(&r.name);
        w.str(&r.country);
        w.str(r.iso.as_deref().unwrap_or(""));
        w.f64(r.lat);
        w.f64(r.lon);
    }
    w.u32(t.places.len() as u32);
    for p in &t.places {
        w.u32(p.geonameid);
        w.str(&p.name);
        w.str(&p.country);
        w.u32(p.region.map_or(u32::MAX, |r| r));
        w.f64(p.lat);
        w.f64(p.lon);
        w.u64(p.population);
    }
    w.u32(index.len() as u32);
    w.0.extend_from_slice(index);
    w.0
}

struct R<'a>(&'a [u8]);
impl<'a> R<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn f64(&mut self) -> Option<f64> {
        Some(f64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn str(&mut self) -> Option<String> {
        let n = self.u32()? as usize;
        Some(std::str::from_utf8(self.take(n)?).ok()?.to_string())
    }
}

/// Decodes what [`encode`] wrote: tables without alternate names or aliases, and the byte
/// range of the index. None if the bytes are not such an encoding.
pub fn decode(bytes: &[u8]) -> Option<(Tables, std::ops::Range<usize>)> {
    let mut r = R(bytes);
    if r.take(8)? != MAGIC {
        return None;
    }
    let nr = r.u32()? as usize;
    let mut regions = Vec::with_capacity(nr.min(1 << 16));
    for _ in 0..nr {
        let code = r.str()?;
        let name = r.str()?;
        let country = r.str()?;
        let iso = r.str()?;
        regions.push(RegionRec {
            code,
            name,
            country,
            iso: if iso.is_empty() { None } else { Some(iso) },
            lat: r.f64()?,
            lon: r.f64()?,
            aliases: Vec::new(),
        });
    }
    let np = r.u32()? as usize;
    let mut places = Vec::with_capacity(np.min(1 << 20));
    for _ in 0..np {
        let geonameid = r.u32()?;
        let name = r.str()?;
        let country = r.str()?;
        let reg = r.u32()?;
        places.push(PlaceRec {
            geonameid,
            name,
            country,
            region: if reg == u32::MAX || reg as usize >= nr {
                None
            } else {
                Some(reg)
            },
            lat: r.f64()?,
            lon: r.f64()?,
            population: r.u64()?,
            alt: Vec::new(),
        });
    }
    let len = r.u32()? as usize;
    let start = bytes.len() - r.0.len();
    r.take(len)?;
    Some((
        Tables {
            places,
            regions,
            stop: Vec::new(),
            given: Vec::new(),
            not_place: Vec::new(),
            districts: Vec::new(),
        },
        start..start + len,
    ))
}
