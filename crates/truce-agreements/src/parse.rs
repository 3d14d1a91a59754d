//! The TOML format of one agreement file, and its validation.
//!
//! ```toml
//! id = "easter_truce_2025"            # [a-z0-9_], unique in a set
//! title = "Easter truce"
//! kind = "unilateral_truce"           # general | partial | maritime | unilateral_truce
//! about = "easter_truce"              # the statement topic (Contract 1 `about`)
//! parties = ["RU", "UA"]              # the parties it would bind
//! mediators = ["US"]                  # optional: proposers/brokers, never bound
//! time_zone = "+03:00"                # day-precision dates are read in it
//! notes = "..."                       # optional
//!
//! [[windows]]                         # one or more, non-overlapping, start < end
//! start = 2025-04-19T18:00:00+03:00   # RFC 3339 with offset (TOML datetime or string)
//! end = 2025-04-21T00:00:00+03:00     # optional: open-ended when absent
//!
//! [protected]
//! targets = ["energy"]                # Contract 1 target categories, or "all"
//! energy = ["oil_refinery"]           # optional sub-kinds per category (data/target_sub_kinds.toml)
//!
//! [geography]
//! countries = ["UA", "RU"]            # ISO alpha-2 codes, or "all"
//! admin1 = ["Odesa Oblast"]           # optional: only these regions
//! note = "..."                        # optional
//!
//! [conditions]                        # optional: free text per party
//! RU = ["..."]
//!
//! [[positions]]
//! party = "RU"
//! position = "declared"               # proposed | accepted | accepted_conditionally | rejected | declared | expired
//! date = 2025-04-19
//! at = 2025-04-19T15:00:00+03:00      # optional: when it takes effect (default 00:00 of date)
//! conditions = ["..."]                # required for accepted_conditionally
//! mirror = true                       # optional: the party will mirror a unilateral truce
//! statement = "..."                   # what was said, in the file's words
//! source = "outlet, date"
//! ```

use std::collections::BTreeMap;
use std::ops::Range;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};
use toml::Spanned;
use toml::de::{DeTable, DeValue};
use truce_model::{About, Party, Target};

use crate::{
    Agreement, AgreementError, Countries, Geography, Kind, Position, PositionKind, Protected,
    Window,
};

/// The sub-kinds each target category may name, loaded from a data file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubKinds {
    map: BTreeMap<Target, Vec<String>>,
}

const EMBEDDED_SUB_KINDS: &str = include_str!("../data/target_sub_kinds.toml");

impl SubKinds {
    /// The list shipped in `data/target_sub_kinds.toml`.
    pub fn embedded() -> SubKinds {
        // The embedded file is checked by this crate's tests; a broken one yields an empty list.
        SubKinds::parse(EMBEDDED_SUB_KINDS).unwrap_or(SubKinds {
            map: BTreeMap::new(),
        })
    }

    /// Parses a sub-kinds file (`category = ["sub_kind", ...]`).
    pub fn parse(text: &str) -> Result<SubKinds, String> {
        let root = DeTable::parse(text).map_err(|e| e.message().to_string())?;
        let mut map = BTreeMap::new();
        for (k, v) in root.get_ref().iter() {
            let target: Target = k
                .get_ref()
                .parse()
                .map_err(|e: truce_model::UnknownTerm| e.to_string())?;
            let arr = v
                .get_ref()
                .as_array()
                .ok_or_else(|| format!("{}: expected an array", k.get_ref()))?;
            let mut list = Vec::new();
            for item in arr.iter() {
                let s = item
                    .get_ref()
                    .as_str()
                    .ok_or_else(|| format!("{}: expected strings", k.get_ref()))?;
                list.push(s.to_string());
            }
            map.insert(target, list);
        }
        Ok(SubKinds { map })
    }

    pub fn knows(&self, target: Target, sub: &str) -> bool {
        self.map
            .get(&target)
            .is_some_and(|v| v.iter().any(|s| s == sub))
    }
}

/// Parses and validates one agreement file with the embedded sub-kinds list.
pub fn parse_agreement(file_name: &str, text: &str) -> Result<Agreement, Vec<AgreementError>> {
    parse_agreement_with(&SubKinds::embedded(), file_name, text)
}

/// Parses and validates one agreement file. Returns every error found, in file order.
pub fn parse_agreement_with(
    sub_kinds: &SubKinds,
    file_name: &str,
    text: &str,
) -> Result<Agreement, Vec<AgreementError>> {
    let mut cx = Cx {
        file: file_name,
        text,
        errors: Vec::new(),
    };
    let root = match DeTable::parse(text) {
        Ok(t) => t,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            cx.err(
                span,
                "(file)",
                format!("malformed TOML: {}", e.message().trim()),
            );
            return Err(cx.errors);
        }
    };
    let agreement = cx.agreement(sub_kinds, &root);
    let mut errors = cx.errors;
    match agreement {
        Some(a) if errors.is_empty() => Ok(a.finish()),
        _ => {
            errors.sort_by_key(|e| (e.line, e.column));
            Err(errors)
        }
    }
}

type Val<'i> = Spanned<DeValue<'i>>;

struct Cx<'a> {
    file: &'a str,
    text: &'a str,
    errors: Vec<AgreementError>,
}

fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a datetime",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

fn list_of<T: Copy>(all: &[T], name: impl Fn(T) -> &'static str) -> String {
    all.iter().map(|&t| name(t)).collect::<Vec<_>>().join(", ")
}

impl<'a> Cx<'a> {
    fn err(&mut self, span: Range<usize>, field: &str, message: String) {
        let start = span.start.min(self.text.len());
        let before = self.text.get(..start).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
        self.errors.push(AgreementError {
            file: self.file.to_string(),
            line,
            column,
            field: field.to_string(),
            message,
        });
    }

    /// Reports keys of `table` not in `known`.
    fn unknown_keys(&mut self, table: &DeTable<'_>, prefix: &str, known: &[&str]) {
        for (k, _) in table.iter() {
            if !known.contains(&k.get_ref().as_ref()) {
                let field = join(prefix, k.get_ref());
                self.err(
                    k.span(),
                    &field,
                    format!("unknown field (expected one of {})", known.join(", ")),
                );
            }
        }
    }

    fn get<'t, 'i>(table: &'t DeTable<'i>, key: &str) -> Option<&'t Val<'i>> {
        table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(_, v)| v)
    }

    fn required<'t, 'i>(
        &mut self,
        table: &'t Spanned<DeTable<'i>>,
        prefix: &str,
        key: &str,
    ) -> Option<&'t Val<'i>> {
        let v = Self::get(table.get_ref(), key);
        if v.is_none() {
            let field = join(prefix, key);
            self.err(table.span(), &field, "missing field".to_string());
        }
        v
    }

    fn string(&mut self, v: &Val<'_>, field: &str) -> Option<String> {
        match v.get_ref() {
            DeValue::String(s) => {
                if s.trim().is_empty() {
                    self.err(v.span(), field, "must not be empty".to_string());
                    None
                } else {
                    Some(s.to_string())
                }
            }
            other => {
                self.err(
                    v.span(),
                    field,
                    format!("expected a string, found {}", type_name(other)),
                );
                None
            }
        }
    }

    fn strings(&mut self, v: &Val<'_>, field: &str) -> Option<Vec<(String, Range<usize>)>> {
        match v.get_ref() {
            DeValue::Array(arr) => {
                let mut out = Vec::new();
                let mut ok = true;
                for (i, item) in arr.iter().enumerate() {
                    match self.string(item, &format!("{field}[{i}]")) {
                        Some(s) => out.push((s, item.span())),
                        None => ok = false,
                    }
                }
                ok.then_some(out)
            }
            other => {
                self.err(
                    v.span(),
                    field,
                    format!("expected an array of strings, found {}", type_name(other)),
                );
                None
            }
        }
    }

    fn parties(&mut self, v: &Val<'_>, field: &str) -> Option<Vec<Party>> {
        let items = self.strings(v, field)?;
        let mut out = Vec::new();
        let mut ok = true;
        for (i, (s, span)) in items.into_iter().enumerate() {
            match s.parse::<Party>() {
                Ok(p) if out.contains(&p) => {
                    self.err(
                        span,
                        &format!("{field}[{i}]"),
                        format!("party {s:?} listed twice"),
                    );
                    ok = false;
                }
                Ok(p) => out.push(p),
                Err(_) => {
                    self.err(
                        span,
                        &format!("{field}[{i}]"),
                        format!(
                            "unknown party {s:?} (expected one of {})",
                            list_of(Party::ALL, Party::as_str)
                        ),
                    );
                    ok = false;
                }
            }
        }
        out.sort();
        ok.then_some(out)
    }

    fn instant(&mut self, v: &Val<'_>, field: &str) -> Option<DateTime<FixedOffset>> {
        let (text, has_offset_hint) = match v.get_ref() {
            DeValue::Datetime(d) => (d.to_string(), d.offset.is_some()),
            DeValue::String(s) => (s.to_string(), true),
            other => {
                self.err(
                    v.span(),
                    field,
                    format!(
                        "expected an RFC 3339 instant with offset, found {}",
                        type_name(other)
                    ),
                );
                return None;
            }
        };
        match DateTime::parse_from_rfc3339(&text) {
            Ok(t) => Some(t),
            Err(_) => {
                let naive = [
                    "%Y-%m-%dT%H:%M:%S%.f",
                    "%Y-%m-%d %H:%M:%S%.f",
                    "%Y-%m-%dT%H:%M",
                    "%Y-%m-%d %H:%M",
                ]
                .iter()
                .any(|f| chrono::NaiveDateTime::parse_from_str(&text, f).is_ok())
                    || NaiveDate::parse_from_str(&text, "%Y-%m-%d").is_ok();
                let msg = if naive || !has_offset_hint {
                    format!(
                        "instant {text:?} has no UTC offset (write a full RFC 3339 instant such as 2025-04-19T18:00:00+03:00)"
                    )
                } else {
                    format!("{text:?} is not an RFC 3339 instant with offset")
                };
                self.err(v.span(), field, msg);
                None
            }
        }
    }

    fn date(&mut self, v: &Val<'_>, field: &str) -> Option<NaiveDate> {
        let text = match v.get_ref() {
            DeValue::Datetime(d) if d.time.is_none() && d.offset.is_none() => d.to_string(),
            DeValue::String(s) => s.to_string(),
            other => {
                self.err(
                    v.span(),
                    field,
                    format!("expected a date (YYYY-MM-DD), found {}", type_name(other)),
                );
                return None;
            }
        };
        match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                self.err(
                    v.span(),
                    field,
                    format!("{text:?} is not a date (YYYY-MM-DD)"),
                );
                None
            }
        }
    }

    fn bool(&mut self, v: &Val<'_>, field: &str) -> Option<bool> {
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                self.err(
                    v.span(),
                    field,
                    format!("expected a boolean, found {}", type_name(other)),
                );
                None
            }
        }
    }

    fn table<'t, 'i>(&mut self, v: &'t Val<'i>, field: &str) -> Option<&'t DeTable<'i>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(t),
            other => {
                self.err(
                    v.span(),
                    field,
                    format!("expected a table, found {}", type_name(other)),
                );
                None
            }
        }
    }

    fn agreement(
        &mut self,
        sub_kinds: &SubKinds,
        root: &Spanned<DeTable<'_>>,
    ) -> Option<Agreement> {
        const KNOWN: &[&str] = &[
            "id",
            "title",
            "kind",
            "about",
            "parties",
            "mediators",
            "time_zone",
            "notes",
            "windows",
            "protected",
            "geography",
            "conditions",
            "positions",
        ];
        self.unknown_keys(root.get_ref(), "", KNOWN);

        let id = self.required(root, "", "id").and_then(|v| {
            let s = self.string(v, "id")?;
            if is_id(&s) {
                Some(s)
            } else {
                self.err(
                    v.span(),
                    "id",
                    format!("{s:?} is not an id (lower-case letters, digits, '_' and '-')"),
                );
                None
            }
        });
        let title = self
            .required(root, "", "title")
            .and_then(|v| self.string(v, "title"));
        let kind = self.required(root, "", "kind").and_then(|v| {
            let s = self.string(v, "kind")?;
            let k = Kind::parse(&s);
            if k.is_none() {
                self.err(
                    v.span(),
                    "kind",
                    format!(
                        "unknown agreement kind {s:?} (expected one of {})",
                        list_of(Kind::ALL, Kind::as_str)
                    ),
                );
            }
            k
        });
        let about = self.required(root, "", "about").and_then(|v| {
            let s = self.string(v, "about")?;
            match s.parse::<About>() {
                Ok(a) => Some(a),
                Err(e) => {
                    self.err(
                        v.span(),
                        "about",
                        format!(
                            "{e} (expected one of {})",
                            list_of(About::ALL, About::as_str)
                        ),
                    );
                    None
                }
            }
        });
        let parties = self.required(root, "", "parties").and_then(|v| {
            let p = self.parties(v, "parties")?;
            if p.is_empty() {
                self.err(
                    v.span(),
                    "parties",
                    "must list at least one party".to_string(),
                );
                None
            } else {
                Some(p)
            }
        });
        let mediators = match Self::get(root.get_ref(), "mediators") {
            Some(v) => self.parties(v, "mediators"),
            None => Some(Vec::new()),
        };
        if let (Some(p), Some(m), Some(v)) =
            (&parties, &mediators, Self::get(root.get_ref(), "mediators"))
        {
            for x in m {
                if p.contains(x) {
                    self.err(
                        v.span(),
                        "mediators",
                        format!(
                            "party {x:?} is listed in both `parties` and `mediators`",
                            x = x.as_str()
                        ),
                    );
                }
            }
        }
        let time_zone = self.required(root, "", "time_zone").and_then(|v| {
            let s = self.string(v, "time_zone")?;
            match parse_offset(&s) {
                Some(tz) => Some(tz),
                None => {
                    self.err(
                        v.span(),
                        "time_zone",
                        format!("{s:?} is not a UTC offset (write e.g. \"+03:00\")"),
                    );
                    None
                }
            }
        });
        let notes = Self::get(root.get_ref(), "notes").and_then(|v| self.string(v, "notes"));

        let windows = self
            .required(root, "", "windows")
            .and_then(|v| self.windows(v));
        let protected = self
            .required(root, "", "protected")
            .and_then(|v| self.protected(sub_kinds, v));
        let geography = self
            .required(root, "", "geography")
            .and_then(|v| self.geography(v));

        let listed: Vec<Party> = parties
            .iter()
            .chain(mediators.iter())
            .flatten()
            .copied()
            .collect();
        let conditions = match Self::get(root.get_ref(), "conditions") {
            Some(v) => self.conditions(v, &listed, parties.is_some()),
            None => Some(BTreeMap::new()),
        };
        let positions = self.required(root, "", "positions").and_then(|v| {
            self.positions(
                v,
                &listed,
                parties.is_some() && mediators.is_some(),
                time_zone,
            )
        });

        if let (Some(kind), Some(positions)) = (kind, &positions) {
            if kind == Kind::UnilateralTruce
                && !positions.iter().any(|p| p.kind == PositionKind::Declared)
                && let Some(v) = Self::get(root.get_ref(), "positions")
            {
                self.err(
                    v.span(),
                    "positions",
                    "a unilateral truce needs a `declared` position".to_string(),
                );
            }
            if kind != Kind::UnilateralTruce {
                for (i, p) in positions.iter().enumerate() {
                    if p.mirror
                        && let Some(v) = Self::get(root.get_ref(), "positions")
                    {
                        self.err(
                            v.span(),
                            &format!("positions[{i}].mirror"),
                            "`mirror` applies only to unilateral truces".to_string(),
                        );
                    }
                }
            }
        }

        let mut positions = positions?;
        positions.sort_by_key(|p| p.at);
        Some(Agreement {
            id: id?,
            title: title?,
            kind: kind?,
            about: about?,
            parties: parties?,
            mediators: mediators?,
            time_zone: time_zone?,
            windows: windows?,
            protected: protected?,
            geography: geography?,
            conditions: conditions?,
            positions,
            notes,
            file: self.file.to_string(),
            bound: Vec::new(),
            in_force: Vec::new(),
        })
    }

    fn windows(&mut self, v: &Val<'_>) -> Option<Vec<Window>> {
        let arr = match v.get_ref() {
            DeValue::Array(a) => a,
            other => {
                self.err(
                    v.span(),
                    "windows",
                    format!(
                        "expected an array of tables ([[windows]]), found {}",
                        type_name(other)
                    ),
                );
                return None;
            }
        };
        if arr.is_empty() {
            self.err(
                v.span(),
                "windows",
                "must hold at least one window".to_string(),
            );
            return None;
        }
        let mut out: Vec<(Window, usize, Range<usize>)> = Vec::new();
        let mut ok = true;
        for (i, item) in arr.iter().enumerate() {
            let field = format!("windows[{i}]");
            let Some(t) = self.table(item, &field) else {
                ok = false;
                continue;
            };
            self.unknown_keys(t, &field, &["start", "end", "note"]);
            let spanned = Spanned::new(item.span(), t.clone());
            let start = self
                .required(&spanned, &field, "start")
                .and_then(|s| self.instant(s, &format!("{field}.start")));
            let end = match Self::get(t, "end") {
                Some(e) => self.instant(e, &format!("{field}.end")).map(Some),
                None => Some(None),
            };
            if let Some(n) = Self::get(t, "note") {
                self.string(n, &format!("{field}.note"));
            }
            match (start, end) {
                (Some(s), Some(e)) => {
                    if let Some(e) = e
                        && e <= s
                    {
                        let span = Self::get(t, "end").map_or(item.span(), |x| x.span());
                        self.err(
                            span,
                            &format!("{field}.end"),
                            format!(
                                "window is inverted or empty: end {} is not after start {}",
                                e.to_rfc3339(),
                                s.to_rfc3339()
                            ),
                        );
                        ok = false;
                        continue;
                    }
                    out.push((Window { start: s, end: e }, i, item.span()));
                }
                _ => ok = false,
            }
        }
        // Overlaps between windows, reported on the later one (file order).
        for a in 0..out.len() {
            for b in 0..a {
                let (wa, ia, span) = &out[a];
                let (wb, ib, _) = &out[b];
                let (x, y) = (wa.interval(), wb.interval());
                if x.start < y.end && y.start < x.end {
                    let msg = format!("window overlaps windows[{ib}]");
                    let field = format!("windows[{ia}]");
                    let span = span.clone();
                    self.err(span, &field, msg);
                    ok = false;
                }
            }
        }
        if !ok {
            return None;
        }
        let mut ws: Vec<Window> = out.into_iter().map(|(w, _, _)| w).collect();
        ws.sort_by_key(|w| w.start);
        Some(ws)
    }

    fn protected(&mut self, sub_kinds: &SubKinds, v: &Val<'_>) -> Option<Protected> {
        let t = self.table(v, "protected")?;
        let spanned = Spanned::new(v.span(), t.clone());
        let mut known: Vec<&str> = vec!["targets"];
        known.extend(Target::ALL.iter().map(|t| t.as_str()));
        self.unknown_keys(t, "protected", &known);
        let tv = self.required(&spanned, "protected", "targets")?;
        let mut targets: Vec<Target> = Vec::new();
        let mut ok = true;
        match tv.get_ref() {
            DeValue::String(s) if s.as_ref() == "all" => {
                targets = Target::ALL
                    .iter()
                    .copied()
                    .filter(|&t| t != Target::Unknown)
                    .collect();
            }
            DeValue::String(s) => {
                self.err(
                    tv.span(),
                    "protected.targets",
                    format!("expected an array of target kinds or \"all\", found {s:?}"),
                );
                ok = false;
            }
            _ => {
                let items = self.strings(tv, "protected.targets")?;
                if items.is_empty() {
                    self.err(
                        tv.span(),
                        "protected.targets",
                        "must list at least one target kind".to_string(),
                    );
                    ok = false;
                }
                for (i, (s, span)) in items.into_iter().enumerate() {
                    match s.parse::<Target>() {
                        Ok(Target::Unknown) | Err(_) => {
                            self.err(
                                span,
                                &format!("protected.targets[{i}]"),
                                format!(
                                    "unknown target kind {s:?} (expected one of {})",
                                    Target::ALL
                                        .iter()
                                        .filter(|&&t| t != Target::Unknown)
                                        .map(|t| t.as_str())
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                ),
                            );
                            ok = false;
                        }
                        Ok(t) if !targets.contains(&t) => targets.push(t),
                        Ok(_) => {}
                    }
                }
            }
        }
        targets.sort();
        let mut subs = BTreeMap::new();
        for (k, val) in t.iter() {
            let Ok(cat) = k.get_ref().parse::<Target>() else {
                continue;
            };
            let field = format!("protected.{}", cat.as_str());
            let Some(items) = self.strings(val, &field) else {
                ok = false;
                continue;
            };
            if ok && !targets.contains(&cat) {
                self.err(
                    k.span(),
                    &field,
                    format!(
                        "sub-kinds given for {:?}, which `protected.targets` does not list",
                        cat.as_str()
                    ),
                );
                ok = false;
            }
            let mut list = Vec::new();
            for (i, (s, span)) in items.into_iter().enumerate() {
                if sub_kinds.knows(cat, &s) {
                    list.push(s);
                } else {
                    self.err(
                        span,
                        &format!("{field}[{i}]"),
                        format!("unknown {} sub-kind {s:?}", cat.as_str()),
                    );
                    ok = false;
                }
            }
            subs.insert(cat, list);
        }
        ok.then_some(Protected {
            targets,
            sub_kinds: subs,
        })
    }

    fn geography(&mut self, v: &Val<'_>) -> Option<Geography> {
        let t = self.table(v, "geography")?;
        let spanned = Spanned::new(v.span(), t.clone());
        self.unknown_keys(t, "geography", &["countries", "admin1", "note"]);
        let cv = self.required(&spanned, "geography", "countries")?;
        let countries = match cv.get_ref() {
            DeValue::String(s) if s.as_ref() == "all" => Countries::All,
            DeValue::String(s) => {
                self.err(
                    cv.span(),
                    "geography.countries",
                    format!(
                        "expected an array of ISO 3166-1 alpha-2 codes or \"all\", found {s:?}"
                    ),
                );
                return None;
            }
            _ => {
                let items = self.strings(cv, "geography.countries")?;
                let mut list = Vec::new();
                let mut ok = true;
                for (i, (s, span)) in items.into_iter().enumerate() {
                    if s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase()) {
                        list.push(s);
                    } else {
                        self.err(
                            span,
                            &format!("geography.countries[{i}]"),
                            format!("{s:?} is not an ISO 3166-1 alpha-2 code (e.g. \"UA\")"),
                        );
                        ok = false;
                    }
                }
                if list.is_empty() && ok {
                    self.err(
                        cv.span(),
                        "geography.countries",
                        "must list at least one country, or be \"all\"".to_string(),
                    );
                    ok = false;
                }
                if !ok {
                    return None;
                }
                list.sort();
                list.dedup();
                Countries::Only(list)
            }
        };
        let admin1 = match Self::get(t, "admin1") {
            Some(a) => self
                .strings(a, "geography.admin1")?
                .into_iter()
                .map(|(s, _)| s)
                .collect(),
            None => Vec::new(),
        };
        let note = Self::get(t, "note").and_then(|n| self.string(n, "geography.note"));
        Some(Geography {
            countries,
            admin1,
            note,
        })
    }

    fn conditions(
        &mut self,
        v: &Val<'_>,
        listed: &[Party],
        check_listed: bool,
    ) -> Option<BTreeMap<Party, Vec<String>>> {
        let t = self.table(v, "conditions")?;
        let mut out = BTreeMap::new();
        let mut ok = true;
        for (k, val) in t.iter() {
            let field = format!("conditions.{}", k.get_ref());
            let party = match k.get_ref().parse::<Party>() {
                Ok(p) => p,
                Err(_) => {
                    self.err(
                        k.span(),
                        &field,
                        format!(
                            "unknown party {:?} (expected one of {})",
                            k.get_ref(),
                            list_of(Party::ALL, Party::as_str)
                        ),
                    );
                    ok = false;
                    continue;
                }
            };
            if check_listed && !listed.contains(&party) {
                self.err(
                    k.span(),
                    &field,
                    format!(
                        "party {:?} is not listed in `parties` or `mediators`",
                        party.as_str()
                    ),
                );
                ok = false;
            }
            match self.strings(val, &field) {
                Some(items) => {
                    out.insert(party, items.into_iter().map(|(s, _)| s).collect());
                }
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn positions(
        &mut self,
        v: &Val<'_>,
        listed: &[Party],
        check_listed: bool,
        tz: Option<FixedOffset>,
    ) -> Option<Vec<Position>> {
        let arr = match v.get_ref() {
            DeValue::Array(a) => a,
            other => {
                self.err(
                    v.span(),
                    "positions",
                    format!(
                        "expected an array of tables ([[positions]]), found {}",
                        type_name(other)
                    ),
                );
                return None;
            }
        };
        let mut out = Vec::new();
        let mut ok = true;
        for (i, item) in arr.iter().enumerate() {
            let field = format!("positions[{i}]");
            let Some(t) = self.table(item, &field) else {
                ok = false;
                continue;
            };
            self.unknown_keys(
                t,
                &field,
                &[
                    "party",
                    "position",
                    "date",
                    "at",
                    "conditions",
                    "mirror",
                    "statement",
                    "source",
                ],
            );
            let spanned = Spanned::new(item.span(), t.clone());
            let party = self.required(&spanned, &field, "party").and_then(|pv| {
                let f = format!("{field}.party");
                let s = self.string(pv, &f)?;
                match s.parse::<Party>() {
                    Ok(p) => {
                        if check_listed && !listed.contains(&p) {
                            self.err(
                                pv.span(),
                                &f,
                                format!("party {s:?} is not listed in `parties` or `mediators`"),
                            );
                            None
                        } else {
                            Some(p)
                        }
                    }
                    Err(_) => {
                        self.err(
                            pv.span(),
                            &f,
                            format!(
                                "unknown party {s:?} (expected one of {})",
                                list_of(Party::ALL, Party::as_str)
                            ),
                        );
                        None
                    }
                }
            });
            let kind = self.required(&spanned, &field, "position").and_then(|pv| {
                let f = format!("{field}.position");
                let s = self.string(pv, &f)?;
                let k = PositionKind::parse(&s);
                if k.is_none() {
                    self.err(
                        pv.span(),
                        &f,
                        format!(
                            "unknown position {s:?} (expected one of {})",
                            list_of(PositionKind::ALL, PositionKind::as_str)
                        ),
                    );
                }
                k
            });
            let date = self
                .required(&spanned, &field, "date")
                .and_then(|dv| self.date(dv, &format!("{field}.date")));
            let at = match Self::get(t, "at") {
                Some(av) => self.instant(av, &format!("{field}.at")).map(Some),
                None => Some(None),
            };
            let conditions = match Self::get(t, "conditions") {
                Some(cv) => self
                    .strings(cv, &format!("{field}.conditions"))
                    .map(|v| v.into_iter().map(|(s, _)| s).collect::<Vec<_>>()),
                None => Some(Vec::new()),
            };
            let mirror = match Self::get(t, "mirror") {
                Some(mv) => self.bool(mv, &format!("{field}.mirror")),
                None => Some(false),
            };
            let statement = self
                .required(&spanned, &field, "statement")
                .and_then(|sv| self.string(sv, &format!("{field}.statement")));
            let source = self
                .required(&spanned, &field, "source")
                .and_then(|sv| self.string(sv, &format!("{field}.source")));
            if let (Some(PositionKind::AcceptedConditionally), Some(c)) = (kind, &conditions)
                && c.is_empty()
            {
                self.err(
                    item.span(),
                    &format!("{field}.conditions"),
                    "an `accepted_conditionally` position must name its conditions".to_string(),
                );
                ok = false;
            }
            if let (Some(d), Some(Some(a))) = (date, at)
                && a.date_naive() != d
                && a.naive_utc().date() != d
            {
                let span = Self::get(t, "at").map_or(item.span(), |x| x.span());
                self.err(
                    span,
                    &format!("{field}.at"),
                    format!(
                        "instant {} does not fall on the position's date {d}",
                        a.to_rfc3339()
                    ),
                );
                ok = false;
            }
            match (
                party, kind, date, at, conditions, mirror, statement, source, tz,
            ) {
                (
                    Some(party),
                    Some(kind),
                    Some(date),
                    Some(at),
                    Some(conditions),
                    Some(mirror),
                    Some(statement),
                    Some(source),
                    Some(tz),
                ) => {
                    let at = match at {
                        Some(a) => a,
                        None => match date
                            .and_time(NaiveTime::MIN)
                            .and_local_timezone(tz)
                            .single()
                        {
                            Some(a) => a,
                            None => {
                                ok = false;
                                continue;
                            }
                        },
                    };
                    out.push(Position {
                        party,
                        kind,
                        date,
                        at,
                        conditions,
                        mirror,
                        statement,
                        source,
                    });
                }
                _ => ok = false,
            }
        }
        ok.then_some(out)
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// Parses "+03:00", "-05:30", "Z" or "UTC".
fn parse_offset(s: &str) -> Option<FixedOffset> {
    if s == "Z" || s == "UTC" || s == "+00:00" {
        return FixedOffset::east_opt(0);
    }
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let h: i32 = h.parse().ok()?;
    let m: i32 = m.parse().ok()?;
    if h > 14 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}
