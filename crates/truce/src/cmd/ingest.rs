//! `truce ingest PATH... [--data DIR | --db URL] [--agreements DIR] [--ack FILE]`: reads files,
//! folders and JSONL, codes them in parallel and commits them to the store in atomic batches.

use std::fs::File;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use truce_ingest::store_sink::{self, Request};
use truce_ingest::{BatchReport, InputError, Observer, Options, Summary};
use truce_store::{Location, Store};

#[derive(clap::Args)]
pub struct Args {
    /// Files (.txt, .html with NAME.meta.json sidecars), folders (walked in sorted order) and
    /// JSON Lines files ({"text","published","url","language"} per line).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The embedded store's folder (default ./truce-data).
    #[arg(long, value_name = "DIR", conflicts_with = "db")]
    pub data: Option<PathBuf>,
    /// A PostgreSQL URL (postgres://...) instead of the embedded store.
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
    /// Agreements (a folder of TOML files, or one file) to log before the documents.
    #[arg(long, value_name = "DIR")]
    pub agreements: Option<PathBuf>,
    /// Append one line per committed batch to this file, after the commit is durable:
    /// `ack <log size> <document id>...` (ids of documents now in the store).
    #[arg(long, value_name = "FILE")]
    pub ack: Option<PathBuf>,
    /// Share the work with other `truce ingest --queue` processes on the same store: each input
    /// file becomes a job in the store's queue and every process ingests the files it claims.
    #[arg(long)]
    pub queue: bool,
    /// Documents per atomic batch.
    #[arg(long, default_value_t = 2048)]
    pub batch: usize,
}

/// Reports progress on a terminal, bad inputs always, and acknowledgements to a file.
pub struct Report {
    bar: Option<ProgressBar>,
    ack: Option<File>,
    ack_error: Option<std::io::Error>,
    pub errors: u64,
}

impl Report {
    pub fn new(ack: Option<&PathBuf>, quiet: bool) -> anyhow::Result<Report> {
        let ack = match ack {
            Some(p) => Some(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(p)
                    .map_err(|e| {
                        anyhow::anyhow!(
                            "{}: cannot open the acknowledgement file: {e}",
                            p.display()
                        )
                    })?,
            ),
            None => None,
        };
        let bar = if !quiet && std::io::stderr().is_terminal() {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {elapsed_precise} {human_pos} documents ({per_sec}) {msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            Some(bar)
        } else {
            None
        };
        Ok(Report {
            bar,
            ack,
            ack_error: None,
            errors: 0,
        })
    }

    /// Sets the total when it is known (then the bar shows an ETA).
    pub fn set_total(&mut self, total: u64) {
        if let Some(bar) = &self.bar {
            bar.set_length(total);
            bar.set_style(
                ProgressStyle::with_template(
                    "{bar:30} {human_pos}/{human_len} documents ({per_sec}, ETA {eta}) {msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
        }
    }

    pub fn finish(&mut self) -> anyhow::Result<()> {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        match self.ack_error.take() {
            Some(e) => Err(anyhow::anyhow!(
                "writing the acknowledgement file failed: {e}"
            )),
            None => Ok(()),
        }
    }
}

impl Observer for Report {
    fn input_error(&mut self, error: &InputError) {
        self.errors += 1;
        let line = format!("truce: skipped {error}");
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    fn committed(&mut self, batch: &BatchReport<'_>) {
        if let Some(f) = &mut self.ack {
            let mut line = format!("ack {}", batch.log_size);
            for id in batch
                .committed
                .iter()
                .copied()
                .chain(batch.skipped.iter().map(String::as_str))
            {
                line.push(' ');
                line.push_str(id);
            }
            line.push('\n');
            if let Err(e) = f.write_all(line.as_bytes()).and_then(|()| f.flush()) {
                self.ack_error.get_or_insert(e);
            }
        }
    }

    fn progress(&mut self, docs: u64, _bytes: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(docs);
        }
    }
}

/// Prints the summary of a run.
pub fn print_summary(s: &Summary, elapsed: std::time::Duration) {
    let secs = elapsed.as_secs_f64().max(1e-9);
    println!(
        "read {} documents ({:.1} MB) in {:.2}s ({:.0} docs/s): {} new, {} already stored (skipped), {} failed",
        s.read,
        s.bytes as f64 / 1e6,
        secs,
        s.read as f64 / secs,
        s.new,
        s.skipped,
        s.failed
    );
    println!(
        "coded {} incidents and {} statements; {} agreements logged; {} events; {} verdicts logged; log size {}",
        s.incidents, s.statements, s.agreements, s.events, s.verdicts, s.log_size
    );
}

/// Opens the store a `--data DIR` / `--db URL` pair names (default `./truce-data`).
pub fn open_store(
    data: Option<&std::path::Path>,
    db: Option<&str>,
) -> anyhow::Result<Box<dyn Store>> {
    let loc = match (data, db) {
        (_, Some(url)) => {
            let loc = Location::parse(url);
            if !matches!(loc, Location::Postgres(_)) {
                anyhow::bail!(
                    "--db {url:?} is not a postgres:// URL (use --data DIR for the embedded store)"
                );
            }
            loc
        }
        (Some(dir), None) => Location::Sqlite(dir.to_path_buf()),
        (None, None) => Location::default_data_dir(),
    };
    Ok(truce_store::open(&loc)?)
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.batch == 0 {
        anyhow::bail!("--batch must be at least 1");
    }
    let store = open_store(args.data.as_deref(), args.db.as_deref())?;
    let mut report = Report::new(args.ack.as_ref(), false)?;
    if report.bar.is_some() {
        report.set_total(truce_ingest::input::count_documents(&args.paths));
    }
    let start = std::time::Instant::now();
    let req = Request {
        paths: &args.paths,
        agreements: args.agreements.as_deref(),
        options: Options {
            batch_size: args.batch,
        },
        author: "ingest",
        queue: args.queue,
    };
    let result = store_sink::ingest(&*store, &req, &mut report);
    report.finish()?;
    let summary = result
        .map_err(|e| anyhow::anyhow!("{} (batches committed before this error are kept)", e))?;
    print_summary(&summary, start.elapsed());
    println!("store: {}", store.describe());
    Ok(if summary.failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
