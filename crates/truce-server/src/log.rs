//! The log as C2SP tlog-tiles serves it: `/checkpoint` and `/tile/...`, readable by any
//! tlog-tiles client and mirrorable as static files.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use truce_tlog::{EntryBundleId, LogStorage, StorageError, TileId};

use crate::AppState;
use crate::error::ApiError;
use crate::tiles::{self, TilePath};

/// Read access to a log's tiles, bundles and checkpoint (any [`LogStorage`] that is shareable).
pub trait LogRead: Send + Sync {
    fn tile(&self, path: TilePath) -> Result<Option<Vec<u8>>, StorageError>;
    fn checkpoint(&self) -> Result<Option<Vec<u8>>, StorageError>;
}

impl<T: LogStorage + Send + Sync> LogRead for T {
    fn tile(&self, path: TilePath) -> Result<Option<Vec<u8>>, StorageError> {
        match path {
            TilePath::Hash {
                level,
                index,
                width,
            } => self.read_tile(TileId {
                level,
                index,
                width,
            }),
            TilePath::Entries { index, width } => {
                self.read_entry_bundle(EntryBundleId { index, width })
            }
        }
    }
    fn checkpoint(&self) -> Result<Option<Vec<u8>>, StorageError> {
        self.latest_checkpoint()
    }
}

/// Full tiles and bundles never change; a partial tile's path also names exactly one content.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The checkpoint moves: clients may cache it a few seconds at most.
const CHECKPOINT_CACHE: &str = "public, max-age=5";

pub(crate) async fn checkpoint(State(st): State<AppState>) -> Result<Response, ApiError> {
    let log = Arc::clone(&st.log);
    let cp = tokio::task::spawn_blocking(move || log.checkpoint())
        .await
        .map_err(ApiError::store)?
        .map_err(ApiError::store)?
        .ok_or_else(|| ApiError::NotFound("checkpoint (the log is empty)".into()))?;
    let mut resp = (StatusCode::OK, cp).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(CHECKPOINT_CACHE),
    );
    Ok(resp)
}

pub(crate) async fn tile(
    State(st): State<AppState>,
    Path(path): Path<String>,
) -> Result<Response, ApiError> {
    let t = tiles::parse(&path).ok_or_else(|| ApiError::NotFound(format!("tile {path:?}")))?;
    let log = Arc::clone(&st.log);
    let data = tokio::task::spawn_blocking(move || log.tile(t))
        .await
        .map_err(ApiError::store)?
        .map_err(ApiError::store)?
        .ok_or_else(|| ApiError::NotFound(format!("tile {}", t.to_path())))?;
    let mut resp = (StatusCode::OK, data).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    Ok(resp)
}
