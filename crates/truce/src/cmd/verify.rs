//! `truce verify`: verifies a C2SP tlog-tiles log (any implementation's) or a store's log.
//!
//! - `truce verify --log DIR_OR_URL --vkey VKEY [--state FILE] [--replay]`
//! - `truce verify --data DIR [--state FILE]` (replays the verdicts)
//!
//! Checks the checkpoint signature, every entry bundle and tile against the root, and
//! consistency with the last checkpoint seen (kept in the state file); reports the first bad
//! tile or entry. For truce's own log, recomputes the verdicts from the logged records and
//! agreements and compares them byte for byte (`truce_ingest::replay_verdicts`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use truce_note::{Checkpoint, Verifier};
use truce_tlog::{DirFetcher, HttpFetcher, StorageFetcher, TileFetcher, verify_log};

use super::log::{DataArg, store_verifier};

#[derive(clap::Args)]
pub struct Args {
    /// A published log: a directory or an http:// URL prefix.
    #[arg(long, value_name = "DIR_OR_URL", conflicts_with = "data")]
    log: Option<String>,
    /// The log's verifier key (`name+hash+key`), or a file holding it; repeatable.
    #[arg(long, value_name = "VKEY")]
    vkey: Vec<String>,
    /// Verify the log of this store (a data directory or a postgres:// URL).
    #[arg(long, value_name = "DIR")]
    data: Option<String>,
    /// State file: the last checkpoint seen; the log must extend it. Updated on success.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Also replay truce's verdicts from the entries (always on with --data).
    #[arg(long)]
    replay: bool,
}

fn parse_vkey(s: &str) -> anyhow::Result<Verifier> {
    let p = Path::new(s);
    let text = if p.is_file() {
        std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?
    } else {
        s.to_string()
    };
    Verifier::parse(text.trim()).with_context(|| format!("verifier key {s:?}"))
}

fn read_state(path: &Path) -> anyhow::Result<Option<Checkpoint>> {
    match std::fs::read_to_string(path) {
        Ok(t) => Checkpoint::parse(&t)
            .map(Some)
            .with_context(|| format!("state file {}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

fn write_state(path: &Path, cp: &Checkpoint) -> anyhow::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, cp.to_text()).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::File::open(&tmp)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("syncing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))
}

/// Log entries in flight between verification and replay.
const REPLAY_QUEUE: usize = 4096;

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let previous = match &args.state {
        Some(p) => read_state(p)?,
        None => None,
    };
    let store;
    let (fetcher, verifiers, what, replay): (
        Box<dyn TileFetcher + '_>,
        Vec<Verifier>,
        String,
        bool,
    ) = match (&args.log, &args.data) {
        (Some(log), None) => {
            if args.vkey.is_empty() {
                bail!("--log needs --vkey (the log's verifier key)");
            }
            let vs = args
                .vkey
                .iter()
                .map(|s| parse_vkey(s))
                .collect::<anyhow::Result<_>>()?;
            let f: Box<dyn TileFetcher> =
                if log.starts_with("http://") || log.starts_with("https://") {
                    Box::new(HttpFetcher::new(log))
                } else {
                    if !Path::new(log).is_dir() {
                        bail!("--log {log}: no such directory");
                    }
                    Box::new(DirFetcher::new(log))
                };
            (f, vs, log.clone(), args.replay)
        }
        (None, data) => {
            let d = DataArg { data: data.clone() };
            store = d.open()?;
            let mut vs = vec![store_verifier(&*store)?];
            for s in &args.vkey {
                vs.push(parse_vkey(s)?);
            }
            (
                Box::new(StorageFetcher(&*store)),
                vs,
                store.describe(),
                true,
            )
        }
        (Some(_), Some(_)) => bail!("give --log or --data, not both"),
    };
    // Entries stream from the verifier to the replay on another thread through a bounded
    // channel, so memory does not grow with the log; the replay's answer counts only if the
    // log verified.
    let (report, replayed) = std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(REPLAY_QUEUE);
        let replayer = replay.then(|| {
            scope.spawn(move || {
                let mut n = 0u64;
                let r = truce_ingest::replay_verdicts(rx.into_iter().inspect(|_| n += 1));
                (n, r)
            })
        });
        let mut tx = replay.then_some(tx);
        let report = verify_log(&*fetcher, &verifiers, previous.as_ref(), &mut |_, e| {
            if let Some(t) = &tx {
                // A closed channel means the replay stopped on an error it reports below.
                if t.send(e.to_vec()).is_err() {
                    tx = None;
                }
            }
            Ok(())
        });
        drop(tx);
        let replayed = replayer.map(|h| h.join());
        (report, replayed)
    });
    let report = match report {
        Ok(r) => r,
        Err(e) => {
            eprintln!("truce: verify: {what}: FAILED: {e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let cp = &report.checkpoint;
    println!(
        "{what}: checkpoint of {} verified: size {}, root {}",
        cp.origin,
        cp.size,
        B64.encode(cp.root)
    );
    println!(
        "  {} entries hashed, {} entry bundles and {} tiles checked against the root",
        report.entries, report.bundles, report.tiles
    );
    match (report.consistent_with, &args.state) {
        (Some(old), Some(p)) => println!(
            "  consistent with the size-{old} checkpoint in {}",
            p.display()
        ),
        (None, Some(p)) => println!("  first verification: state starts at {}", p.display()),
        _ => {}
    }
    if let Some(joined) = replayed {
        let Ok((n, r)) = joined else {
            bail!("replaying the verdicts: the replay thread panicked");
        };
        let r = r.context("replaying the verdicts")?;
        if !r.ok() {
            for m in r.mismatches.iter().take(10) {
                eprintln!(
                    "truce: verify: verdict at log entry {} does not replay:\n  logged:     {}\n  recomputed: {}",
                    m.index, m.logged, m.expected
                );
            }
            eprintln!(
                "truce: verify: {what}: FAILED: {} verdict(s) do not replay",
                r.mismatches.len()
            );
            return Ok(ExitCode::FAILURE);
        }
        println!(
            "  replayed {n} entries: {} verdicts recomputed byte for byte",
            r.verdicts_matched
        );
    }
    if let Some(p) = &args.state {
        write_state(p, cp)?;
    }
    Ok(ExitCode::SUCCESS)
}
