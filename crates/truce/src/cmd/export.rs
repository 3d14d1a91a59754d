//! `truce export --format csv|geojson|jsonl [--data DIR | --db URL] [--out FILE]`: events with
//! ACLED-like columns plus truce's verdicts.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use truce_ingest::export;
use truce_ingest::views;

use super::ingest::open_store;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Csv,
    Geojson,
    Jsonl,
}

#[derive(clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// The embedded store's folder (default ./truce-data).
    #[arg(long, value_name = "DIR", conflicts_with = "db")]
    pub data: Option<PathBuf>,
    /// A PostgreSQL URL instead of the embedded store.
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
    /// Write here instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let store = open_store(args.data.as_deref(), args.db.as_deref())?;
    let sink: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(
            std::fs::File::create(p)
                .map_err(|e| anyhow::anyhow!("{}: cannot create: {e}", p.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::new(sink);
    match write(&*store, args.format, &mut out) {
        Ok(n) => {
            if let Some(p) = &args.out {
                eprintln!("truce: exported {n} events to {}", p.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        // The reader went away (`truce export | head`): not an error.
        Err(e) if broken_pipe(&e) => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e),
    }
}

fn broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || matches!(c.downcast_ref::<views::ViewError>(), Some(views::ViewError::Io(io)) if io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn write(
    store: &dyn truce_store::Store,
    format: Format,
    out: &mut impl Write,
) -> anyhow::Result<u64> {
    let n = match format {
        Format::Csv => {
            export::write_csv_header(out)?;
            views::for_each_export(store, |e| export::write_csv_row(out, e))?
        }
        Format::Jsonl => views::for_each_export(store, |e| export::write_jsonl_row(out, e))?,
        Format::Geojson => {
            let mut first = true;
            export::write_geojson_start(out)?;
            let n = views::for_each_export(store, |e| {
                let r = export::write_geojson_feature(out, e, first);
                first = false;
                r
            })?;
            export::write_geojson_end(out)?;
            n
        }
    };
    out.flush()?;
    Ok(n)
}
