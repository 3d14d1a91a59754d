//! Two caches that keep reads cheap:
//!
//! - [`Immutable`]: documents and their coded records, which never change once stored (a
//!   document's id is its content hash), kept in memory without expiry (bounded in size);
//! - [`Responses`]: a micro-cache of whole answers to anonymous `GET /api/v1/...` requests,
//!   kept for a short time-to-live (`Config::cache_ttl`) and dropped on every write this server
//!   makes. Other writers (ingest processes) become visible within the TTL. A TTL of zero turns
//!   it off.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};

/// Entries kept before a cache is emptied and refilled.
const MAX_ENTRIES: usize = 20_000;

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// A bounded map of values that never change.
pub struct Immutable<V> {
    map: Mutex<HashMap<String, V>>,
}

impl<V: Clone> Default for Immutable<V> {
    fn default() -> Self {
        Immutable {
            map: Mutex::new(HashMap::new()),
        }
    }
}

impl<V: Clone> Immutable<V> {
    pub fn get(&self, key: &str) -> Option<V> {
        lock(&self.map).get(key).cloned()
    }

    pub fn put(&self, key: &str, value: V) {
        let mut m = lock(&self.map);
        if m.len() >= MAX_ENTRIES {
            m.clear();
        }
        m.insert(key.to_string(), value);
    }
}

/// A cached answer.
#[derive(Clone)]
pub struct Cached {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
    at: Instant,
}

/// Whole answers by request URI, for a short time.
pub struct Responses {
    ttl: Duration,
    map: Mutex<HashMap<String, Cached>>,
}

impl Responses {
    pub fn new(ttl: Duration) -> Self {
        Responses {
            ttl,
            map: Mutex::new(HashMap::new()),
        }
    }

    pub fn enabled(&self) -> bool {
        !self.ttl.is_zero()
    }

    pub fn get(&self, uri: &str) -> Option<Cached> {
        let m = lock(&self.map);
        m.get(uri).filter(|c| c.at.elapsed() < self.ttl).cloned()
    }

    pub fn put(&self, uri: &str, status: StatusCode, headers: HeaderMap, body: Bytes) {
        let mut m = lock(&self.map);
        if m.len() >= MAX_ENTRIES {
            m.clear();
        }
        m.insert(
            uri.to_string(),
            Cached {
                status,
                headers,
                body,
                at: Instant::now(),
            },
        );
    }

    /// Forgets everything (after a write).
    pub fn clear(&self) {
        lock(&self.map).clear();
    }
}
