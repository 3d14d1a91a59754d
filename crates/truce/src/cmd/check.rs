//! `truce check --agreements DIR PATH... [--format table|json] [--published YYYY-MM-DD]`: codes
//! the texts, merges their incidents into events, judges every event against every agreement,
//! tracks commitments, and prints per agreement its window, status, each party's positions, the
//! events in its window by verdict and strength, and per-party counts.
//!
//! The JSON (`truce_wire::agreement::CheckReportDto`) is byte-identical for the same inputs in
//! any order: agreements by id, events by (date, id), commitments by (party, topic, day).
//! Agreement status is given as of the end of the latest event day in the inputs.
//!
//! Conversions from the domain types to the wire DTOs live here, written by hand.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use chrono::{DateTime, FixedOffset};
use truce_agreements::{Agreement, AgreementError, AgreementSet, Countries, Interval};
use truce_coder::Coder;
use truce_events::{Estimate, Event, SourcedIncident};
use truce_gazetteer::Gazetteer;
use truce_model::{Casualties, Side};
use truce_verdict::{Commitment, Compliance, Judgement, SourcedStatement, VerdictKind, judge};
use truce_wire::agreement::{
    AgreementDto, CheckReportDto, CommitmentDto, CommitmentSourceDto, ComplianceDto, CountDto,
    EstimateDto, EventDto, EventSourceDto, GeographyDto, IntervalDto, PositionDto, ProtectedDto,
    VerdictDto, WindowDto,
};

use super::extract;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutFormat {
    Table,
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// Folder of agreement files (*.toml), e.g. examples/agreements.
    #[arg(long)]
    pub agreements: PathBuf,
    /// Text or HTML files, or folders; a NAME.meta.json sidecar gives `published`.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Publication date (YYYY-MM-DD) for texts without a sidecar.
    #[arg(long)]
    pub published: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutFormat,
}

/// Reads every `*.toml` of a folder (sorted) and parses them. Returns the valid agreements and
/// every error (unreadable files included), so nothing valid is lost.
pub fn load_agreements(dir: &Path) -> anyhow::Result<(AgreementSet, Vec<String>)> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("{}: cannot read agreements folder", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        bail!("{}: no *.toml agreement files", dir.display());
    }
    let mut errors = Vec::new();
    let mut files = Vec::new();
    for p in &paths {
        let shown = p.display().to_string();
        match fs::read(p) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => files.push((shown, text)),
                Err(e) => errors.push(format!(
                    "{shown}: invalid UTF-8 at byte {}",
                    e.utf8_error().valid_up_to()
                )),
            },
            Err(e) => errors.push(format!("{shown}: cannot read: {e}")),
        }
    }
    let (set, errs) =
        AgreementSet::parse_files(files.iter().map(|(n, t)| (n.as_str(), t.as_str())));
    errors.extend(errs.iter().map(AgreementError::to_string));
    Ok((set, errors))
}

// ---------------------------------------------------------------- conversions to the wire

fn iv(a: &Agreement, i: &Interval) -> IntervalDto {
    IntervalDto {
        start: a.format_instant(i.start),
        end: (i.end != i64::MAX).then(|| a.format_instant(i.end)),
    }
}

/// An agreement on the wire; `status_at` picks the instant its status is given for.
pub fn agreement_dto(a: &Agreement, status_at: Option<DateTime<FixedOffset>>) -> AgreementDto {
    let status = match status_at {
        Some(t) => a.status_at(t).as_str().to_string(),
        None if a.ever_in_force() => "was_in_force".to_string(),
        None => "never_in_force".to_string(),
    };
    AgreementDto {
        id: a.id.clone(),
        title: a.title.clone(),
        kind: a.kind.as_str().to_string(),
        about: a.about.as_str().to_string(),
        parties: a.parties.iter().map(|p| p.as_str().to_string()).collect(),
        mediators: a.mediators.iter().map(|p| p.as_str().to_string()).collect(),
        time_zone: a.time_zone.to_string(),
        windows: a
            .windows
            .iter()
            .map(|w| WindowDto {
                start: w.start.to_rfc3339(),
                end: w.end.map(|e| e.to_rfc3339()),
            })
            .collect(),
        protected: ProtectedDto {
            targets: a
                .protected
                .targets
                .iter()
                .map(|t| t.as_str().to_string())
                .collect(),
            sub_kinds: a
                .protected
                .sub_kinds
                .iter()
                .map(|(t, v)| (t.as_str().to_string(), v.clone()))
                .collect(),
        },
        geography: GeographyDto {
            countries: match &a.geography.countries {
                Countries::All => vec!["all".to_string()],
                Countries::Only(v) => v.clone(),
            },
            admin1: a.geography.admin1.clone(),
            note: a.geography.note.clone(),
        },
        conditions: a
            .conditions
            .iter()
            .map(|(p, v)| (p.as_str().to_string(), v.clone()))
            .collect(),
        positions: a
            .positions
            .iter()
            .map(|p| PositionDto {
                party: p.party.as_str().to_string(),
                position: p.kind.as_str().to_string(),
                date: p.date.to_string(),
                at: p.at.to_rfc3339(),
                conditions: p.conditions.clone(),
                mirror: p.mirror,
                statement: p.statement.clone(),
                source: p.source.clone(),
            })
            .collect(),
        notes: a.notes.clone(),
        status,
        in_force: a.in_force_intervals().iter().map(|i| iv(a, i)).collect(),
        bound: a
            .parties
            .iter()
            .filter(|&&p| !a.bound_intervals(p).is_empty())
            .map(|&p| {
                (
                    p.as_str().to_string(),
                    a.bound_intervals(p).iter().map(|i| iv(a, i)).collect(),
                )
            })
            .collect(),
        file: a.file.clone(),
    }
}

fn count_dto(c: &Casualties) -> Option<CountDto> {
    c.count.map(|k| CountDto {
        n: u64::from(k.n),
        q: k.q.as_str().to_string(),
    })
}

fn estimate_dto(e: &Estimate) -> EstimateDto {
    EstimateDto {
        low: e.low.map(u64::from),
        best: e.best.map(u64::from),
        high: e.high.map(u64::from),
    }
}

fn strs<T: Copy>(v: &[T], f: impl Fn(T) -> &'static str) -> Vec<String> {
    v.iter().map(|&t| f(t).to_string()).collect()
}

/// An event with its verdicts (one per agreement, in set order).
pub fn event_dto(e: &Event, set: &AgreementSet, j: &Judgement) -> EventDto {
    EventDto {
        id: e.id.to_string(),
        date: e.date.map(|d| d.to_string()),
        date_precision: e.date_precision.as_str().to_string(),
        date_range: e.date_range.map(|(a, b)| [a.to_string(), b.to_string()]),
        place: e.place.clone(),
        admin1: e.admin1.clone(),
        country: e.country.clone(),
        lat: e.lat,
        lon: e.lon,
        perpetrator: e.perpetrator.as_str().to_string(),
        weapons: strs(&e.weapons, |w| w.as_str()),
        targets: strs(&e.targets, |t| t.as_str()),
        killed: estimate_dto(&e.killed),
        injured: estimate_dto(&e.injured),
        independent_sources: e.independent_sources() as u64,
        sources: e
            .sources
            .iter()
            .map(|s| EventSourceDto {
                document: s.document_id.clone(),
                outlet: s.outlet.clone(),
                incident: s.index,
                reported_by: s.reporter.as_str().to_string(),
                voice: s.voice.to_string(),
                date: s.incident.date.map(|d| d.to_string()),
                perpetrator: s.incident.perpetrator.as_str().to_string(),
                targets: strs(&s.incident.targets, |t| t.as_str()),
                killed: count_dto(&s.incident.killed),
                injured: count_dto(&s.incident.injured),
                evidence: s.incident.evidence.text.clone(),
            })
            .collect(),
        verdicts: j
            .verdicts_of(e.id)
            .iter()
            .filter_map(|v| {
                let a = v.agreement(set)?;
                Some(VerdictDto {
                    agreement: a.id.clone(),
                    verdict: v.verdict.as_str().to_string(),
                    strength: v.strength.map(|s| s.as_str().to_string()),
                    reason: v.reason.explain(a, e),
                    rule: v.rule().to_string(),
                    engine: j.engine.to_string(),
                    evidence: e.evidence().map(|x| x.text.clone()).collect(),
                })
            })
            .collect(),
    }
}

pub fn commitment_dto(c: &Commitment) -> CommitmentDto {
    CommitmentDto {
        party: c.party.as_str().to_string(),
        speaker: c.speaker.clone(),
        about: c.about.as_str().to_string(),
        date: c.date.map(|d| d.to_string()),
        agreement: c.agreement.clone(),
        status: c.status.as_str().to_string(),
        broken_by: c.broken_by.iter().map(|i| i.to_string()).collect(),
        contested_by: c.contested_by.iter().map(|i| i.to_string()).collect(),
        sources: c
            .sources
            .iter()
            .map(|s| CommitmentSourceDto {
                document: s.document_id.clone(),
                outlet: s.outlet.clone(),
                evidence: s.evidence.clone(),
            })
            .collect(),
    }
}

pub fn compliance_dto(c: &Compliance) -> ComplianceDto {
    ComplianceDto {
        agreement: c.agreement.clone(),
        party: c.party.as_str().to_string(),
        not_applicable: c.counts.not_applicable,
        indeterminate: c.counts.indeterminate,
        violation_alleged: c.counts.violation_alleged,
        one_party_claim: c.counts.one_party_claim,
        corroborated: c.counts.corroborated,
        contested: c.counts.contested,
        analyst_reviewed: c.counts.analyst_reviewed,
    }
}

/// The instant statuses are given for: the end of the latest event day (in UTC+03:00, the
/// shipped agreements' zone), if any event has a date.
fn as_of(events: &[Event]) -> Option<DateTime<FixedOffset>> {
    let last = events
        .iter()
        .filter_map(|e| e.date_range.map(|r| r.1))
        .max()?;
    let tz = FixedOffset::east_opt(3 * 3600)?;
    last.succ_opt()?
        .and_hms_opt(0, 0, 0)?
        .and_local_timezone(tz)
        .single()
}

/// The whole report on the wire.
pub fn report_dto(set: &AgreementSet, events: &[Event], j: &Judgement) -> CheckReportDto {
    let at = as_of(events);
    let mut by_id: BTreeMap<_, &Event> = BTreeMap::new();
    for e in events {
        by_id.insert(e.id, e);
    }
    CheckReportDto {
        engine: j.engine.to_string(),
        agreements: set.iter().map(|a| agreement_dto(a, at)).collect(),
        events: j
            .events
            .iter()
            .filter_map(|id| by_id.get(id))
            .map(|e| event_dto(e, set, j))
            .collect(),
        commitments: j.commitments.iter().map(commitment_dto).collect(),
        compliance: j.compliance.iter().map(compliance_dto).collect(),
    }
}

// ---------------------------------------------------------------- table

fn place_of(e: &Event) -> String {
    let v: Vec<&str> = [
        e.place.as_deref(),
        e.admin1.as_deref(),
        e.country.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if v.is_empty() {
        "-".into()
    } else {
        v.join(", ")
    }
}

fn table(
    out: &mut impl Write,
    set: &AgreementSet,
    events: &[Event],
    j: &Judgement,
) -> io::Result<()> {
    let at = as_of(events);
    let by_id: BTreeMap<_, &Event> = events.iter().map(|e| (e.id, e)).collect();
    writeln!(
        out,
        "engine {}; {} events from the inputs",
        j.engine,
        j.events.len()
    )?;
    for (k, a) in set.iter().enumerate() {
        let dto = agreement_dto(a, at);
        writeln!(out)?;
        writeln!(
            out,
            "== {} — {} ({}, about {})",
            a.id, a.title, a.kind, a.about
        )?;
        for w in &dto.windows {
            writeln!(
                out,
                "   window   {} .. {} (day dates read in {})",
                w.start,
                w.end.as_deref().unwrap_or("open"),
                dto.time_zone
            )?;
        }
        if dto.in_force.is_empty() {
            writeln!(out, "   status   never in force")?;
        } else {
            for i in &dto.in_force {
                writeln!(
                    out,
                    "   in force {} .. {}",
                    i.start,
                    i.end.as_deref().unwrap_or("open")
                )?;
            }
            writeln!(
                out,
                "   status   {} (as of the latest event day)",
                dto.status
            )?;
        }
        writeln!(
            out,
            "   protects {} in {}",
            dto.protected.targets.join(", "),
            if dto.geography.admin1.is_empty() {
                dto.geography.countries.join(", ")
            } else {
                dto.geography.admin1.join(", ")
            }
        )?;
        writeln!(out, "   positions")?;
        for p in &a.positions {
            let cond = if p.conditions.is_empty() {
                String::new()
            } else {
                format!(" [conditions: {}]", p.conditions.join("; "))
            };
            writeln!(
                out,
                "     {} {:<5} {:<22}{} — {} ({})",
                p.date, p.party, p.kind, cond, p.statement, p.source
            )?;
        }
        // Events in its window (or of unknown date), grouped by verdict and strength.
        let mut groups: BTreeMap<(u8, &str), Vec<String>> = BTreeMap::new();
        for (n, id) in j.events.iter().enumerate() {
            let Some(v) = j.verdicts.get(n * set.len() + k) else {
                continue;
            };
            let Some(e) = by_id.get(id) else { continue };
            if truce_verdict::in_window(a, e) == Some(false) {
                continue;
            }
            let order = match v.verdict {
                VerdictKind::ViolationAlleged => 0,
                VerdictKind::Indeterminate => 1,
                VerdictKind::NotApplicable => 2,
            };
            let label = v.strength.map_or("-", |s| s.as_str());
            let line = format!(
                "       {} {} {} by {} on {} ({} sources) — {}",
                &id.to_string()[..12],
                e.date.map_or("-".to_string(), |d| d.to_string()),
                place_of(e),
                e.perpetrator,
                e.targets
                    .iter()
                    .map(|t| t.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
                e.independent_sources(),
                v.reason.explain(a, e)
            );
            groups.entry((order, label)).or_default().push(line);
        }
        writeln!(out, "   events in window")?;
        if groups.is_empty() {
            writeln!(out, "     none")?;
        }
        for ((order, strength), lines) in &groups {
            let verdict = ["violation_alleged", "indeterminate", "not_applicable"][*order as usize];
            writeln!(out, "     {verdict} / {strength}: {}", lines.len())?;
            for l in lines {
                writeln!(out, "{l}")?;
            }
        }
        writeln!(out, "   per party")?;
        for c in j.compliance.iter().filter(|c| c.agreement == a.id) {
            let n = &c.counts;
            if n.not_applicable + n.indeterminate + n.violation_alleged == 0 {
                continue;
            }
            writeln!(
                out,
                "     {:<7} violation_alleged {} (one_party_claim {}, corroborated {}, contested {}, analyst_reviewed {}), indeterminate {}, not_applicable {}",
                match c.party {
                    Side::Unknown => "unknown",
                    s => s.as_str(),
                },
                n.violation_alleged,
                n.one_party_claim,
                n.corroborated,
                n.contested,
                n.analyst_reviewed,
                n.indeterminate,
                n.not_applicable
            )?;
        }
    }
    writeln!(out)?;
    writeln!(out, "== commitments")?;
    if j.commitments.is_empty() {
        writeln!(out, "   none")?;
    }
    for c in &j.commitments {
        writeln!(
            out,
            "   {} ({}) on {} about {} -> {}: {}{}",
            c.speaker,
            c.party,
            c.date.map_or("-".to_string(), |d| d.to_string()),
            c.about,
            c.agreement.as_deref().unwrap_or("no agreement"),
            c.status.as_str(),
            if c.broken_by.is_empty() && c.contested_by.is_empty() {
                String::new()
            } else {
                format!(
                    " (alleged broken by {}; contested {})",
                    c.broken_by
                        .iter()
                        .map(|i| i.to_string()[..12].to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                    c.contested_by
                        .iter()
                        .map(|i| i.to_string()[..12].to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        )?;
        for s in &c.sources {
            writeln!(
                out,
                "       \"{}\" ({})",
                s.evidence.replace('\n', " "),
                s.outlet
            )?;
        }
    }
    Ok(())
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut failed = false;
    let (set, errors) = load_agreements(&args.agreements)?;
    for e in &errors {
        eprintln!("truce: error: {e}");
        failed = true;
    }
    let published = match &args.published {
        Some(s) => Some(extract::parse_date(s, "--published")?),
        None => None,
    };
    let gazetteer = Gazetteer::embedded();
    let lexicon = truce_lexicon::Lexicon::embedded();
    let coder = Coder::new(&gazetteer, &lexicon);

    let mut path_errors = Vec::new();
    let files = extract::expand(&args.paths, &mut path_errors);
    for e in &path_errors {
        eprintln!("truce: error: {e}");
        failed = true;
    }
    let mut incidents = Vec::new();
    let mut statements = Vec::new();
    for path in &files {
        let loaded = match extract::load(path, published) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("truce: error: {e:#}");
                failed = true;
                continue;
            }
        };
        let doc = extract::code(&coder, path, &loaded);
        // The outlet as ingest names it: the sidecar's, else the URL's host, else the file.
        let source = truce_ingest::engine::source(&truce_ingest::DocInfo {
            id: doc.document.id.clone(),
            index: 0,
            published: doc.document.published,
            source: Some(path.display().to_string()),
            url: doc.document.url.clone(),
            outlet: loaded.outlet.clone(),
            jsonl: false,
        });
        for (k, i) in doc.incidents.into_iter().enumerate() {
            incidents.push(SourcedIncident {
                incident: i,
                source: source.clone(),
                index: k as u32,
            });
        }
        for s in doc.statements {
            statements.push(SourcedStatement {
                statement: s,
                source: source.clone(),
            });
        }
    }
    let events = truce_events::merge(&incidents);
    let j = judge(&set, &events, &statements, &[]);

    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match args.format {
        OutFormat::Json => {
            let dto = report_dto(&set, &events, &j);
            serde_json::to_writer_pretty(&mut out, &dto)?;
            writeln!(out)?;
        }
        OutFormat::Table => table(&mut out, &set, &events, &j)?,
    }
    out.flush()?;
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
