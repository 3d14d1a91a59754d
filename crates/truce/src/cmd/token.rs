//! `truce token`: API tokens. A token is printed once; the store keeps only its SHA-256.

use std::process::ExitCode;

use anyhow::Context;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(clap::Subcommand)]
pub enum Command {
    /// Create a token and print it (once).
    Create {
        /// public, monitor, analyst or admin.
        #[arg(long)]
        role: String,
        /// A note saying whose token it is.
        #[arg(long, default_value = "")]
        label: String,
        #[arg(long, value_name = "DIR", conflicts_with = "db")]
        data: Option<String>,
        #[arg(long, value_name = "URL")]
        db: Option<String>,
    },
    /// List tokens (id, role, label, created, revoked; never the tokens).
    List {
        #[arg(long, value_name = "DIR", conflicts_with = "db")]
        data: Option<String>,
        #[arg(long, value_name = "URL")]
        db: Option<String>,
    },
    /// Revoke a token by id.
    Revoke {
        id: i64,
        #[arg(long, value_name = "DIR", conflicts_with = "db")]
        data: Option<String>,
        #[arg(long, value_name = "URL")]
        db: Option<String>,
    },
}

fn author() -> String {
    format!(
        "cli:{}",
        std::env::var("USER").unwrap_or_else(|_| "unknown".into())
    )
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Create {
            role,
            label,
            data,
            db,
        } => {
            let role: truce_server::Role =
                role.parse().map_err(|e| anyhow::anyhow!("--role: {e}"))?;
            let store = truce_store::open(&super::serve::location(data.as_deref(), db.as_deref()))
                .context("opening the store")?;
            let token = truce_server::auth::generate_token()
                .map_err(|e| anyhow::anyhow!("drawing a random token: {e}"))?;
            let row = store
                .put_token(
                    &author(),
                    &truce_server::auth::hash_token(&token),
                    truce_server::handlers::store_role(role),
                    &label,
                )
                .context("storing the token's hash")?;
            eprintln!(
                "token #{} ({role}{}) created; it is shown once, only its SHA-256 is stored:",
                row.id,
                if label.is_empty() {
                    String::new()
                } else {
                    format!(", {label}")
                }
            );
            println!("{token}");
        }
        Command::List { data, db } => {
            let store = truce_store::open(&super::serve::location(data.as_deref(), db.as_deref()))
                .context("opening the store")?;
            for t in store.tokens().context("listing tokens")? {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    t.id,
                    t.role,
                    t.label,
                    t.created_at,
                    t.revoked_at
                        .map(|r| format!("revoked {r}"))
                        .unwrap_or_default()
                );
            }
        }
        Command::Revoke { id, data, db } => {
            let store = truce_store::open(&super::serve::location(data.as_deref(), db.as_deref()))
                .context("opening the store")?;
            if !store.revoke_token(&author(), id).context("revoking")? {
                anyhow::bail!("no active token #{id}");
            }
            eprintln!("token #{id} revoked");
        }
    }
    Ok(ExitCode::SUCCESS)
}
