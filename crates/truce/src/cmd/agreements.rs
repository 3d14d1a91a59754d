//! `truce agreements check DIR`: validates every agreement file of a folder and prints every
//! error with file, line and field (exit non-zero if any).
//! `truce agreements show ID [--dir DIR] [--format table|json]`: prints one agreement, its
//! positions and when it was in force (default folder: examples/agreements).

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use chrono::DateTime;

use super::check::{agreement_dto, load_agreements};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutFormat {
    Table,
    Json,
}

#[derive(clap::Subcommand)]
pub enum Command {
    /// Validate every *.toml agreement file in a folder.
    Check {
        /// The folder of agreement files.
        dir: PathBuf,
    },
    /// Show one agreement.
    Show {
        /// The agreement's id.
        id: String,
        /// The folder of agreement files.
        #[arg(long, default_value = "examples/agreements")]
        dir: PathBuf,
        #[arg(long, value_enum, default_value = "table")]
        format: OutFormat,
    },
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Check { dir } => check(dir),
        Command::Show { id, dir, format } => show(&id, dir, format),
    }
}

fn check(dir: PathBuf) -> anyhow::Result<ExitCode> {
    let (set, errors) = load_agreements(&dir)?;
    for e in &errors {
        eprintln!("{e}");
    }
    let mut out = io::stdout().lock();
    for a in &set {
        let status = if a.ever_in_force() {
            "in force at times"
        } else {
            "never in force"
        };
        writeln!(out, "ok  {}  {} ({}, {status})", a.file, a.id, a.kind)?;
    }
    if errors.is_empty() {
        writeln!(out, "{} agreements valid", set.len())?;
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "truce: {} error(s) in {}; {} agreements valid",
            errors.len(),
            dir.display(),
            set.len()
        );
        Ok(ExitCode::FAILURE)
    }
}

fn show(id: &str, dir: PathBuf, format: OutFormat) -> anyhow::Result<ExitCode> {
    let (set, errors) = load_agreements(&dir)?;
    for e in &errors {
        eprintln!("truce: warning: {e}");
    }
    let Some(a) = set.get(id) else {
        let ids: Vec<&str> = set.iter().map(|a| a.id.as_str()).collect();
        bail!(
            "no agreement {id:?} in {} (known: {})",
            dir.display(),
            ids.join(", ")
        );
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| DateTime::from_timestamp(d.as_secs() as i64, 0))
        .map(|t| t.fixed_offset());
    let dto = agreement_dto(a, now);
    let mut out = io::stdout().lock();
    match format {
        OutFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &dto)?;
            writeln!(out)?;
        }
        OutFormat::Table => {
            writeln!(out, "{} — {}", dto.id, dto.title)?;
            writeln!(out, "  kind       {} (about {})", dto.kind, dto.about)?;
            writeln!(out, "  parties    {}", dto.parties.join(", "))?;
            if !dto.mediators.is_empty() {
                writeln!(out, "  mediators  {}", dto.mediators.join(", "))?;
            }
            for w in &dto.windows {
                writeln!(
                    out,
                    "  window     {} .. {}",
                    w.start,
                    w.end.as_deref().unwrap_or("open")
                )?;
            }
            writeln!(
                out,
                "  time zone  {} (day-precision dates are read in it)",
                dto.time_zone
            )?;
            if dto.in_force.is_empty() {
                writeln!(out, "  in force   never")?;
            }
            for i in &dto.in_force {
                writeln!(
                    out,
                    "  in force   {} .. {}",
                    i.start,
                    i.end.as_deref().unwrap_or("open")
                )?;
            }
            for (p, ivs) in &dto.bound {
                for i in ivs {
                    writeln!(
                        out,
                        "  binds {:<4} {} .. {}",
                        p,
                        i.start,
                        i.end.as_deref().unwrap_or("open")
                    )?;
                }
            }
            writeln!(out, "  status now {}", dto.status)?;
            writeln!(out, "  protects   {}", dto.protected.targets.join(", "))?;
            for (t, subs) in &dto.protected.sub_kinds {
                writeln!(out, "    {t}: {}", subs.join(", "))?;
            }
            writeln!(
                out,
                "  geography  {}{}",
                dto.geography.countries.join(", "),
                if dto.geography.admin1.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", dto.geography.admin1.join(", "))
                }
            )?;
            for (p, cs) in &dto.conditions {
                for c in cs {
                    writeln!(out, "  condition  {p}: {c}")?;
                }
            }
            writeln!(out, "  positions")?;
            for p in &dto.positions {
                writeln!(out, "    {} {:<5} {}", p.date, p.party, p.position)?;
                for c in &p.conditions {
                    writeln!(out, "        condition: {c}")?;
                }
                writeln!(out, "        {}", p.statement)?;
                writeln!(out, "        source: {}", p.source)?;
            }
            if let Some(n) = &dto.notes {
                writeln!(out, "  notes      {n}")?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
