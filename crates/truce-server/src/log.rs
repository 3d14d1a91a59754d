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

/// Whether a tree of `size` leaves holds the tile `path` at (at least) its width.
pub fn reachable(path: TilePath, size: u64) -> bool {
    let have = match path {
        TilePath::Hash { level, index, .. } => TileId::in_tree(level, index, size).map(|t| t.width),
        TilePath::Entries { index, .. } => EntryBundleId::in_tree(index, size).map(|b| b.width),
    };
    have.is_some_and(|w| w >= path.width())
}

impl<T: LogStorage + Send + Sync> LogRead for T {
    fn tile(&self, path: TilePath) -> Result<Option<Vec<u8>>, StorageError> {
        let size = truce_tlog::stored_size(self).map_err(StorageError::backend)?;
        if !reachable(path, size) {
            return Ok(None);
        }
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

/// The log as the store keeps it (the widest version of each tile and bundle).
pub struct StoreLog(pub Arc<dyn truce_store::Store>);

impl LogRead for StoreLog {
    fn tile(&self, path: TilePath) -> Result<Option<Vec<u8>>, StorageError> {
        let size = self.0.log_size().map_err(StorageError::backend)?;
        if !reachable(path, size) {
            return Ok(None);
        }
        match path {
            TilePath::Hash {
                level,
                index,
                width,
            } => {
                let Some(data) = self.0.tile(level, index).map_err(StorageError::backend)? else {
                    return Ok(None);
                };
                if data.len() < usize::from(width) * 32 {
                    return Ok(None);
                }
                truce_tlog::tile_prefix(&data, width).map(Some)
            }
            TilePath::Entries { index, width } => {
                let Some(data) = self.0.entry_bundle(index).map_err(StorageError::backend)? else {
                    return Ok(None);
                };
                // A bundle narrower than asked for is not there yet.
                match truce_tlog::tile::bundle_prefix(&data, width) {
                    Ok(p) => Ok(Some(p.to_vec())),
                    Err(_) => Ok(None),
                }
            }
        }
    }
    fn checkpoint(&self) -> Result<Option<Vec<u8>>, StorageError> {
        self.0.checkpoint().map_err(StorageError::backend)
    }
}

/// Full tiles and bundles never change; a partial tile's path also names exactly one content.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The checkpoint moves: clients may cache it a few seconds at most.
const CHECKPOINT_CACHE: &str = "public, max-age=5";

pub(crate) async fn checkpoint(State(st): State<AppState>) -> Result<Response, ApiError> {
    let log = Arc::clone(&st.log);
    let cp = crate::on_store(&st, move || log.checkpoint())
        .await?
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
    let data = crate::on_store(&st, move || log.tile(t))
        .await?
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
