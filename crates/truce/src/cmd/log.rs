//! `truce log`: keys, checkpoints, entries, proofs and publishing of a store's verifiable log.
//!
//! - `truce log keygen --name NAME --out FILE [--cosigner]` writes a signed-note private key
//!   (mode 0600) and prints its verifier key;
//! - `truce log vkey [--data DIR | --key FILE]` prints a verifier key;
//! - `truce log checkpoint`, `truce log entry N`, `truce log proof inclusion N [--size S]`,
//!   `truce log proof consistency A B`, `truce log publish --out DIR` (all `--data DIR`).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use truce_note::{Checkpoint, Note, SigType, Signer, Verifier};
use truce_store::{Location, Store, StoreLog};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Generate a signing key: writes `PRIVATE+KEY+...` (mode 0600), prints the verifier key.
    Keygen {
        /// Key name (for a log, its origin, e.g. `monitor.example/truce`).
        #[arg(long)]
        name: String,
        /// File to write (must not exist).
        #[arg(long)]
        out: PathBuf,
        /// Make a witness cosigning key (tlog-cosignature type 0x04) instead of a log key.
        #[arg(long)]
        cosigner: bool,
    },
    /// Print the verifier key of the store's log (creating its key on first use), or of a key
    /// file.
    Vkey {
        #[command(flatten)]
        data: DataArg,
        /// A private key file to print the verifier key of.
        #[arg(long)]
        key: Option<PathBuf>,
    },
    /// Print the latest signed checkpoint.
    Checkpoint {
        #[command(flatten)]
        data: DataArg,
    },
    /// Print entry N (its bytes, then a newline).
    Entry {
        /// Entry index (from 0).
        n: u64,
        #[command(flatten)]
        data: DataArg,
    },
    /// Print an inclusion or consistency proof.
    Proof {
        #[command(subcommand)]
        kind: ProofKind,
    },
    /// Write the log as static tlog-tiles files: `checkpoint`, `tile/...`, `tile/entries/...`.
    Publish {
        /// Output directory (created; full tiles already there are kept).
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        data: DataArg,
    },
}

#[derive(clap::Subcommand)]
enum ProofKind {
    /// Inclusion proof of entry N in the tree of size S (default: the latest checkpoint's).
    Inclusion {
        /// Entry index.
        n: u64,
        /// Tree size.
        #[arg(long)]
        size: Option<u64>,
        #[command(flatten)]
        data: DataArg,
    },
    /// Consistency proof from size A to size B.
    Consistency {
        /// Old size.
        a: u64,
        /// New size.
        b: u64,
        #[command(flatten)]
        data: DataArg,
    },
}

/// `--data DIR` (or a `postgres://` URL): the store holding the log.
#[derive(clap::Args, Clone)]
pub struct DataArg {
    /// The store: a data directory (default ./truce-data) or a postgres:// URL.
    #[arg(long, value_name = "DIR")]
    pub data: Option<String>,
}

impl DataArg {
    /// Opens the store.
    pub fn open(&self) -> anyhow::Result<Box<dyn Store>> {
        let loc = match &self.data {
            Some(d) => Location::parse(d),
            None => Location::default_data_dir(),
        };
        if let Location::Sqlite(dir) = &loc
            && !dir.exists()
        {
            bail!(
                "no store at {} (ingest something first, or pass --data DIR)",
                dir.display()
            );
        }
        truce_store::open(&loc).with_context(|| format!("opening the store {loc:?}"))
    }
}

/// The verifier key the store recorded for its log.
pub fn store_verifier(store: &dyn Store) -> anyhow::Result<Verifier> {
    let row = store
        .log_key()
        .context("reading the log key record")?
        .ok_or_else(|| {
            anyhow::anyhow!("{} has no log key yet (nothing logged)", store.describe())
        })?;
    Verifier::parse(&row.verifier)
        .with_context(|| format!("the recorded verifier key {:?}", row.verifier))
}

/// The store's latest checkpoint, verified with its recorded key.
fn checkpoint(store: &dyn Store) -> anyhow::Result<(Checkpoint, Vec<u8>)> {
    let v = store_verifier(store)?;
    truce_tlog::latest_checkpoint(&StoreLog(store), &v)
        .context("reading the latest checkpoint")?
        .ok_or_else(|| anyhow::anyhow!("{}: the log is empty", store.describe()))
}

/// Writes a private key file with mode 0600, refusing to overwrite.
pub fn write_key(path: &Path, signer: &Signer) -> anyhow::Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .with_context(|| format!("creating {} (it must not exist)", path.display()))?;
    writeln!(f, "{}", signer.to_private_text())
        .and_then(|()| f.sync_all())
        .with_context(|| format!("writing {}", path.display()))
}

/// Reads a private key file.
pub fn read_key(path: &Path) -> anyhow::Result<Signer> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Signer::parse(&text).with_context(|| format!("{}", path.display()))
}

fn print_hashes(out: &mut String, hashes: &[truce_merkle::Hash]) {
    for h in hashes {
        out.push_str(&B64.encode(h));
        out.push('\n');
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut out;
    match args.command {
        Command::Keygen {
            name,
            out: path,
            cosigner,
        } => {
            let ty = if cosigner {
                SigType::CosignatureV1
            } else {
                SigType::Ed25519
            };
            let signer = Signer::generate(&name, ty).context("generating the key")?;
            write_key(&path, &signer)?;
            out = format!("{}\n", signer.verifier());
        }
        Command::Vkey { data, key } => {
            let v = match key {
                Some(k) => read_key(&k)?.verifier(),
                None => {
                    let store = data.open()?;
                    truce_ingest::store_sink::log_signer(&*store)
                        .context("getting the store's log key")?
                        .verifier()
                }
            };
            out = format!("{v}\n");
        }
        Command::Checkpoint { data } => {
            let store = data.open()?;
            let (_, bytes) = checkpoint(&*store)?;
            out = String::from_utf8(bytes).context("checkpoint is not UTF-8")?;
        }
        Command::Entry { n, data } => {
            let store = data.open()?;
            let (cp, _) = checkpoint(&*store)?;
            let e = truce_tlog::read_entry(&StoreLog(&*store), n, cp.size)
                .with_context(|| format!("reading entry {n}"))?;
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&e)?;
            stdout.write_all(b"\n")?;
            return Ok(ExitCode::SUCCESS);
        }
        Command::Proof { kind } => match kind {
            ProofKind::Inclusion { n, size, data } => {
                let store = data.open()?;
                let (cp, _) = checkpoint(&*store)?;
                let size = size.unwrap_or(cp.size);
                if size > cp.size {
                    bail!("--size {size} is beyond the log's size {}", cp.size);
                }
                let log = StoreLog(&*store);
                let entry = truce_tlog::read_entry(&log, n, size)
                    .with_context(|| format!("reading entry {n}"))?;
                let proof = truce_tlog::prove_inclusion(&log, n, size)?;
                let root = truce_tlog::tree_root(&log, size)?;
                let leaf = truce_merkle::leaf_hash(&entry);
                truce_merkle::verify_inclusion(n, size, &leaf, &proof, &root)
                    .context("the proof computed from the store does not verify")?;
                out = format!(
                    "index {n}\nsize {size}\nroot {}\nleaf {}\n",
                    B64.encode(root),
                    B64.encode(leaf)
                );
                print_hashes(&mut out, &proof);
            }
            ProofKind::Consistency { a, b, data } => {
                let store = data.open()?;
                let (cp, _) = checkpoint(&*store)?;
                if b > cp.size || a > b {
                    bail!(
                        "need A <= B <= {} (the log's size); got {a} and {b}",
                        cp.size
                    );
                }
                let log = StoreLog(&*store);
                let proof = truce_tlog::prove_consistency(&log, a, b)?;
                let (ra, rb) = (
                    truce_tlog::tree_root(&log, a)?,
                    truce_tlog::tree_root(&log, b)?,
                );
                truce_merkle::verify_consistency(a, b, &proof, &ra, &rb)
                    .context("the proof computed from the store does not verify")?;
                // The old size line and proof lines of a tlog-witness add-checkpoint body.
                out = format!("old {a}\n");
                print_hashes(&mut out, &proof);
            }
        },
        Command::Publish { out: dir, data } => {
            let store = data.open()?;
            let (cp, _) = checkpoint(&*store)?;
            let stats = truce_tlog::publish(&StoreLog(&*store), &dir)
                .with_context(|| format!("publishing to {}", dir.display()))?;
            // Check what was written, as a reader will.
            let v = store_verifier(&*store)?;
            let note = std::fs::read(dir.join("checkpoint"))?;
            Note::open(&note, &[v]).context("the published checkpoint does not verify")?;
            out = format!(
                "published {} entries of {} to {}: {} tiles and {} entry bundles written, {} already there\n",
                stats.size,
                cp.origin,
                dir.display(),
                stats.tiles_written,
                stats.bundles_written,
                stats.skipped
            );
        }
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}
