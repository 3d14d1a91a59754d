//! Agreements as data (DESIGN.md, Contract 2): the model, its TOML format, validation, and the
//! in-force rule.
//!
//! Invariant: this crate knows no IO, no incidents and no verdicts. It turns the text of one
//! agreement file into a validated [`Agreement`] (or every error, each naming file, line and
//! field), and answers "who is bound by this agreement, and when?".
//!
//! # The in-force rule
//!
//! Each party's position is a timeline of dated entries (`proposed`, `accepted`,
//! `accepted_conditionally`, `rejected`, `declared`, `expired`). A position takes effect at its
//! `at` instant if given, otherwise at 00:00 of its `date` in the agreement's `time_zone`. A
//! party's state at instant `t` is its latest position taking effect at or before `t`.
//!
//! - Bilateral agreements (kinds `general`, `partial`, `maritime`): in force at `t` when `t` lies
//!   in a window and **every** listed party's state is `accepted` (or `declared`). A conditional
//!   acceptance is not an acceptance; `expired` or `rejected` by any party ends it. While in force
//!   it binds every listed party.
//! - Unilateral truces (`unilateral_truce`): in force at `t` when `t` lies in a window and some
//!   party's state is `declared`. It binds each party whose state is `declared` or `accepted`, or
//!   `accepted_conditionally` with `mirror = true` (a party that says it will mirror the truce is
//!   bound from the moment it says so). Mediators (`mediators`) are never bound.

mod parse;
mod set;

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate};
pub use truce_model::{About, Party, Target};

pub use parse::{SubKinds, parse_agreement, parse_agreement_with};
pub use set::{AgreementSet, SetError};

/// What an agreement covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    General,
    Partial,
    Maritime,
    UnilateralTruce,
}

impl Kind {
    pub const ALL: &'static [Kind] = &[
        Kind::General,
        Kind::Partial,
        Kind::Maritime,
        Kind::UnilateralTruce,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::General => "general",
            Kind::Partial => "partial",
            Kind::Maritime => "maritime",
            Kind::UnilateralTruce => "unilateral_truce",
        }
    }
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A party's position on an agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PositionKind {
    Proposed,
    Accepted,
    AcceptedConditionally,
    Rejected,
    Declared,
    Expired,
}

impl PositionKind {
    pub const ALL: &'static [PositionKind] = &[
        PositionKind::Proposed,
        PositionKind::Accepted,
        PositionKind::AcceptedConditionally,
        PositionKind::Rejected,
        PositionKind::Declared,
        PositionKind::Expired,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            PositionKind::Proposed => "proposed",
            PositionKind::Accepted => "accepted",
            PositionKind::AcceptedConditionally => "accepted_conditionally",
            PositionKind::Rejected => "rejected",
            PositionKind::Declared => "declared",
            PositionKind::Expired => "expired",
        }
    }
    pub fn parse(s: &str) -> Option<PositionKind> {
        PositionKind::ALL.iter().copied().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for PositionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One dated entry of a party's position timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub party: Party,
    pub kind: PositionKind,
    pub date: NaiveDate,
    /// When the position takes effect: the file's `at`, or 00:00 of `date` in the agreement's
    /// time zone.
    pub at: DateTime<FixedOffset>,
    /// Conditions attached (required for `accepted_conditionally`).
    pub conditions: Vec<String>,
    /// The party says it will mirror a unilateral truce (binds it from `at`).
    pub mirror: bool,
    /// Who said what, in the file's words.
    pub statement: String,
    /// Outlet and date of the supporting report.
    pub source: String,
}

/// A half-open interval of Unix seconds `[start, end)`; `end == i64::MAX` is open-ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Interval {
    pub start: i64,
    pub end: i64,
}

impl Interval {
    pub fn contains(&self, t: i64) -> bool {
        self.start <= t && t < self.end
    }
}

/// The agreement's window: `[start, end)`, open-ended when `end` is `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub start: DateTime<FixedOffset>,
    pub end: Option<DateTime<FixedOffset>>,
}

impl Window {
    pub fn interval(&self) -> Interval {
        Interval {
            start: self.start.timestamp(),
            end: self.end.map_or(i64::MAX, |e| e.timestamp()),
        }
    }
}

/// Which countries an agreement covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Countries {
    All,
    /// ISO 3166-1 alpha-2 codes, sorted.
    Only(Vec<String>),
}

/// Where an agreement applies. `admin1` empty means every region of the listed countries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Geography {
    pub countries: Countries,
    pub admin1: Vec<String>,
    pub note: Option<String>,
}

/// Whether a place lies in an agreement's area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AreaMatch {
    Inside,
    Outside,
    /// The place is not known precisely enough to tell.
    Unknown,
}

impl Geography {
    pub fn is_everywhere(&self) -> bool {
        self.countries == Countries::All && self.admin1.is_empty()
    }

    /// Is a place (country code, region) inside the area?
    pub fn matches(&self, country: Option<&str>, admin1: Option<&str>) -> AreaMatch {
        if self.is_everywhere() {
            return AreaMatch::Inside;
        }
        if let Countries::Only(list) = &self.countries {
            match country {
                None => return AreaMatch::Unknown,
                Some(c) => {
                    if !list.iter().any(|x| x.eq_ignore_ascii_case(c)) {
                        return AreaMatch::Outside;
                    }
                }
            }
        }
        if self.admin1.is_empty() {
            return AreaMatch::Inside;
        }
        match admin1 {
            None => AreaMatch::Unknown,
            Some(a) if self.admin1.iter().any(|x| x.eq_ignore_ascii_case(a)) => AreaMatch::Inside,
            Some(_) => AreaMatch::Outside,
        }
    }
}

/// Protected target categories, with the sub-kinds the agreement's text names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Protected {
    /// Sorted, without `unknown`.
    pub targets: Vec<Target>,
    pub sub_kinds: BTreeMap<Target, Vec<String>>,
}

impl Protected {
    pub fn protects(&self, t: Target) -> bool {
        t != Target::Unknown && self.targets.contains(&t)
    }
    /// Every category except `unknown` is protected (a general ceasefire or a full truce).
    pub fn is_all(&self) -> bool {
        Target::ALL
            .iter()
            .all(|&t| t == Target::Unknown || self.targets.contains(&t))
    }
}

/// A validated agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    pub id: String,
    pub title: String,
    pub kind: Kind,
    /// The statement topic that refers to this agreement (links `commit`, `deny`... statements).
    pub about: About,
    /// The parties the agreement would bind (the belligerents), sorted.
    pub parties: Vec<Party>,
    /// Parties that propose or broker it, never bound, sorted.
    pub mediators: Vec<Party>,
    /// The agreement's own time zone: day-precision dates are read in it.
    pub time_zone: FixedOffset,
    /// Sorted by start, non-overlapping.
    pub windows: Vec<Window>,
    pub protected: Protected,
    pub geography: Geography,
    /// Free-text conditions per party.
    pub conditions: BTreeMap<Party, Vec<String>>,
    /// Sorted by (`at`, file order).
    pub positions: Vec<Position>,
    pub notes: Option<String>,
    /// The file it was read from.
    pub file: String,
    /// Derived: per party, the intervals during which it is bound (in force and binding it).
    bound: Vec<(Party, Vec<Interval>)>,
    /// Derived: the intervals during which the agreement is in force.
    in_force: Vec<Interval>,
}

/// Where an agreement stands as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// It never came into force (some party never accepted, or nobody declared).
    NeverInForce,
    /// In force at the instant asked about.
    InForce,
    /// Was in force before the instant asked about, no longer.
    Lapsed,
    /// Will be in force after the instant asked about.
    Pending,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NeverInForce => "never_in_force",
            Status::InForce => "in_force",
            Status::Lapsed => "lapsed",
            Status::Pending => "pending",
        }
    }
}

fn binds_in_state(kind: Kind, p: &Position) -> bool {
    match p.kind {
        PositionKind::Accepted | PositionKind::Declared => true,
        PositionKind::AcceptedConditionally => kind == Kind::UnilateralTruce && p.mirror,
        _ => false,
    }
}

/// Intersect two sorted lists of disjoint intervals.
pub fn intersect(a: &[Interval], b: &[Interval]) -> Vec<Interval> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let s = a[i].start.max(b[j].start);
        let e = a[i].end.min(b[j].end);
        if s < e {
            out.push(Interval { start: s, end: e });
        }
        if a[i].end < b[j].end {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// Sort and merge touching or overlapping intervals.
pub fn normalize(mut v: Vec<Interval>) -> Vec<Interval> {
    v.retain(|i| i.start < i.end);
    v.sort();
    let mut out: Vec<Interval> = Vec::with_capacity(v.len());
    for i in v {
        match out.last_mut() {
            Some(last) if i.start <= last.end => last.end = last.end.max(i.end),
            _ => out.push(i),
        }
    }
    out
}

/// How an interval relates to a set of intervals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlap {
    /// No instant in common.
    Disjoint,
    /// Entirely inside.
    Inside,
    /// Partly inside.
    Partial,
}

/// How `[start, end)` relates to a sorted list of disjoint intervals.
pub fn overlap(set: &[Interval], start: i64, end: i64) -> Overlap {
    let mut covered: i64 = 0;
    let mut any = false;
    for iv in set {
        if iv.start >= end {
            break;
        }
        let s = iv.start.max(start);
        let e = iv.end.min(end);
        if s < e {
            any = true;
            covered = covered.saturating_add(e - s);
        }
    }
    if !any {
        Overlap::Disjoint
    } else if covered >= end - start {
        Overlap::Inside
    } else {
        Overlap::Partial
    }
}

impl Agreement {
    /// Computes the derived intervals. Called by the parser once fields are validated.
    fn finish(mut self) -> Agreement {
        let windows: Vec<Interval> = normalize(self.windows.iter().map(|w| w.interval()).collect());
        let mut breaks: Vec<i64> = self.positions.iter().map(|p| p.at.timestamp()).collect();
        breaks.sort_unstable();
        breaks.dedup();
        let state = |party: Party, t: i64| -> Option<&Position> {
            self.positions
                .iter()
                .rev()
                .find(|p| p.party == party && p.at.timestamp() <= t)
        };
        let segments = |pred: &dyn Fn(i64) -> bool| -> Vec<Interval> {
            let mut v = Vec::new();
            for (k, &b) in breaks.iter().enumerate() {
                let end = breaks.get(k + 1).copied().unwrap_or(i64::MAX);
                if pred(b) {
                    v.push(Interval { start: b, end });
                }
            }
            intersect(&normalize(v), &windows)
        };
        let mut bound = Vec::new();
        let in_force;
        if self.kind == Kind::UnilateralTruce {
            let declared = |t: i64| {
                self.parties
                    .iter()
                    .any(|&p| state(p, t).is_some_and(|s| s.kind == PositionKind::Declared))
            };
            for &party in &self.parties {
                let iv = segments(&|t| {
                    declared(t) && state(party, t).is_some_and(|s| binds_in_state(self.kind, s))
                });
                bound.push((party, iv));
            }
            in_force = segments(&declared);
        } else {
            let all = |t: i64| {
                !self.parties.is_empty()
                    && self
                        .parties
                        .iter()
                        .all(|&p| state(p, t).is_some_and(|s| binds_in_state(self.kind, s)))
            };
            in_force = segments(&all);
            for &party in &self.parties {
                bound.push((party, in_force.clone()));
            }
        }
        self.bound = bound;
        self.in_force = in_force;
        self
    }

    /// The window as sorted, disjoint intervals.
    pub fn window_intervals(&self) -> Vec<Interval> {
        normalize(self.windows.iter().map(|w| w.interval()).collect())
    }

    /// When the agreement is in force (sorted, disjoint).
    pub fn in_force_intervals(&self) -> &[Interval] {
        &self.in_force
    }

    /// When `party` is bound by it (sorted, disjoint; empty if never).
    pub fn bound_intervals(&self, party: Party) -> &[Interval] {
        self.bound
            .iter()
            .find(|(p, _)| *p == party)
            .map_or(&[], |(_, v)| v.as_slice())
    }

    pub fn ever_in_force(&self) -> bool {
        !self.in_force.is_empty()
    }

    pub fn in_force_at(&self, t: DateTime<FixedOffset>) -> bool {
        let t = t.timestamp();
        self.in_force.iter().any(|i| i.contains(t))
    }

    /// Is `party` bound at `t`?
    pub fn binds(&self, party: Party, t: DateTime<FixedOffset>) -> bool {
        let t = t.timestamp();
        self.bound_intervals(party).iter().any(|i| i.contains(t))
    }

    /// Parties bound at some time.
    pub fn bound_parties(&self) -> Vec<Party> {
        self.bound
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(p, _)| *p)
            .collect()
    }

    pub fn status_at(&self, t: DateTime<FixedOffset>) -> Status {
        let t = t.timestamp();
        if self.in_force.is_empty() {
            Status::NeverInForce
        } else if self.in_force.iter().any(|i| i.contains(t)) {
            Status::InForce
        } else if self.in_force.iter().any(|i| i.end <= t) {
            Status::Lapsed
        } else {
            Status::Pending
        }
    }

    /// A party's positions in order.
    pub fn positions_of(&self, party: Party) -> impl Iterator<Item = &Position> {
        self.positions.iter().filter(move |p| p.party == party)
    }

    /// Formats a Unix instant in the agreement's time zone (RFC 3339).
    pub fn format_instant(&self, t: i64) -> String {
        if t == i64::MAX {
            return "open".to_string();
        }
        match DateTime::from_timestamp(t, 0) {
            Some(d) => d.with_timezone(&self.time_zone).to_rfc3339(),
            None => t.to_string(),
        }
    }
}

/// One problem in an agreement file: where it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {field}: {message}")]
pub struct AgreementError {
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// Dotted path of the field (`windows[1].end`), or `(file)` for the whole file.
    pub field: String,
    pub message: String,
}
