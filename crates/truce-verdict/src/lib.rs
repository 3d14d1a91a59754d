//! Verdicts: checks merged events against agreements written as data, tracks the parties'
//! commitments, and counts compliance per agreement and party.
//!
//! Invariant: this crate knows no IO, no text and no wire format. [`judge`] is a pure function of
//! its inputs (agreements, events, statements with their sources, analyst reviews): the same
//! inputs, in any order, give the same [`Judgement`].
//!
//! # API
//!
//! ```text
//! judge(&AgreementSet, &[Event], &[SourcedStatement], &[Review]) -> Judgement
//! Judgement { engine, events: Vec<EventId> (by date, id), verdicts: Vec<Verdict> (per event,
//!             one per agreement in set order), commitments: Vec<Commitment>,
//!             compliance: Vec<Compliance> (per agreement, per side RU/UA/unknown) }
//! Judgement::verdicts_of(EventId) -> &[Verdict]
//! Verdict { event_id, agreement (index in the set), verdict, strength, reason }
//! Verdict::rule() -> "window.outside" ...; Reason::explain(&Agreement, &Event) -> String
//! in_window(&Agreement, &Event) -> Option<bool>
//! ```
//!
//! The evidence of a verdict is its event's sources' sentences ([`Event::evidence`]).
//!
//! # Rules
//!
//! For each (event, agreement) pair the rules below run in order. The first rule that finds the
//! agreement *not applicable* decides; otherwise the first rule that cannot tell decides
//! `indeterminate`; otherwise the verdict is `violation_alleged`. Each verdict names its rule
//! ([`Reason::rule`]).
//!
//! 1. `review.duplicate`: an analyst marked the event a duplicate — not applicable.
//! 2. `agreement.never_in_force`: the agreement was never in force (a bound party never accepted).
//! 3. `window.outside` / `window.date_unknown` / `window.straddles`: the event's time span (its
//!    dates, read as whole days in the agreement's time zone; a month for month precision) lies
//!    outside the window, is unknown, or straddles a boundary (a day-precision date across an
//!    18:00 start).
//! 4. `area.outside` / `area.unknown`: the place is outside the agreement's geography, or not
//!    known precisely enough.
//! 5. `target.not_protected` / `target.unknown`: no target is protected, or none is known.
//! 6. `party.not_bound` / `perpetrator.unknown`: the perpetrator is never bound by the agreement,
//!    or is unknown (indeterminate unless the agreement bound nobody at that time).
//! 7. `in_force.not_at_time` / `in_force.straddles`: the perpetrator was not bound at the event's
//!    time (e.g. before the other party accepted), or only for part of it.
//! 8. `violation.protected_target_struck`: otherwise, a violation is alleged.
//!
//! **Strength** (for `violation_alleged` and `indeterminate`), strongest evidence first: an
//! analyst's `dispute` gives `contested`; an analyst's `verify` gives `analyst_reviewed`; a denial
//! by the accused party (a `deny` statement by the perpetrator's party from a document that reports
//! the event, or dated within two days after it and naming its place or region) gives `contested`;
//! two or more independent voices give `corroborated`; otherwise `one_party_claim`.
//!
//! **Commitments**: each `commit` statement (deduplicated by party, topic, day and speaker) is
//! linked to the agreement with the same `about` and tracked from its day (or the window's start,
//! if later) to the window's end, whether or not the agreement came into force: `alleged_broken`
//! with the events wholly inside that period where the committing party's forces struck a target
//! the agreement protects, inside its area; `contested` when every such event is denied by the
//! party or disputed by an analyst; `kept_so_far` when there are none; `not_tracked` when no
//! agreement has that topic. Events with unknown dates, places or targets are not counted.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use truce_agreements::{Agreement, AgreementSet, AreaMatch, Interval, Overlap, overlap};
use truce_events::{Event, EventId, Source};
use truce_model::{About, Act, DatePrecision, Party, Side, Statement, Target};

/// The engine's version, named by every verdict. Bump the rules number when a rule changes.
pub const ENGINE_VERSION: &str = concat!("truce-verdict/", env!("CARGO_PKG_VERSION"), "+rules.1");

/// A coded statement with the document it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcedStatement {
    pub statement: Statement,
    pub source: Source,
}

impl SourcedStatement {
    /// The statement's day, or its document's publication day.
    pub fn day(&self) -> Option<NaiveDate> {
        self.statement.date.or(self.source.published)
    }
}

/// What an analyst says about an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReviewAction {
    Verify,
    Dispute,
    Duplicate,
}

impl ReviewAction {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewAction::Verify => "verify",
            ReviewAction::Dispute => "dispute",
            ReviewAction::Duplicate => "duplicate",
        }
    }
    pub fn parse(s: &str) -> Option<ReviewAction> {
        match s {
            "verify" => Some(ReviewAction::Verify),
            "dispute" => Some(ReviewAction::Dispute),
            "duplicate" => Some(ReviewAction::Duplicate),
            _ => None,
        }
    }
}

/// An analyst's review of an event.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Review {
    pub event_id: EventId,
    pub action: ReviewAction,
    pub author: String,
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum VerdictKind {
    NotApplicable,
    Indeterminate,
    ViolationAlleged,
}

impl VerdictKind {
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictKind::NotApplicable => "not_applicable",
            VerdictKind::Indeterminate => "indeterminate",
            VerdictKind::ViolationAlleged => "violation_alleged",
        }
    }
}

/// How well an allegation is supported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Strength {
    /// One voice (a party, or one outlet's own reporting) asserts it.
    OnePartyClaim,
    /// Two or more independent voices assert it.
    Corroborated,
    /// The accused party denies it, or an analyst disputes it.
    Contested,
    /// An analyst verified it.
    AnalystReviewed,
}

impl Strength {
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::OnePartyClaim => "one_party_claim",
            Strength::Corroborated => "corroborated",
            Strength::Contested => "contested",
            Strength::AnalystReviewed => "analyst_reviewed",
        }
    }
}

/// Why a verdict was reached: the deciding rule and what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    Duplicate,
    NeverInForce,
    OutsideWindow { before: bool },
    DateUnknown,
    StraddlesWindow,
    OutOfArea,
    AreaUnknown,
    TargetNotProtected,
    TargetUnknown,
    PartyNotBound(Party),
    PerpetratorUnknown,
    NotInForce,
    NotInForceAtTime(Party),
    StraddlesInForce(Party),
    ProtectedTargetStruck(Party),
}

impl Reason {
    /// The rule's name.
    pub fn rule(self) -> &'static str {
        match self {
            Reason::Duplicate => "review.duplicate",
            Reason::NeverInForce => "agreement.never_in_force",
            Reason::OutsideWindow { .. } => "window.outside",
            Reason::DateUnknown => "window.date_unknown",
            Reason::StraddlesWindow => "window.straddles",
            Reason::OutOfArea => "area.outside",
            Reason::AreaUnknown => "area.unknown",
            Reason::TargetNotProtected => "target.not_protected",
            Reason::TargetUnknown => "target.unknown",
            Reason::PartyNotBound(_) => "party.not_bound",
            Reason::PerpetratorUnknown => "perpetrator.unknown",
            Reason::NotInForce => "in_force.not_at_time",
            Reason::NotInForceAtTime(_) => "in_force.not_at_time",
            Reason::StraddlesInForce(_) => "in_force.straddles",
            Reason::ProtectedTargetStruck(_) => "violation.protected_target_struck",
        }
    }

    /// A sentence explaining the reason, for this agreement and event.
    pub fn explain(self, a: &Agreement, e: &Event) -> String {
        let window = a
            .window_intervals()
            .iter()
            .map(|w| {
                format!(
                    "{} to {}",
                    a.format_instant(w.start),
                    a.format_instant(w.end)
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let when = match e.date_range {
            Some((lo, hi)) if lo == hi => lo.to_string(),
            Some((lo, hi)) => format!("{lo}..{hi}"),
            None => "unknown".to_string(),
        };
        let targets = e
            .targets
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let protected = a
            .protected
            .targets
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        match self {
            Reason::Duplicate => "an analyst marked the event a duplicate".to_string(),
            Reason::NeverInForce => {
                let missing: Vec<String> = a
                    .parties
                    .iter()
                    .filter(|&&p| {
                        !a.positions_of(p).any(|x| {
                            matches!(
                                x.kind,
                                truce_agreements::PositionKind::Accepted
                                    | truce_agreements::PositionKind::Declared
                            )
                        })
                    })
                    .map(|p| p.as_str().to_string())
                    .collect();
                if missing.is_empty() {
                    format!("{} was never in force", a.id)
                } else {
                    format!(
                        "{} was never in force: {} never accepted it unconditionally",
                        a.id,
                        missing.join(", ")
                    )
                }
            }
            Reason::OutsideWindow { before: true } => {
                format!("the event ({when}) predates the window ({window})")
            }
            Reason::OutsideWindow { before: false } => {
                format!("the event ({when}) is after the window ({window})")
            }
            Reason::DateUnknown => "the event's date is unknown".to_string(),
            Reason::StraddlesWindow => format!(
                "the event's date ({when}, {} precision) straddles a window boundary ({window}, time zone {})",
                e.date_precision.as_str(),
                a.time_zone
            ),
            Reason::OutOfArea => format!(
                "the event ({}) is outside the agreement's area",
                place_of(e)
            ),
            Reason::AreaUnknown => format!(
                "the event's place ({}) is not known precisely enough for the agreement's area",
                place_of(e)
            ),
            Reason::TargetNotProtected => {
                format!(
                    "the event's targets ({targets}) are not protected (protected: {protected})"
                )
            }
            Reason::TargetUnknown => "the event's target is unknown".to_string(),
            Reason::PartyNotBound(p) => format!("{p} is not bound by {}", a.id),
            Reason::PerpetratorUnknown => "the perpetrator is unknown".to_string(),
            Reason::NotInForce => {
                format!("{} was not in force at the event's time ({when})", a.id)
            }
            Reason::NotInForceAtTime(p) => {
                format!("{} did not bind {p} at the event's time ({when})", a.id)
            }
            Reason::StraddlesInForce(p) => format!(
                "{} bound {p} for only part of the event's date ({when})",
                a.id
            ),
            Reason::ProtectedTargetStruck(p) => format!(
                "{p} forces reportedly struck a protected target ({targets}) while {} bound {p}",
                a.id
            ),
        }
    }
}

fn place_of(e: &Event) -> String {
    let parts: Vec<&str> = [
        e.place.as_deref(),
        e.admin1.as_deref(),
        e.country.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() {
        "unknown".to_string()
    } else {
        parts.join(", ")
    }
}

/// The verdict on one (event, agreement) pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Verdict {
    pub event_id: EventId,
    /// Index of the agreement in the [`AgreementSet`] (sets are sorted by id).
    pub agreement: u32,
    pub verdict: VerdictKind,
    /// For `violation_alleged` and `indeterminate`; `None` for `not_applicable`.
    pub strength: Option<Strength>,
    pub reason: Reason,
}

impl Verdict {
    pub fn agreement<'a>(&self, set: &'a AgreementSet) -> Option<&'a Agreement> {
        set.as_slice().get(self.agreement as usize)
    }
    pub fn rule(&self) -> &'static str {
        self.reason.rule()
    }
}

/// Where a commitment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CommitmentStatus {
    KeptSoFar,
    AllegedBroken,
    Contested,
    NotTracked,
}

impl CommitmentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CommitmentStatus::KeptSoFar => "kept_so_far",
            CommitmentStatus::AllegedBroken => "alleged_broken",
            CommitmentStatus::Contested => "contested",
            CommitmentStatus::NotTracked => "not_tracked",
        }
    }
}

/// Who made a commitment, where it is reported.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CommitmentSource {
    pub document_id: String,
    pub outlet: String,
    pub evidence: String,
}

/// A party's promise (`commit` statement) tracked against its forces' reported actions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commitment {
    pub party: Party,
    pub speaker: String,
    pub about: About,
    /// The day it was made (statement date, else publication date).
    pub date: Option<NaiveDate>,
    /// The linked agreement's id.
    pub agreement: Option<String>,
    pub status: CommitmentStatus,
    /// Events alleged to break it (not denied), sorted.
    pub broken_by: Vec<EventId>,
    /// Events alleged to break it that the party denied, sorted.
    pub contested_by: Vec<EventId>,
    /// Sorted.
    pub sources: Vec<CommitmentSource>,
}

/// Verdict counts for one agreement and one perpetrator side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub not_applicable: u64,
    pub indeterminate: u64,
    pub violation_alleged: u64,
    /// Violations by strength.
    pub one_party_claim: u64,
    pub corroborated: u64,
    pub contested: u64,
    pub analyst_reviewed: u64,
}

impl Counts {
    fn count(&mut self, verdict: VerdictKind, strength: Strength) {
        match verdict {
            VerdictKind::NotApplicable => self.not_applicable += 1,
            VerdictKind::Indeterminate => self.indeterminate += 1,
            VerdictKind::ViolationAlleged => {
                self.violation_alleged += 1;
                match strength {
                    Strength::OnePartyClaim => self.one_party_claim += 1,
                    Strength::Corroborated => self.corroborated += 1,
                    Strength::Contested => self.contested += 1,
                    Strength::AnalystReviewed => self.analyst_reviewed += 1,
                }
            }
        }
    }
}

/// Compliance of one side with one agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compliance {
    pub agreement: String,
    /// The perpetrator side (`unknown` counts events without one).
    pub party: Side,
    pub counts: Counts,
}

/// Everything [`judge`] decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    pub engine: &'static str,
    /// Event ids in the order verdicts are listed: by (date, id).
    pub events: Vec<EventId>,
    /// For each event in `events` order, one verdict per agreement in set order.
    pub verdicts: Vec<Verdict>,
    pub commitments: Vec<Commitment>,
    /// Per agreement (set order), per side (RU, UA, unknown).
    pub compliance: Vec<Compliance>,
    /// (event id, position in `events`), sorted by id.
    by_id: Vec<(EventId, u32)>,
    agreements: usize,
}

impl Judgement {
    /// The verdicts on one event (one per agreement), if the event was judged.
    pub fn verdicts_of(&self, id: EventId) -> &[Verdict] {
        let n = self.agreements;
        match self.by_id.binary_search_by_key(&id, |&(e, _)| e) {
            Ok(i) => {
                let k = self.by_id[i].1 as usize;
                self.verdicts.get(k * n..(k + 1) * n).unwrap_or(&[])
            }
            Err(_) => &[],
        }
    }
}

/// Per-agreement values computed once.
struct Prepared<'a> {
    a: &'a Agreement,
    tz: i64,
    windows: Vec<Interval>,
    in_force: Vec<Interval>,
    bound_ru: Vec<Interval>,
    bound_ua: Vec<Interval>,
    protected: u8,
    /// Countries as upper-case ASCII pairs; `None` for all countries.
    countries: Option<Vec<[u8; 2]>>,
}

fn country_code(c: &str) -> Option<[u8; 2]> {
    match c.as_bytes() {
        [a, b] => Some([a.to_ascii_uppercase(), b.to_ascii_uppercase()]),
        _ => None,
    }
}

fn target_bit(t: Target) -> u8 {
    match t {
        Target::Energy => 1,
        Target::Civilian => 2,
        Target::Military => 4,
        Target::Transport => 8,
        Target::Industrial => 16,
        Target::Government => 32,
        Target::Unknown => 0,
    }
}

impl<'a> Prepared<'a> {
    fn new(a: &'a Agreement) -> Prepared<'a> {
        Prepared {
            a,
            tz: i64::from(a.time_zone.local_minus_utc()),
            windows: a.window_intervals(),
            in_force: a.in_force_intervals().to_vec(),
            bound_ru: a.bound_intervals(Party::Ru).to_vec(),
            bound_ua: a.bound_intervals(Party::Ua).to_vec(),
            protected: a
                .protected
                .targets
                .iter()
                .fold(0, |m, &t| m | target_bit(t)),
            countries: match &a.geography.countries {
                truce_agreements::Countries::All => None,
                truce_agreements::Countries::Only(v) => {
                    Some(v.iter().filter_map(|c| country_code(c)).collect())
                }
            },
        }
    }

    /// Is the event's place inside the area? Same answer as `Geography::matches`, faster.
    fn area(&self, e: &Event, country: Option<[u8; 2]>) -> AreaMatch {
        match (&self.countries, self.a.geography.admin1.is_empty()) {
            (None, true) => AreaMatch::Inside,
            (Some(list), true) => match (country, &e.country) {
                (Some(c), _) if list.contains(&c) => AreaMatch::Inside,
                (_, None) => AreaMatch::Unknown,
                _ => AreaMatch::Outside,
            },
            _ => self
                .a
                .geography
                .matches(e.country.as_deref(), e.admin1.as_deref()),
        }
    }

    fn bound(&self, p: Party) -> &[Interval] {
        match p {
            Party::Ru => &self.bound_ru,
            Party::Ua => &self.bound_ua,
            _ => self.a.bound_intervals(p),
        }
    }
}

/// Per-event values computed once.
struct Facts {
    /// Days since 1970-01-01 of the first day and the day after the last, local.
    days: Option<(i64, i64)>,
    targets: u8,
    any_target_known: bool,
    strength: Strength,
    duplicate: bool,
    country: Option<[u8; 2]>,
    perpetrator: Side,
}

const UNIX_EPOCH_DAYS_FROM_CE: i64 = 719_163;

fn days(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce()) - UNIX_EPOCH_DAYS_FROM_CE
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn next_month_start(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(d)
}

fn event_days(e: &Event) -> Option<(i64, i64)> {
    let (lo, hi) = e.date_range?;
    match e.date_precision {
        DatePrecision::Day => Some((days(lo), days(hi) + 1)),
        DatePrecision::Month => Some((days(month_start(lo)), days(next_month_start(hi)))),
        DatePrecision::Unknown => None,
    }
}

/// Denials (`deny` statements), indexed by document and by (party, day).
struct Denials<'s> {
    /// (document id, index into `all`), sorted.
    by_doc: Vec<(&'s str, usize)>,
    /// (party, day, index into `all`), sorted.
    by_day: Vec<(Party, NaiveDate, usize)>,
    all: Vec<(&'s SourcedStatement, String)>,
}

/// Days after an event within which a denial naming its place refers to it.
const DENIAL_DAYS: i64 = 2;

impl<'s> Denials<'s> {
    fn new(statements: &'s [SourcedStatement]) -> Denials<'s> {
        let all: Vec<(&SourcedStatement, String)> = statements
            .iter()
            .filter(|s| s.statement.act == Act::Deny)
            .map(|s| (s, s.statement.evidence.text.to_lowercase()))
            .collect();
        let mut by_doc: Vec<(&str, usize)> = all
            .iter()
            .enumerate()
            .map(|(k, (s, _))| (s.source.document_id.as_str(), k))
            .collect();
        by_doc.sort_unstable();
        let mut by_day: Vec<(Party, NaiveDate, usize)> = all
            .iter()
            .enumerate()
            .filter_map(|(k, (s, _))| s.day().map(|d| (s.statement.party, d, k)))
            .collect();
        by_day.sort_unstable();
        Denials {
            by_doc,
            by_day,
            all,
        }
    }

    /// Does the event's perpetrator deny it? A denial refers to the event when it comes from a
    /// document that reports the event, or is dated from the event's first day to two days after
    /// its last and names its place or region.
    fn denied(&self, e: &Event) -> bool {
        if self.all.is_empty() {
            return false;
        }
        let Some(party) = e.perpetrator.party() else {
            return false;
        };
        for src in &e.sources {
            let doc = src.document_id.as_str();
            let start = self.by_doc.partition_point(|(d, _)| *d < doc);
            if self.by_doc[start..]
                .iter()
                .take_while(|(d, _)| *d == doc)
                .any(|&(_, k)| self.all[k].0.statement.party == party)
            {
                return true;
            }
        }
        let Some((lo, hi)) = e.date_range else {
            return false;
        };
        let last = hi + chrono::Days::new(DENIAL_DAYS as u64);
        let start = self
            .by_day
            .partition_point(|&(p, d, _)| (p, d) < (party, lo));
        let mut candidates = self.by_day[start..]
            .iter()
            .take_while(|&&(p, d, _)| p == party && d <= last)
            .peekable();
        if candidates.peek().is_none() {
            return false;
        }
        // Denial texts are lower-cased once; names here, once per event with candidates.
        let names: Vec<String> = [e.place.as_deref(), e.admin1.as_deref()]
            .into_iter()
            .flatten()
            .map(|n| n.trim().to_lowercase())
            .filter(|n| !n.is_empty())
            .collect();
        candidates.any(|&(_, _, k)| names.iter().any(|n| self.all[k].1.contains(n.as_str())))
    }
}

fn facts(e: &Event, denials: &Denials<'_>, reviews: &[Review]) -> Facts {
    let mut targets = 0u8;
    for &t in &e.targets {
        targets |= target_bit(t);
    }
    let (mut verify, mut dispute, mut duplicate) = (false, false, false);
    // Reviews are sorted by event id: find this event's range.
    let start = reviews.partition_point(|r| r.event_id < e.id);
    for r in reviews[start..].iter().take_while(|r| r.event_id == e.id) {
        match r.action {
            ReviewAction::Verify => verify = true,
            ReviewAction::Dispute => dispute = true,
            ReviewAction::Duplicate => duplicate = true,
        }
    }
    let strength = if dispute {
        Strength::Contested
    } else if verify {
        Strength::AnalystReviewed
    } else if denials.denied(e) {
        Strength::Contested
    } else if e.independent_sources() >= 2 {
        Strength::Corroborated
    } else {
        Strength::OnePartyClaim
    };
    Facts {
        days: event_days(e),
        targets,
        any_target_known: targets != 0,
        strength,
        duplicate,
        country: e.country.as_deref().and_then(country_code),
        perpetrator: e.perpetrator,
    }
}

/// Does the event's time span (whole days in the agreement's time zone) meet the agreement's
/// window? `None` when the event's date is unknown.
pub fn in_window(a: &Agreement, e: &Event) -> Option<bool> {
    let (lo, hi) = event_days(e)?;
    let tz = i64::from(a.time_zone.local_minus_utc());
    let (s, t) = (lo * 86_400 - tz, hi * 86_400 - tz);
    Some(overlap(&a.window_intervals(), s, t) != Overlap::Disjoint)
}

/// Decides one pair. Returns (verdict, reason).
fn decide(p: &Prepared<'_>, e: &Event, f: &Facts) -> (VerdictKind, Reason) {
    use VerdictKind::*;
    if f.duplicate {
        return (NotApplicable, Reason::Duplicate);
    }
    if p.in_force.is_empty() {
        return (NotApplicable, Reason::NeverInForce);
    }
    let mut pending: Option<Reason> = None;
    let mut note = |r: Reason| {
        if pending.is_none() {
            pending = Some(r);
        }
    };

    // Window.
    let span = f
        .days
        .map(|(lo, hi)| (lo * 86_400 - p.tz, hi * 86_400 - p.tz));
    match span {
        None => note(Reason::DateUnknown),
        Some((s, t)) => match overlap(&p.windows, s, t) {
            Overlap::Disjoint => {
                let before = p.windows.first().is_some_and(|w| t <= w.start);
                return (NotApplicable, Reason::OutsideWindow { before });
            }
            Overlap::Partial => note(Reason::StraddlesWindow),
            Overlap::Inside => {}
        },
    }

    // Area.
    match p.area(e, f.country) {
        AreaMatch::Outside => return (NotApplicable, Reason::OutOfArea),
        AreaMatch::Unknown => note(Reason::AreaUnknown),
        AreaMatch::Inside => {}
    }

    // Targets.
    if f.targets & p.protected == 0 {
        if f.any_target_known {
            return (NotApplicable, Reason::TargetNotProtected);
        }
        note(Reason::TargetUnknown);
    }

    // Perpetrator and the in-force rule.
    match f.perpetrator.party() {
        Some(party) => {
            let bound = p.bound(party);
            if bound.is_empty() {
                return (NotApplicable, Reason::PartyNotBound(party));
            }
            if let Some((s, t)) = span {
                match overlap(bound, s, t) {
                    Overlap::Disjoint => {
                        return (NotApplicable, Reason::NotInForceAtTime(party));
                    }
                    Overlap::Partial => note(Reason::StraddlesInForce(party)),
                    Overlap::Inside => {}
                }
            }
            match pending {
                Some(r) => (Indeterminate, r),
                None => (ViolationAlleged, Reason::ProtectedTargetStruck(party)),
            }
        }
        None => {
            if let Some((s, t)) = span
                && overlap(&p.in_force, s, t) == Overlap::Disjoint
            {
                return (NotApplicable, Reason::NotInForce);
            }
            (Indeterminate, pending.unwrap_or(Reason::PerpetratorUnknown))
        }
    }
}

/// Judges the events at `order` (indices into `events`) against every agreement.
fn judge_chunk(
    prepared: &[Prepared<'_>],
    events: &[Event],
    all_facts: &[Facts],
    order: &[usize],
) -> (Vec<Verdict>, Vec<[Counts; 3]>) {
    let mut verdicts = Vec::with_capacity(order.len() * prepared.len());
    let mut counts = vec![[Counts::default(); 3]; prepared.len()];
    for &i in order {
        let (e, f) = (&events[i], &all_facts[i]);
        let side = match f.perpetrator {
            Side::Ru => 0,
            Side::Ua => 1,
            Side::Unknown => 2,
        };
        for (k, p) in prepared.iter().enumerate() {
            let (verdict, reason) = decide(p, e, f);
            let strength = (verdict != VerdictKind::NotApplicable).then_some(f.strength);
            counts[k][side].count(verdict, f.strength);
            verdicts.push(Verdict {
                event_id: e.id,
                agreement: k as u32,
                verdict,
                strength,
                reason,
            });
        }
    }
    (verdicts, counts)
}

/// Judges every event against every agreement, tracks commitments and counts compliance.
///
/// Pure and deterministic: events are listed by (date, id), agreements in set (id) order;
/// statements and reviews may come in any order.
pub fn judge(
    agreements: &AgreementSet,
    events: &[Event],
    statements: &[SourcedStatement],
    reviews: &[Review],
) -> Judgement {
    let prepared: Vec<Prepared<'_>> = agreements.iter().map(Prepared::new).collect();
    let mut reviews: Vec<Review> = reviews.to_vec();
    reviews.sort();
    let denials = Denials::new(statements);
    // Facts in input order (sequential reads), then compact keys sorted: at 10^6 events the
    // events themselves are touched once, not once per comparison or per agreement.
    let all_facts: Vec<Facts> = events
        .iter()
        .map(|e| facts(e, &denials, &reviews))
        .collect();
    let mut keys: Vec<(bool, Option<NaiveDate>, EventId, u32)> = events
        .iter()
        .enumerate()
        .map(|(k, e)| (e.date.is_none(), e.date, e.id, k as u32))
        .collect();
    keys.sort_unstable();
    keys.dedup_by_key(|k| k.2);
    let order: Vec<usize> = keys.iter().map(|k| k.3 as usize).collect();
    drop(keys);

    // One thread: on a shared machine the second core is rarely free, and splitting doubles the
    // verdicts' memory traffic (measured slower here).
    let (verdicts, counts) = judge_chunk(&prepared, events, &all_facts, &order);

    let mut compliance = Vec::with_capacity(prepared.len() * 3);
    for (k, p) in prepared.iter().enumerate() {
        for (side, c) in [Side::Ru, Side::Ua, Side::Unknown]
            .into_iter()
            .zip(counts[k])
        {
            compliance.push(Compliance {
                agreement: p.a.id.clone(),
                party: side,
                counts: c,
            });
        }
    }

    let ordered: Vec<(&Event, &Facts)> =
        order.iter().map(|&i| (&events[i], &all_facts[i])).collect();
    let commitments = track_commitments(&prepared, &ordered, statements, &denials);
    let ids: Vec<EventId> = order.iter().map(|&i| events[i].id).collect();
    let mut by_id: Vec<(EventId, u32)> = ids
        .iter()
        .enumerate()
        .map(|(k, &id)| (id, k as u32))
        .collect();
    by_id.sort_unstable();
    Judgement {
        engine: ENGINE_VERSION,
        events: ids,
        verdicts,
        commitments,
        compliance,
        by_id,
        agreements: prepared.len(),
    }
}

fn track_commitments(
    prepared: &[Prepared<'_>],
    events: &[(&Event, &Facts)],
    statements: &[SourcedStatement],
    denials: &Denials<'_>,
) -> Vec<Commitment> {
    // Group commit statements by (party, about, day, speaker).
    let mut groups: Vec<Commitment> = Vec::new();
    let mut commits: Vec<&SourcedStatement> = statements
        .iter()
        .filter(|s| s.statement.act == Act::Commit)
        .collect();
    commits.sort_by(|a, b| {
        let key = |s: &SourcedStatement| {
            (
                s.statement.party,
                s.statement.about,
                s.day(),
                s.statement.speaker.to_lowercase(),
                s.source.document_id.clone(),
                s.statement.evidence.text.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    for s in commits {
        let st = &s.statement;
        let day = s.day();
        let src = CommitmentSource {
            document_id: s.source.document_id.clone(),
            outlet: s.source.outlet.clone(),
            evidence: st.evidence.text.clone(),
        };
        if let Some(g) = groups.iter_mut().find(|g| {
            g.party == st.party
                && g.about == st.about
                && g.date == day
                && g.speaker.to_lowercase() == st.speaker.to_lowercase()
        }) {
            if !g.sources.contains(&src) {
                g.sources.push(src);
            }
            continue;
        }
        groups.push(Commitment {
            party: st.party,
            speaker: st.speaker.clone(),
            about: st.about,
            date: day,
            agreement: None,
            status: CommitmentStatus::NotTracked,
            broken_by: Vec::new(),
            contested_by: Vec::new(),
            sources: vec![src],
        });
    }

    for g in &mut groups {
        g.sources.sort();
        // The agreement on this topic whose window holds the day (else the first on the topic).
        let candidates: Vec<&Prepared<'_>> =
            prepared.iter().filter(|p| p.a.about == g.about).collect();
        let chosen = candidates
            .iter()
            .find(|p| {
                g.date.is_some_and(|d| {
                    let t = days(d) * 86_400 - p.tz;
                    p.windows.iter().any(|w| w.start <= t + 86_400 && t < w.end)
                })
            })
            .or(candidates.first());
        let Some(p) = chosen else {
            continue;
        };
        g.agreement = Some(p.a.id.clone());
        let opens = p.windows.first().map_or(i64::MIN, |w| w.start);
        let from = g
            .date
            .map_or(opens, |d| (days(d) * 86_400 - p.tz).max(opens));
        let until = p.windows.last().map_or(i64::MAX, |w| w.end);
        for &(e, f) in events {
            if f.duplicate || e.perpetrator.party() != Some(g.party) {
                continue;
            }
            let Some((lo, hi)) = f.days else { continue };
            let (s, t) = (lo * 86_400 - p.tz, hi * 86_400 - p.tz);
            // Only events wholly inside the tracked period, in the area, on protected targets.
            if s < from || t > until {
                continue;
            }
            if f.targets & p.protected == 0 {
                continue;
            }
            if p.area(e, f.country) != AreaMatch::Inside {
                continue;
            }
            if f.strength == Strength::Contested || denials.denied(e) {
                g.contested_by.push(e.id);
            } else {
                g.broken_by.push(e.id);
            }
        }
        g.broken_by.sort();
        g.contested_by.sort();
        g.status = if !g.broken_by.is_empty() {
            CommitmentStatus::AllegedBroken
        } else if !g.contested_by.is_empty() {
            CommitmentStatus::Contested
        } else {
            CommitmentStatus::KeptSoFar
        };
    }
    groups
}

impl fmt::Display for VerdictKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Strength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
