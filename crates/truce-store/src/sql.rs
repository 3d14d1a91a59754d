//! The seam between the store's logic and the two drivers: a dynamic [`Value`], a [`Conn`] that
//! runs portable SQL (placeholders written `?`), and a small connection [`Pool`].

use std::sync::{Mutex, MutexGuard};

use crate::error::DbErr;

/// One SQL value, as both backends spell it: BIGINT/INTEGER, DOUBLE PRECISION/REAL, TEXT,
/// BYTEA/BLOB or NULL.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Real(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}
impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Self {
        Value::Blob(v)
    }
}
impl From<&[u8]> for Value {
    fn from(v: &[u8]) -> Self {
        Value::Blob(v.to_vec())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// A result row: values in select order.
pub(crate) type Row = Vec<Value>;

/// A database connection running portable SQL: `?` placeholders in order (rewritten to `$n` for
/// PostgreSQL), no string literal containing `?`.
pub(crate) trait Conn: Send + 'static {
    /// Runs one statement; returns the number of rows changed.
    fn exec(&mut self, sql: &str, params: &[Value]) -> Result<u64, DbErr>;
    /// Runs one query; returns every row.
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbErr>;
    /// Runs several statements without parameters (migrations, BEGIN/COMMIT).
    fn script(&mut self, sql: &str) -> Result<(), DbErr>;
    /// False once the connection is unusable (it is then dropped instead of pooled).
    fn healthy(&self) -> bool;
}

/// A connection factory.
pub(crate) type Opener<C> = Box<dyn Fn() -> Result<C, DbErr> + Send + Sync>;

/// A minimal pool: idle connections kept for reuse, new ones opened on demand.
pub(crate) struct Pool<C: Conn> {
    idle: Mutex<Vec<C>>,
    open: Opener<C>,
    max_idle: usize,
}

impl<C: Conn> Pool<C> {
    pub(crate) fn new(open: Opener<C>, max_idle: usize) -> Self {
        Pool {
            idle: Mutex::new(Vec::new()),
            open,
            max_idle,
        }
    }

    /// Puts an already opened connection in the pool.
    pub(crate) fn give(&self, c: C) {
        lock(&self.idle).push(c);
    }

    pub(crate) fn get(&self) -> Result<Lease<'_, C>, DbErr> {
        let pooled = lock(&self.idle).pop();
        let conn = match pooled {
            Some(c) => c,
            None => (self.open)()?,
        };
        Ok(Lease {
            conn: Some(conn),
            pool: self,
        })
    }
}

/// Locks a mutex, ignoring poisoning (the data guarded here stays consistent on panic).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A connection borrowed from a [`Pool`]; returned on drop when healthy.
pub(crate) struct Lease<'a, C: Conn> {
    conn: Option<C>,
    pool: &'a Pool<C>,
}

impl<C: Conn> Lease<'_, C> {
    pub(crate) fn conn(&mut self) -> Result<&mut C, DbErr> {
        self.conn
            .as_mut()
            .ok_or_else(|| DbErr::other("connection already released"))
    }

    /// Drops the connection instead of pooling it.
    pub(crate) fn discard(&mut self) {
        self.conn = None;
    }
}

impl<C: Conn> Drop for Lease<'_, C> {
    fn drop(&mut self) {
        if let Some(c) = self.conn.take()
            && c.healthy()
        {
            let mut idle = lock(&self.pool.idle);
            if idle.len() < self.pool.max_idle {
                idle.push(c);
            }
        }
    }
}

/// Rewrites `?` placeholders to `$1, $2, ...` (PostgreSQL).
pub(crate) fn numbered_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    for ch in sql.chars() {
        if ch == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(ch);
        }
    }
    out
}
