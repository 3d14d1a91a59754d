//! The PostgreSQL driver, on the synchronous `postgres` crate.
//!
//! The `postgres` client runs its own single-threaded tokio runtime: it must never be called
//! on a thread of another tokio runtime (it panics there). Async callers use
//! `tokio::task::spawn_blocking`.

use std::collections::HashMap;
use std::error::Error as _;

use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, NoTls, Statement};

use crate::error::{DbErr, DbErrKind};
use crate::sql::{Conn, Row, Value, numbered_placeholders};

pub(crate) struct PgConn {
    c: Client,
    cache: HashMap<String, Statement>,
}

impl PgConn {
    pub(crate) fn open(url: &str) -> Result<Self, DbErr> {
        let c = Client::connect(url, NoTls).map_err(map_err)?;
        Ok(PgConn {
            c,
            cache: HashMap::new(),
        })
    }

    fn prepare(&mut self, sql: &str) -> Result<Statement, DbErr> {
        if let Some(st) = self.cache.get(sql) {
            return Ok(st.clone());
        }
        let st = self
            .c
            .prepare(&numbered_placeholders(sql))
            .map_err(map_err)?;
        if self.cache.len() > 512 {
            self.cache.clear();
        }
        self.cache.insert(sql.to_string(), st.clone());
        Ok(st)
    }
}

pub(crate) fn map_err(e: postgres::Error) -> DbErr {
    let (kind, message) = match e.as_db_error() {
        Some(db) => {
            let code = db.code().code();
            let kind = if code.starts_with("23") {
                DbErrKind::Constraint
            } else if matches!(code, "55P03" | "40P01" | "40001" | "57014") {
                DbErrKind::Locked
            } else {
                DbErrKind::Other
            };
            let mut m = format!("{} (SQLSTATE {code})", db.message());
            if let Some(d) = db.detail() {
                m.push_str(": ");
                m.push_str(d);
            }
            (kind, m)
        }
        None => {
            let mut m = e.to_string();
            let mut src = e.source();
            while let Some(s) = src {
                m.push_str(": ");
                m.push_str(&s.to_string());
                src = s.source();
            }
            (DbErrKind::Other, m)
        }
    };
    DbErr { kind, message }
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => {
                if *ty == Type::INT4 {
                    i32::try_from(*i)?.to_sql(ty, out)
                } else if *ty == Type::INT2 {
                    i16::try_from(*i)?.to_sql(ty, out)
                } else if *ty == Type::INT8 {
                    i.to_sql(ty, out)
                } else {
                    Err(format!("integer given for a {ty} parameter").into())
                }
            }
            Value::Real(f) => {
                if *ty == Type::FLOAT8 {
                    f.to_sql(ty, out)
                } else {
                    Err(format!("float given for a {ty} parameter").into())
                }
            }
            Value::Text(s) => s.as_str().to_sql(ty, out),
            Value::Blob(b) => b.as_slice().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

fn column(row: &postgres::Row, i: usize) -> Result<Value, DbErr> {
    let ty = row.columns()[i].type_().clone();
    let get_err = |e: postgres::Error| DbErr::other(format!("column {i}: {e}"));
    Ok(if ty == Type::INT8 {
        row.try_get::<_, Option<i64>>(i)
            .map_err(get_err)?
            .map_or(Value::Null, Value::Int)
    } else if ty == Type::INT4 {
        row.try_get::<_, Option<i32>>(i)
            .map_err(get_err)?
            .map_or(Value::Null, |v| Value::Int(v.into()))
    } else if ty == Type::INT2 {
        row.try_get::<_, Option<i16>>(i)
            .map_err(get_err)?
            .map_or(Value::Null, |v| Value::Int(v.into()))
    } else if ty == Type::BOOL {
        row.try_get::<_, Option<bool>>(i)
            .map_err(get_err)?
            .map_or(Value::Null, |v| Value::Int(v.into()))
    } else if ty == Type::FLOAT8 {
        row.try_get::<_, Option<f64>>(i)
            .map_err(get_err)?
            .map_or(Value::Null, Value::Real)
    } else if ty == Type::BYTEA {
        row.try_get::<_, Option<Vec<u8>>>(i)
            .map_err(get_err)?
            .map_or(Value::Null, Value::Blob)
    } else if ty == Type::TEXT || ty == Type::VARCHAR || ty == Type::NAME || ty == Type::BPCHAR {
        row.try_get::<_, Option<String>>(i)
            .map_err(get_err)?
            .map_or(Value::Null, Value::Text)
    } else if ty == Type::VOID {
        Value::Null
    } else {
        return Err(DbErr::other(format!(
            "column {i} has unsupported type {ty}"
        )));
    })
}

impl Conn for PgConn {
    fn exec(&mut self, sql: &str, params: &[Value]) -> Result<u64, DbErr> {
        let st = self.prepare(sql)?;
        let p: Vec<&(dyn ToSql + Sync)> = params.iter().map(|v| v as _).collect();
        self.c.execute(&st, &p).map_err(map_err)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbErr> {
        let st = self.prepare(sql)?;
        let p: Vec<&(dyn ToSql + Sync)> = params.iter().map(|v| v as _).collect();
        let rows = self.c.query(&st, &p).map_err(map_err)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let mut row = Vec::with_capacity(r.len());
            for i in 0..r.len() {
                row.push(column(r, i)?);
            }
            out.push(row);
        }
        Ok(out)
    }

    fn script(&mut self, sql: &str) -> Result<(), DbErr> {
        self.c.batch_execute(sql).map_err(map_err)
    }

    fn healthy(&self) -> bool {
        !self.c.is_closed()
    }
}
