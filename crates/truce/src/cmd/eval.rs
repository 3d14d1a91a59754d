//! `truce eval GOLD.jsonl [--texts DIR] [--format table|json] [--lexicon DIR]`: codes each text
//! of a hand-coded gold file and scores the coder (see `truce-eval` for the matching rules).

use std::fs;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, anyhow};
use serde_json::json;
use truce_coder::{Coder, Input};
use truce_eval::{Case, Finding, RecordKind, Report};
use truce_gazetteer::Gazetteer;
use truce_model::CodedDocument;
use truce_wire::record::{Gold, GoldDoc};

use super::extract::{load_lexicon, read_text};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum EvalFormat {
    Table,
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// A gold file: one JSON object per line (schema in corpus/README.md).
    pub gold: PathBuf,
    /// Folder holding the texts the gold file names (default: the gold file's folder).
    #[arg(long)]
    pub texts: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: EvalFormat,
    /// A folder of extra dictionary files (*.toml).
    #[arg(long)]
    pub lexicon: Option<PathBuf>,
}

fn pct(x: f64) -> String {
    format!("{:.3}", x)
}

fn finding(f: &Finding) -> serde_json::Value {
    json!({
        "document": f.document,
        "kind": match f.kind { RecordKind::Incident => "incident", RecordKind::Statement => "statement" },
        "record": f.summary,
        "evidence": f.evidence,
    })
}

fn to_json(r: &Report) -> serde_json::Value {
    let prf = |p: &truce_eval::Prf| {
        json!({
            "true_positives": p.true_positives, "false_positives": p.false_positives,
            "false_negatives": p.false_negatives, "precision": p.precision(), "recall": p.recall(), "f1": p.f1(),
        })
    };
    json!({
        "documents": r.documents,
        "incidents": prf(&r.incidents),
        "statements": prf(&r.statements),
        "field_accuracy": r.field_accuracy(),
        "fields": r.fields.iter().map(|f| json!({"field": f.field, "correct": f.correct, "total": f.total, "accuracy": f.accuracy()})).collect::<Vec<_>>(),
        "misses": r.misses.iter().map(finding).collect::<Vec<_>>(),
        "false_alarms": r.false_alarms.iter().map(finding).collect::<Vec<_>>(),
        "field_errors": r.field_errors.iter().map(|e| json!({"document": e.document, "field": e.field, "gold": e.gold, "coded": e.coded, "evidence": e.evidence})).collect::<Vec<_>>(),
    })
}

fn table(out: &mut impl Write, r: &Report) -> io::Result<()> {
    writeln!(out, "documents: {}", r.documents)?;
    writeln!(
        out,
        "{:<11} {:>4} {:>4} {:>4} {:>9} {:>9} {:>9}",
        "", "tp", "fp", "fn", "precision", "recall", "f1"
    )?;
    for (name, p) in [("incidents", &r.incidents), ("statements", &r.statements)] {
        writeln!(
            out,
            "{:<11} {:>4} {:>4} {:>4} {:>9} {:>9} {:>9}",
            name,
            p.true_positives,
            p.false_positives,
            p.false_negatives,
            pct(p.precision()),
            pct(p.recall()),
            pct(p.f1())
        )?;
    }
    writeln!(
        out,
        "\nper-field accuracy on matched incidents: {}",
        pct(r.field_accuracy())
    )?;
    for f in &r.fields {
        writeln!(
            out,
            "  {:<12} {:>4}/{:<4} {}",
            f.field,
            f.correct,
            f.total,
            pct(f.accuracy())
        )?;
    }
    let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    if !r.misses.is_empty() {
        writeln!(out, "\nmisses (gold records not found):")?;
        for m in &r.misses {
            writeln!(
                out,
                "  {} {:?}: {}\n      \"{}\"",
                m.document,
                m.kind,
                m.summary,
                one_line(&m.evidence)
            )?;
        }
    }
    if !r.false_alarms.is_empty() {
        writeln!(out, "\nfalse alarms (coded records not in gold):")?;
        for m in &r.false_alarms {
            writeln!(
                out,
                "  {} {:?}: {}\n      \"{}\"",
                m.document,
                m.kind,
                m.summary,
                one_line(&m.evidence)
            )?;
        }
    }
    if !r.field_errors.is_empty() {
        writeln!(out, "\nfield errors on matched incidents:")?;
        for e in &r.field_errors {
            writeln!(
                out,
                "  {} {}: gold {} coded {}\n      \"{}\"",
                e.document,
                e.field,
                e.gold,
                e.coded,
                one_line(&e.evidence)
            )?;
        }
    }
    Ok(())
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match run_inner(args) {
        // The reader went away (`truce eval ... | head`): not an error.
        Err(e) if closed_pipe(&e) => Ok(ExitCode::SUCCESS),
        other => other,
    }
}

/// Whether an error is a write to a closed pipe.
fn closed_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<io::Error>()
        .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
        || e.downcast_ref::<serde_json::Error>()
            .is_some_and(|e| e.io_error_kind() == Some(io::ErrorKind::BrokenPipe))
}

fn run_inner(args: Args) -> anyhow::Result<ExitCode> {
    let raw = fs::read_to_string(&args.gold)
        .with_context(|| format!("{}: cannot read gold file", args.gold.display()))?;
    let dir = args
        .texts
        .clone()
        .or_else(|| args.gold.parent().map(|p| p.to_path_buf()))
        .unwrap_or_else(|| PathBuf::from("."));
    let lexicon = load_lexicon(args.lexicon.as_deref())?;
    let gazetteer = Gazetteer::embedded();
    let coder = Coder::new(&gazetteer, &lexicon);
    let mut failed = false;
    let mut docs: Vec<(String, Gold, CodedDocument)> = Vec::new();
    for (n, line) in raw.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = format!("{}:{}", args.gold.display(), n + 1);
        let g: GoldDoc = match serde_json::from_str(line) {
            Ok(g) => g,
            Err(e) => {
                eprintln!("truce eval: {at}: malformed gold record: {e}");
                failed = true;
                continue;
            }
        };
        let path = dir.join(&g.file);
        let text = match read_text(&path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("truce eval: {at}: {e:#}");
                failed = true;
                continue;
            }
        };
        if let Some(want) = &g.text_sha256
            && *want != truce_coder::document_id(&text)
        {
            eprintln!(
                "truce eval: {at}: warning: {} does not match text_sha256 (the text changed since it was coded)",
                path.display()
            );
        }
        let gold = match g.to_model(&text) {
            Ok(m) => m,
            Err(e) => {
                eprintln!("truce eval: {at}: {e}");
                failed = true;
                continue;
            }
        };
        let format = if path.extension().is_some_and(|x| x == "html" || x == "htm") {
            truce_coder::Format::Html
        } else {
            truce_coder::Format::Text
        };
        let coded = coder.code(&Input {
            text: &text,
            published: gold.published,
            format: Some(format),
            ..Input::default()
        });
        docs.push((g.file.clone(), gold, coded));
    }
    if docs.is_empty() {
        return Err(anyhow!(
            "{}: no gold records could be scored",
            args.gold.display()
        ));
    }
    let cases: Vec<Case> = docs
        .iter()
        .map(|(f, g, c)| Case {
            document: f,
            gold_incidents: &g.incidents,
            gold_statements: &g.statements,
            incidents: &c.incidents,
            statements: &c.statements,
        })
        .collect();
    let report = truce_eval::score(&cases);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match args.format {
        EvalFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &to_json(&report))?;
            writeln!(out)?;
        }
        EvalFormat::Table => table(&mut out, &report)?,
    }
    out.flush()?;
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
