//! Opening a store: creating the database, applying numbered migrations, setting up the pool.

use std::path::{Path, PathBuf};

use crate::core::{Db, Dialect, Kind, SqlStore, now_ms};
use crate::error::{Result, StoreError};
use crate::pg::PgConn;
use crate::sql::{Conn, Pool, Value};
use crate::sqlite::SqliteConn;
use crate::{Options, Store};

/// A backend, for listing its migrations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

type Migration = (u32, &'static str, &'static str);

const SQLITE: &[Migration] = &[(
    1,
    "0001_init.sql",
    include_str!("../migrations/sqlite/0001_init.sql"),
)];

const POSTGRES: &[Migration] = &[(
    1,
    "0001_init.sql",
    include_str!("../migrations/postgres/0001_init.sql"),
)];

/// The migrations compiled in for a backend: (version, file name under
/// `migrations/<backend>/`).
pub fn migrations(backend: Backend) -> Vec<(u32, &'static str)> {
    let list = match backend {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    };
    list.iter().map(|m| (m.0, m.1)).collect()
}

/// FNV-1a: a stable hash for advisory lock keys (the same in every truce build).
fn stable_key(s: &str) -> i64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h as i64
}

/// Applies the missing migrations in one transaction. Returns the version reached.
fn migrate(db: &mut Db<'_>, kind: Kind, schema: &str) -> Result<u32> {
    let (list, begin, int) = match kind {
        Kind::Sqlite => (SQLITE, "BEGIN IMMEDIATE", "INTEGER"),
        Kind::Postgres => (POSTGRES, "BEGIN", "BIGINT"),
    };
    let known = list.last().map_or(0, |m| m.0);
    db.script(|| "begin migration".to_string(), begin)?;
    let r = (|| -> Result<u32> {
        if kind == Kind::Postgres {
            // Two processes opening a fresh database at once: one migrates, the other waits.
            db.query(
                || "take the migration lock".to_string(),
                "SELECT pg_advisory_xact_lock(?)",
                &[Value::Int(stable_key(&format!("truce-migrate/{schema}")))],
            )?;
        }
        db.script(
            || "create schema_version".to_string(),
            &format!(
                "CREATE TABLE IF NOT EXISTS schema_version (version {int} PRIMARY KEY, name TEXT NOT NULL, applied_at {int} NOT NULL)"
            ),
        )?;
        let rows = db.query(
            || "read schema version".to_string(),
            "SELECT COALESCE(MAX(version), 0) FROM schema_version",
            &[],
        )?;
        let current = match rows.first().and_then(|r| r.first()) {
            Some(Value::Int(v)) => u32::try_from(*v).unwrap_or(u32::MAX),
            v => {
                return Err(StoreError::corrupt(
                    "schema_version",
                    format!("version is {v:?}"),
                ));
            }
        };
        if current > known {
            return Err(StoreError::SchemaTooNew {
                store: db.name.to_string(),
                found: current,
                known,
            });
        }
        for &(version, name, sql) in list.iter().filter(|m| m.0 > current) {
            db.c.script(sql).map_err(|e| StoreError::Migration {
                store: db.name.to_string(),
                version,
                name: name.to_string(),
                message: e.message,
            })?;
            db.exec(
                || format!("record migration {version}"),
                "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                &[
                    Value::Int(version.into()),
                    name.into(),
                    Value::Int(now_ms()),
                ],
            )?;
        }
        Ok(known)
    })();
    match r {
        Ok(v) => {
            db.script(|| "commit migration".to_string(), "COMMIT")?;
            Ok(v)
        }
        Err(e) => {
            let _ = db.c.script("ROLLBACK");
            Err(e)
        }
    }
}

pub(crate) fn open_sqlite(dir: &Path, opts: &Options) -> Result<Box<dyn Store>> {
    std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
        what: "create data directory".to_string(),
        path: dir.to_path_buf(),
        source,
    })?;
    let path = dir.join("truce.db");
    let name = format!("SQLite database {}", path.display());
    let busy = opts.busy_timeout;
    let mut first = SqliteConn::open(&path, busy).map_err(|e| StoreError::Open {
        store: name.clone(),
        message: e.message,
    })?;
    migrate(
        &mut Db {
            failed: None,
            c: &mut first,
            name: &name,
        },
        Kind::Sqlite,
        "main",
    )?;
    let p = path.clone();
    let pool = Pool::new(Box::new(move || SqliteConn::open(&p, busy)), opts.pool_size);
    pool.give(first);
    let key_path = opts.log_key.clone().unwrap_or_else(|| dir.join("log.key"));
    Ok(Box::new(SqlStore {
        name,
        pool,
        dialect: Dialect {
            kind: Kind::Sqlite,
            log_lock_key: 0,
        },
        key_path,
    }))
}

fn pg_name(url: &str) -> Result<String> {
    let cfg: postgres::Config = url.parse().map_err(|e| StoreError::Open {
        store: "PostgreSQL database".to_string(),
        message: format!("bad URL: {e}"),
    })?;
    let host = cfg
        .get_hosts()
        .first()
        .map(|h| match h {
            postgres::config::Host::Tcp(s) => s.clone(),
            postgres::config::Host::Unix(p) => p.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".to_string());
    let db = cfg
        .get_dbname()
        .or(cfg.get_user())
        .unwrap_or("postgres")
        .to_string();
    Ok(format!("PostgreSQL database {db} on {host}"))
}

fn open_pg_conn(url: &str, lock_timeout_ms: u128) -> Result<PgConn, crate::error::DbErr> {
    let mut c = PgConn::open(url)?;
    c.script(&format!("SET lock_timeout = '{lock_timeout_ms}ms'"))?;
    Ok(c)
}

pub(crate) fn open_postgres(url: &str, opts: &Options) -> Result<Box<dyn Store>> {
    let name = pg_name(url)?;
    let ms = opts.busy_timeout.as_millis().max(1);
    let mut first = open_pg_conn(url, ms).map_err(|e| StoreError::Open {
        store: name.clone(),
        message: e.message,
    })?;
    let rows = first
        .query("SELECT current_schema()", &[])
        .map_err(|e| e.ctx(&name, "read current schema"))?;
    let schema = match rows.first().and_then(|r| r.first()) {
        Some(Value::Text(s)) => s.clone(),
        _ => {
            return Err(StoreError::Open {
                store: name,
                message: "no schema in search_path exists (create it, or fix the URL's options=-csearch_path=...)".to_string(),
            });
        }
    };
    migrate(
        &mut Db {
            failed: None,
            c: &mut first,
            name: &name,
        },
        Kind::Postgres,
        &schema,
    )?;
    let u = url.to_string();
    let pool = Pool::new(Box::new(move || open_pg_conn(&u, ms)), opts.pool_size);
    pool.give(first);
    let key_path = opts
        .log_key
        .clone()
        .or_else(|| std::env::var_os("TRUCE_LOG_KEY").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("truce-data").join("log.key"));
    Ok(Box::new(SqlStore {
        name,
        pool,
        dialect: Dialect {
            kind: Kind::Postgres,
            log_lock_key: stable_key(&format!("truce-log/{schema}")),
        },
        key_path,
    }))
}
