//! The SQLite driver: one file in WAL mode, `synchronous=FULL`, foreign keys on, a busy timeout,
//! a 64 MiB page cache and reads through a 256 MiB memory map.

use std::path::Path;
use std::time::Duration;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::error::{DbErr, DbErrKind};
use crate::sql::{Conn, Row, Value};

pub(crate) struct SqliteConn {
    c: Connection,
    healthy: bool,
}

impl SqliteConn {
    pub(crate) fn open(path: &Path, busy: Duration) -> Result<Self, DbErr> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let c = Connection::open_with_flags(path, flags).map_err(map_err)?;
        c.busy_timeout(busy).map_err(map_err)?;
        c.set_prepared_statement_cache_capacity(256);
        let mode: String = c
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(map_err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(DbErr::other(format!(
                "cannot switch to WAL journal mode (got {mode:?})"
            )));
        }
        c.execute_batch(
            "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;",
        )
        .map_err(map_err)?;
        Ok(SqliteConn { c, healthy: true })
    }
}

fn map_err(e: rusqlite::Error) -> DbErr {
    let kind = match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => DbErrKind::Locked,
        Some(ErrorCode::ConstraintViolation) => DbErrKind::Constraint,
        _ => DbErrKind::Other,
    };
    DbErr {
        kind,
        message: e.to_string(),
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(i) => ValueRef::Integer(*i),
            Value::Real(f) => ValueRef::Real(*f),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

fn from_ref(v: ValueRef<'_>) -> Result<Value, DbErr> {
    Ok(match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Text(t) => Value::Text(
            std::str::from_utf8(t)
                .map_err(|e| DbErr::other(format!("stored text is not UTF-8: {e}")))?
                .to_string(),
        ),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    })
}

impl Conn for SqliteConn {
    fn exec(&mut self, sql: &str, params: &[Value]) -> Result<u64, DbErr> {
        let mut st = self.c.prepare_cached(sql).map_err(map_err)?;
        let n = st
            .execute(rusqlite::params_from_iter(params.iter()))
            .map_err(map_err)?;
        Ok(n as u64)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbErr> {
        let mut st = self.c.prepare_cached(sql).map_err(map_err)?;
        let n = st.column_count();
        let mut rows = st
            .query(rusqlite::params_from_iter(params.iter()))
            .map_err(map_err)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(map_err)? {
            let mut row = Vec::with_capacity(n);
            for i in 0..n {
                row.push(from_ref(r.get_ref(i).map_err(map_err)?)?);
            }
            out.push(row);
        }
        Ok(out)
    }

    fn script(&mut self, sql: &str) -> Result<(), DbErr> {
        let r = self.c.execute_batch(sql).map_err(map_err);
        if r.is_err() && !self.c.is_autocommit() && sql.trim() == "COMMIT" {
            // A failed COMMIT leaves the transaction open: the connection must not be reused.
            self.healthy = false;
        }
        r
    }

    fn healthy(&self) -> bool {
        self.healthy
    }
}
