//! Scoring the coder against hand-coded gold records.
//!
//! Incidents match when they are in the same country, their dates are within a day of each
//! other (or both unknown), and they share the place (or, when either has no place, the
//! admin1). Statements match on the same party, act and about. Matching is one-to-one and
//! greedy: the pairs agreeing on the most fields are taken first. Per-field accuracy is
//! measured on matched incidents.
//!
//! Invariant: this crate knows no IO, no wire format and no coding rules; it compares records.

use truce_model::{Casualties, Incident, NaiveDate, Statement};

/// Precision, recall and F1 over counts.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Prf {
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
}

impl Prf {
    pub fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }
    pub fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// An empty denominator scores 1 (nothing to find, nothing wrongly found).
fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// The incident fields scored on matched pairs.
pub const FIELDS: &[&str] = &[
    "date",
    "place",
    "admin1",
    "perpetrator",
    "reported_by",
    "weapons",
    "targets",
    "killed",
    "injured",
];

/// Accuracy of one field over matched incidents.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FieldScore {
    pub field: &'static str,
    pub correct: usize,
    pub total: usize,
}

impl FieldScore {
    pub fn accuracy(&self) -> f64 {
        ratio(self.correct, self.total)
    }
}

/// What kind of record a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    Incident,
    Statement,
}

/// A gold record the coder missed, or a coded record with no gold counterpart.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub document: String,
    pub kind: RecordKind,
    /// A one-line summary of the record.
    pub summary: String,
    pub evidence: String,
}

/// A field of a matched incident that differs from gold.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub document: String,
    pub field: &'static str,
    pub gold: String,
    pub coded: String,
    pub evidence: String,
}

/// The score of a set of documents.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    pub documents: usize,
    pub incidents: Prf,
    pub statements: Prf,
    pub fields: Vec<FieldScore>,
    pub misses: Vec<Finding>,
    pub false_alarms: Vec<Finding>,
    pub field_errors: Vec<FieldError>,
}

impl Report {
    /// Accuracy over all fields of all matched incidents.
    pub fn field_accuracy(&self) -> f64 {
        let c: usize = self.fields.iter().map(|f| f.correct).sum();
        let t: usize = self.fields.iter().map(|f| f.total).sum();
        ratio(c, t)
    }

    pub fn field(&self, name: &str) -> Option<&FieldScore> {
        self.fields.iter().find(|f| f.field == name)
    }
}

/// One document to score: its gold records and what the coder produced.
#[derive(Debug, Clone, Copy)]
pub struct Case<'a> {
    pub document: &'a str,
    pub gold_incidents: &'a [Incident],
    pub gold_statements: &'a [Statement],
    pub incidents: &'a [Incident],
    pub statements: &'a [Statement],
}

fn dates_close(a: Option<NaiveDate>, b: Option<NaiveDate>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).num_days().abs() <= 1,
        (None, None) => true,
        _ => false,
    }
}

/// Names compare case-insensitively, with diacritics folded ("Suzëmka" = "Suzemka") and
/// apostrophes dropped ("Kam'yanske" = "Kamyanske").
fn norm(s: &Option<String>) -> Option<String> {
    s.as_ref().map(|s| fold(s.trim())).filter(|s| !s.is_empty())
}

/// Whether two optional names are the same place name (see [`norm`]); "ë" may also be
/// written "yo" ("Tëtkino" = "Tyotkino").
fn same_name(a: &Option<String>, b: &Option<String>) -> bool {
    let yo = |s: &Option<String>| {
        s.as_ref()
            .map(|s| fold(&s.trim().to_lowercase().replace('ë', "yo")))
    };
    norm(a) == norm(b) || yo(a) == yo(b)
}

fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.to_lowercase().chars() {
        let base = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
            'ç' | 'ć' | 'č' => 'c',
            'ď' => 'd',
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' => 'i',
            'ł' => 'l',
            'ñ' | 'ń' | 'ň' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
            'ř' => 'r',
            'ś' | 'š' | 'ş' | 'ș' => 's',
            'ť' | 'ţ' | 'ț' => 't',
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
            'ý' | 'ÿ' => 'y',
            'ź' | 'ż' | 'ž' => 'z',
            '\'' | '’' | 'ʼ' | '`' => continue,
            c => c,
        };
        out.push(base);
    }
    out
}

/// Whether a coded incident can stand for a gold one.
pub fn incidents_match(gold: &Incident, coded: &Incident) -> bool {
    if norm(&gold.country) != norm(&coded.country) || !dates_close(gold.date, coded.date) {
        return false;
    }
    let (gp, cp) = (norm(&gold.place), norm(&coded.place));
    if gp.is_some() && same_name(&gold.place, &coded.place) {
        return true;
    }
    if gp.is_some() && cp.is_some() {
        return false;
    }
    norm(&gold.admin1) == norm(&coded.admin1)
}

fn sorted<T: Ord + Copy>(v: &[T]) -> Vec<T> {
    let mut v = v.to_vec();
    v.sort();
    v.dedup();
    v
}

fn casualty(c: &Casualties) -> String {
    match c.count {
        Some(c) => format!("{} ({})", c.n, c.q.as_str()),
        None => "null".into(),
    }
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_else(|| "null".into())
}

/// (field, gold value, coded value, equal?) for every scored field.
fn compare(gold: &Incident, coded: &Incident) -> Vec<(&'static str, String, String, bool)> {
    let d = |x: Option<NaiveDate>| x.map(|d| d.to_string()).unwrap_or_else(|| "null".into());
    let list = |v: Vec<String>| v.join(",");
    vec![
        ("date", d(gold.date), d(coded.date), gold.date == coded.date),
        (
            "place",
            opt(&gold.place),
            opt(&coded.place),
            same_name(&gold.place, &coded.place),
        ),
        (
            "admin1",
            opt(&gold.admin1),
            opt(&coded.admin1),
            norm(&gold.admin1) == norm(&coded.admin1),
        ),
        (
            "perpetrator",
            gold.perpetrator.to_string(),
            coded.perpetrator.to_string(),
            gold.perpetrator == coded.perpetrator,
        ),
        (
            "reported_by",
            gold.reported_by.to_string(),
            coded.reported_by.to_string(),
            gold.reported_by == coded.reported_by,
        ),
        (
            "weapons",
            list(
                sorted(&gold.weapons)
                    .iter()
                    .map(|w| w.to_string())
                    .collect(),
            ),
            list(
                sorted(&coded.weapons)
                    .iter()
                    .map(|w| w.to_string())
                    .collect(),
            ),
            sorted(&gold.weapons) == sorted(&coded.weapons),
        ),
        (
            "targets",
            list(
                sorted(&gold.targets)
                    .iter()
                    .map(|w| w.to_string())
                    .collect(),
            ),
            list(
                sorted(&coded.targets)
                    .iter()
                    .map(|w| w.to_string())
                    .collect(),
            ),
            sorted(&gold.targets) == sorted(&coded.targets),
        ),
        (
            "killed",
            casualty(&gold.killed),
            casualty(&coded.killed),
            gold.killed.count == coded.killed.count,
        ),
        (
            "injured",
            casualty(&gold.injured),
            casualty(&coded.injured),
            gold.injured.count == coded.injured.count,
        ),
    ]
}

/// Greedy one-to-one matching: among admissible pairs, the best scored first.
fn greedy(
    n_gold: usize,
    n_coded: usize,
    admissible: impl Fn(usize, usize) -> Option<i64>,
) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(i64, usize, usize)> = Vec::new();
    for g in 0..n_gold {
        for c in 0..n_coded {
            if let Some(score) = admissible(g, c) {
                pairs.push((score, g, c));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut used_g, mut used_c) = (vec![false; n_gold], vec![false; n_coded]);
    let mut out = Vec::new();
    for (_, g, c) in pairs {
        if !used_g[g] && !used_c[c] {
            used_g[g] = true;
            used_c[c] = true;
            out.push((g, c));
        }
    }
    out
}

fn overlap(a: truce_model::Span, b: truce_model::Span) -> i64 {
    let s = a.start.max(b.start);
    let e = a.end.min(b.end);
    e.saturating_sub(s) as i64
}

fn incident_summary(i: &Incident) -> String {
    format!(
        "{} {} / {} / {} perp={} by={} weapons={} targets={} killed={} injured={}",
        i.date
            .map(|d| d.to_string())
            .unwrap_or_else(|| "null".into()),
        opt(&i.place),
        opt(&i.admin1),
        opt(&i.country),
        i.perpetrator,
        i.reported_by,
        i.weapons
            .iter()
            .map(|w| w.as_str())
            .collect::<Vec<_>>()
            .join(","),
        i.targets
            .iter()
            .map(|w| w.as_str())
            .collect::<Vec<_>>()
            .join(","),
        casualty(&i.killed),
        casualty(&i.injured),
    )
}

fn statement_summary(s: &Statement) -> String {
    format!(
        "{} ({}) {} {} target={}",
        s.speaker,
        s.party,
        s.act,
        s.about,
        s.target.map(|t| t.as_str()).unwrap_or("null")
    )
}

/// Scores a set of documents.
pub fn score(cases: &[Case]) -> Report {
    let mut r = Report {
        documents: cases.len(),
        fields: FIELDS
            .iter()
            .map(|f| FieldScore {
                field: f,
                correct: 0,
                total: 0,
            })
            .collect(),
        ..Report::default()
    };
    for case in cases {
        // Incidents.
        let m = greedy(case.gold_incidents.len(), case.incidents.len(), |g, c| {
            let (gi, ci) = (&case.gold_incidents[g], &case.incidents[c]);
            incidents_match(gi, ci).then(|| {
                let agree = compare(gi, ci).iter().filter(|x| x.3).count() as i64;
                agree * 1_000_000 + overlap(gi.evidence.span, ci.evidence.span)
            })
        });
        r.incidents.true_positives += m.len();
        for (g, c) in &m {
            let (gi, ci) = (&case.gold_incidents[*g], &case.incidents[*c]);
            for (k, (field, gv, cv, ok)) in compare(gi, ci).into_iter().enumerate() {
                r.fields[k].total += 1;
                if ok {
                    r.fields[k].correct += 1;
                } else {
                    r.field_errors.push(FieldError {
                        document: case.document.to_string(),
                        field,
                        gold: gv,
                        coded: cv,
                        evidence: gi.evidence.text.clone(),
                    });
                }
            }
        }
        for (g, gi) in case.gold_incidents.iter().enumerate() {
            if !m.iter().any(|x| x.0 == g) {
                r.incidents.false_negatives += 1;
                r.misses.push(Finding {
                    document: case.document.to_string(),
                    kind: RecordKind::Incident,
                    summary: incident_summary(gi),
                    evidence: gi.evidence.text.clone(),
                });
            }
        }
        for (c, ci) in case.incidents.iter().enumerate() {
            if !m.iter().any(|x| x.1 == c) {
                r.incidents.false_positives += 1;
                r.false_alarms.push(Finding {
                    document: case.document.to_string(),
                    kind: RecordKind::Incident,
                    summary: incident_summary(ci),
                    evidence: ci.evidence.text.clone(),
                });
            }
        }
        // Statements.
        let m = greedy(case.gold_statements.len(), case.statements.len(), |g, c| {
            let (gs, cs) = (&case.gold_statements[g], &case.statements[c]);
            (gs.party == cs.party && gs.act == cs.act && gs.about == cs.about).then(|| {
                i64::from(gs.target == cs.target) * 1_000_000
                    + overlap(gs.evidence.span, cs.evidence.span)
            })
        });
        r.statements.true_positives += m.len();
        for (g, gs) in case.gold_statements.iter().enumerate() {
            if !m.iter().any(|x| x.0 == g) {
                r.statements.false_negatives += 1;
                r.misses.push(Finding {
                    document: case.document.to_string(),
                    kind: RecordKind::Statement,
                    summary: statement_summary(gs),
                    evidence: gs.evidence.text.clone(),
                });
            }
        }
        for (c, cs) in case.statements.iter().enumerate() {
            if !m.iter().any(|x| x.1 == c) {
                r.statements.false_positives += 1;
                r.false_alarms.push(Finding {
                    document: case.document.to_string(),
                    kind: RecordKind::Statement,
                    summary: statement_summary(cs),
                    evidence: cs.evidence.text.clone(),
                });
            }
        }
    }
    r
}
