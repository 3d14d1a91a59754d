//! Typed errors. Every error names the store it came from and the operation that failed.

use std::path::PathBuf;

/// A storage failure. `what` names the operation (and the row) that failed; `store` names the
/// database ("SQLite database ./truce-data/truce.db", "PostgreSQL database truce at 127.0.0.1").
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The store could not be opened or created.
    #[error("cannot open {store}: {message}")]
    Open { store: String, message: String },
    /// A file or directory next to the store (data dir, log key) failed.
    #[error("{what} {}: {source}", path.display())]
    Io {
        what: String,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Another writer holds the database (SQLite busy, PostgreSQL lock timeout or deadlock).
    #[error(
        "{what}: {store} is locked by another writer ({message}); nothing was written, retry when the other process finishes"
    )]
    Locked {
        store: String,
        what: String,
        message: String,
    },
    /// A row broke a constraint (a record for a document that is not stored, a duplicate...).
    #[error("{what}: {store} refused it: {message}")]
    Constraint {
        store: String,
        what: String,
        message: String,
    },
    /// Any other database failure.
    #[error("{what}: {store} failed: {message}")]
    Database {
        store: String,
        what: String,
        message: String,
    },
    /// A migration failed; the schema stays at the version before it.
    #[error("{store}: migration {version} ({name}) failed: {message}")]
    Migration {
        store: String,
        version: u32,
        name: String,
        message: String,
    },
    /// The database was migrated by a newer truce.
    #[error(
        "{store} has schema version {found}, newer than this truce knows ({known}); upgrade truce"
    )]
    SchemaTooNew {
        store: String,
        found: u32,
        known: u32,
    },
    /// A caller handed the store a value it cannot hold.
    #[error("bad input: {field}: {message}")]
    BadInput { field: String, message: String },
    /// A query the listing cannot answer (a filter it does not support, a bad limit).
    #[error("bad query for {listing}: {message}")]
    BadQuery {
        listing: &'static str,
        message: String,
    },
    /// A pagination cursor that this store did not hand out.
    #[error("bad cursor {cursor:?} for {listing}: {message}")]
    BadCursor {
        listing: &'static str,
        cursor: String,
        message: String,
    },
    /// A stored row that does not parse back (edited by hand, or a bug).
    #[error("{what}: stored row is corrupt: {message}")]
    Corrupt { what: String, message: String },
    /// The log signing key is missing, unreadable or does not match the log.
    #[error("log key {}: {message}", path.display())]
    LogKey { path: PathBuf, message: String },
}

impl StoreError {
    pub(crate) fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        StoreError::BadInput {
            field: field.into(),
            message: message.into(),
        }
    }

    pub(crate) fn corrupt(what: impl Into<String>, message: impl Into<String>) -> Self {
        StoreError::Corrupt {
            what: what.into(),
            message: message.into(),
        }
    }

    /// True when the failure is another writer holding the database: retrying later may work.
    pub fn is_locked(&self) -> bool {
        matches!(self, StoreError::Locked { .. })
    }
}

/// What kind of failure a driver reported (before the operation's context is added).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DbErrKind {
    Locked,
    Constraint,
    Other,
}

/// A driver error without context; [`DbErr::ctx`] turns it into a [`StoreError`].
#[derive(Debug, Clone)]
pub(crate) struct DbErr {
    pub kind: DbErrKind,
    pub message: String,
}

impl DbErr {
    pub(crate) fn other(message: impl Into<String>) -> Self {
        DbErr {
            kind: DbErrKind::Other,
            message: message.into(),
        }
    }

    pub(crate) fn ctx(self, store: &str, what: impl Into<String>) -> StoreError {
        let (store, what, message) = (store.to_string(), what.into(), self.message);
        match self.kind {
            DbErrKind::Locked => StoreError::Locked {
                store,
                what,
                message,
            },
            DbErrKind::Constraint => StoreError::Constraint {
                store,
                what,
                message,
            },
            DbErrKind::Other => StoreError::Database {
                store,
                what,
                message,
            },
        }
    }
}

/// The crate's result type.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
