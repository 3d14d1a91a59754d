//! `truce verify` (placeholder until its library lands).

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`truce verify` is not built yet")
}
