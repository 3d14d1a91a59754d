//! `truce demo [--data DIR]`: ingests the example agreements and corpus into an embedded store
//! (default ./truce-data), prints the compliance report, and says what to run next.
//!
//! Idempotent: run again on the same folder, it finds every document and agreement already
//! stored (by content hash), adds nothing to the log, and prints the same report.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use truce_ingest::store_sink::{self, Request};
use truce_ingest::{Options, views};

use super::ingest::{Report, open_store, print_summary};

#[derive(clap::Args)]
pub struct Args {
    /// The embedded store's folder.
    #[arg(long, value_name = "DIR", default_value = "truce-data")]
    pub data: PathBuf,
    /// The example agreements (default: examples/agreements of the source tree).
    #[arg(long, value_name = "DIR")]
    pub agreements: Option<PathBuf>,
    /// The project's example reports (default: corpus/dev of the source tree).
    #[arg(long, value_name = "DIR")]
    pub corpus: Option<PathBuf>,
    /// The seed texts (web text, never copied into the repository; default:
    /// ../shared/corpus/seeds beside the source tree, used when it exists).
    #[arg(long, value_name = "DIR")]
    pub seeds: Option<PathBuf>,
    /// After the report, serve the API and the dashboard on the demo store.
    #[arg(long)]
    pub serve: bool,
    /// Address for --serve.
    #[arg(long, default_value = "127.0.0.1:8080", requires = "serve")]
    pub addr: std::net::SocketAddr,
}

/// `rel` under the current folder, else under the source tree this binary was built from.
fn find(rel: &str) -> Option<PathBuf> {
    let here = PathBuf::from(rel);
    if here.exists() {
        return Some(here);
    }
    let tree = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel);
    tree.exists().then_some(tree)
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let agreements = match args
        .agreements
        .clone()
        .or_else(|| find("examples/agreements"))
    {
        Some(p) => p,
        None => anyhow::bail!(
            "no example agreements found (examples/agreements): pass --agreements DIR"
        ),
    };
    let corpus = match args.corpus.clone().or_else(|| find("corpus/dev")) {
        Some(p) => p,
        None => anyhow::bail!("no example corpus found (corpus/dev): pass --corpus DIR"),
    };
    let seeds = args
        .seeds
        .clone()
        .or_else(|| find("../shared/corpus/seeds"));
    let mut paths = vec![corpus.clone()];
    println!("truce demo: ingesting into {}", args.data.display());
    println!("  agreements: {}", agreements.display());
    println!("  the project's example reports: {}", corpus.display());
    match &seeds {
        Some(s) => {
            println!("  seed texts (read in place, not copied): {}", s.display());
            paths.push(s.clone());
        }
        None => println!(
            "  seed texts: not found (../shared/corpus/seeds); using the project's reports only"
        ),
    }
    let store = open_store(Some(&args.data), None)?;
    let mut report = Report::new(None, false)?;
    let start = std::time::Instant::now();
    let req = Request {
        paths: &paths,
        agreements: Some(&agreements),
        options: Options::default(),
        author: "demo",
        queue: false,
    };
    let result = store_sink::ingest(&*store, &req, &mut report);
    report.finish()?;
    let summary = result?;
    print_summary(&summary, start.elapsed());
    println!();
    println!("Compliance report");
    println!("=================");
    let now = chrono::Utc::now().fixed_offset();
    print!("{}", views::render(&views::compliance(&*store, now)?));
    let data = args.data.display();
    println!("Next:");
    println!(
        "  truce verify --data {data}                 check the log's signature, tree and verdicts"
    );
    println!(
        "  truce export --data {data} --format csv    events with ACLED-like columns and verdicts"
    );
    println!("  truce serve --data {data}                  the HTTP API and the dashboard");
    if args.serve {
        println!();
        let store: std::sync::Arc<dyn truce_store::Store> = std::sync::Arc::from(store);
        return super::serve::serve_store(store, args.addr, truce_server::Config::default(), None);
    }
    Ok(ExitCode::SUCCESS)
}
