//! `truce`: a thin command line over truce's libraries. Each subcommand lives in `cmd/<name>.rs`
//! and turns its library's typed errors into messages (anyhow lives only here).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;

/// mimalloc: `truce serve` spends a quarter less CPU per API read than with the system
/// allocator (measured by `cargo bench -p truce-server --bench wrk`, which runs on it too).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "truce",
    version,
    about = "A ceasefire monitor that no party has to trust"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Code texts into incidents and statements (Contract 1 JSON).
    Extract(cmd::extract::Args),
    /// Score the coder against hand-coded gold records.
    Eval(cmd::eval::Args),
    /// Validate and show agreements written as data.
    Agreements(cmd::agreements::Args),
    /// Code texts, merge events and check them against agreements.
    Check(cmd::check::Args),
    /// Work with a store's verifiable log: keys, checkpoints, entries, proofs, publishing.
    Log(cmd::log::Args),
    /// Verify a tlog-tiles log (or a store's log) and replay its verdicts.
    Verify(cmd::verify::Args),
    /// Run a tlog-witness that cosigns consistent checkpoints.
    Witness(cmd::witness::Args),
    /// Ingest texts, folders and JSONL into a store.
    Ingest(cmd::ingest::Args),
    /// Ingest the bundled example corpus and agreements and print the compliance report.
    Demo(cmd::demo::Args),
    /// Export events with verdicts as CSV, GeoJSON or JSON Lines.
    Export(cmd::export::Args),
    /// Serve the HTTP API, the log and the dashboard.
    Serve(cmd::serve::Args),
    /// Manage API tokens.
    Token(cmd::token::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(a) => cmd::extract::run(a),
        Command::Eval(a) => cmd::eval::run(a),
        Command::Agreements(a) => cmd::agreements::run(a),
        Command::Check(a) => cmd::check::run(a),
        Command::Log(a) => cmd::log::run(a),
        Command::Verify(a) => cmd::verify::run(a),
        Command::Witness(a) => cmd::witness::run(a),
        Command::Ingest(a) => cmd::ingest::run(a),
        Command::Demo(a) => cmd::demo::run(a),
        Command::Export(a) => cmd::export::run(a),
        Command::Serve(a) => cmd::serve::run(a),
        Command::Token(a) => cmd::token::run(a),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("truce: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
