//! `truce witness --key FILE --logs FILE --state DIR --addr 127.0.0.1:PORT`: a C2SP
//! tlog-witness serving `POST /add-checkpoint`, cosigning only consistent checkpoints.
//!
//! The key is a cosigner key (`truce log keygen --cosigner`); the logs file lists trusted logs,
//! one per line: `<vkey>` (origin = key name) or `<origin> <vkey>...`, `#` comments.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context as _, bail};
use truce_note::SigType;
use truce_witness::{DirState, LogList, Witness};

#[derive(clap::Args)]
pub struct Args {
    /// The witness's private key (made by `truce log keygen --cosigner`).
    #[arg(long)]
    key: PathBuf,
    /// The trusted logs file.
    #[arg(long)]
    logs: PathBuf,
    /// Directory for the per-origin state (created).
    #[arg(long)]
    state: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:7380")]
    addr: String,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let signer = super::log::read_key(&args.key)?;
    if signer.sig_type() != SigType::CosignatureV1 {
        bail!(
            "{} is a log key (type 0x01); a witness needs a cosigner key: truce log keygen --cosigner",
            args.key.display()
        );
    }
    let text = std::fs::read_to_string(&args.logs)
        .with_context(|| format!("reading {}", args.logs.display()))?;
    let logs =
        LogList::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", args.logs.display()))?;
    if logs.is_empty() {
        bail!("{}: no trusted logs listed", args.logs.display());
    }
    let state = DirState::open(&args.state)?;
    let witness = Arc::new(Witness::new(signer, logs, Box::new(state)));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the runtime")?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(&args.addr)
            .await
            .with_context(|| format!("listening on {}", args.addr))?;
        let addr = listener.local_addr()?;
        println!(
            "truce: witness {} on http://{addr}/add-checkpoint",
            witness.verifier()
        );
        truce_witness::serve(listener, witness)
            .await
            .context("serving")?;
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}
