//! `truce serve`: the HTTP API, the log (C2SP tlog-tiles) and the dashboard.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;

#[derive(clap::Args)]
pub struct Args {
    /// Data directory of the embedded (SQLite) store.
    #[arg(long, value_name = "DIR", conflicts_with = "db")]
    pub data: Option<String>,
    /// PostgreSQL URL (postgres://...).
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Largest request body in bytes (413 beyond).
    #[arg(long, default_value_t = 64 * 1024)]
    pub body_limit: usize,
    /// Requests per second allowed per token (sustained).
    #[arg(long, default_value_t = 20.0)]
    pub rate: f64,
    /// Burst allowed per token.
    #[arg(long, default_value_t = 60)]
    pub burst: u32,
    /// Requests per second allowed per client address without a token (sustained; IPv6 by /64).
    #[arg(long, default_value_t = 100.0)]
    pub anon_rate: f64,
    /// Burst allowed per client address without a token.
    #[arg(long, default_value_t = 300)]
    pub anon_burst: u32,
    /// How long anonymous API reads may be answered from memory, in milliseconds (0: never).
    #[arg(long, default_value_t = 1000)]
    pub cache_ms: u64,
    /// Worker threads of the runtime (default: one per core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Store calls allowed at once (the rest wait their turn instead of opening connections).
    #[arg(long, default_value_t = 16)]
    pub store_concurrency: usize,
}

/// The store a `--data`/`--db` pair names (default `./truce-data`).
pub fn location(data: Option<&str>, db: Option<&str>) -> truce_store::Location {
    match (data, db) {
        (_, Some(url)) => truce_store::Location::parse(url),
        (Some(dir), None) => truce_store::Location::Sqlite(dir.into()),
        (None, None) => truce_store::Location::default_data_dir(),
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let loc = location(args.data.as_deref(), args.db.as_deref());
    let store = truce_store::open(&loc).context("opening the store")?;
    let config = truce_server::Config {
        body_limit: args.body_limit,
        rate_per_s: args.rate,
        burst: args.burst,
        anon_rate_per_s: args.anon_rate,
        anon_burst: args.anon_burst,
        cache_ttl: std::time::Duration::from_millis(args.cache_ms),
        store_concurrency: args.store_concurrency,
    };
    serve_store(Arc::from(store), args.addr, config, args.threads)
}

/// Serves a store (API, log, dashboard; reports through the ingest pipeline) until Ctrl-C,
/// printing the URL first. `truce demo --serve` can call it after filling its store:
/// `serve_store(store, "127.0.0.1:8080".parse()?, Default::default(), None)`.
pub fn serve_store(
    store: Arc<dyn truce_store::Store>,
    addr: SocketAddr,
    config: truce_server::Config,
    threads: Option<usize>,
) -> anyhow::Result<ExitCode> {
    let state = truce_server::AppState::new(store, config);
    let args_addr = addr;
    let mut rt = tokio::runtime::Builder::new_multi_thread();
    rt.enable_all();
    if let Some(n) = threads {
        rt.worker_threads(n.max(1));
    }
    let rt = rt.build().context("starting the runtime")?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args_addr)
            .await
            .with_context(|| format!("binding {args_addr}"))?;
        let addr = listener.local_addr()?;
        println!("truce: serving http://{addr}/ (API at http://{addr}/api/v1/openapi.json)");
        truce_server::serve(listener, state)
            .await
            .context("serving")?;
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}
