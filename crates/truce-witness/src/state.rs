//! The witness's per-origin state: the size and root it last cosigned.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use sha2::{Digest as _, Sha256};
use truce_merkle::Hash;

/// A state store failure.
#[derive(Debug, thiserror::Error)]
#[error("witness state {path}: {message}")]
pub struct StateError {
    /// The file.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

/// Where a witness keeps the latest checkpoint it cosigned per origin.
pub trait WitnessState {
    /// `(size, root)` last cosigned for `origin`.
    fn get(&self, origin: &str) -> Result<Option<(u64, Hash)>, StateError>;
    /// Records `(size, root)` for `origin`, durably, before returning.
    fn put(&mut self, origin: &str, size: u64, root: &Hash) -> Result<(), StateError>;
}

/// In-memory state (tests).
#[derive(Debug, Default)]
pub struct MemoryState(HashMap<String, (u64, Hash)>);

impl WitnessState for MemoryState {
    fn get(&self, origin: &str) -> Result<Option<(u64, Hash)>, StateError> {
        Ok(self.0.get(origin).copied())
    }
    fn put(&mut self, origin: &str, size: u64, root: &Hash) -> Result<(), StateError> {
        self.0.insert(origin.to_string(), (size, *root));
        Ok(())
    }
}

/// State in a directory: one file per origin (named by the SHA-256 of the origin), holding
/// `origin\nsize\nbase64 root\n`, replaced atomically (write, fsync, rename, fsync dir).
#[derive(Debug)]
pub struct DirState {
    dir: PathBuf,
}

impl DirState {
    /// Opens (creating) the state directory.
    pub fn open(dir: &Path) -> Result<Self, StateError> {
        std::fs::create_dir_all(dir).map_err(|e| StateError {
            path: dir.display().to_string(),
            message: e.to_string(),
        })?;
        Ok(DirState {
            dir: dir.to_path_buf(),
        })
    }

    fn file(&self, origin: &str) -> PathBuf {
        let h = Sha256::digest(origin.as_bytes());
        let name: String = h[..16].iter().map(|b| format!("{b:02x}")).collect();
        self.dir.join(name)
    }
}

impl WitnessState for DirState {
    fn get(&self, origin: &str) -> Result<Option<(u64, Hash)>, StateError> {
        let path = self.file(origin);
        let err = |message: String| StateError {
            path: path.display().to_string(),
            message,
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(err(e.to_string())),
        };
        let mut lines = text.lines();
        let (Some(o), Some(size), Some(root)) = (lines.next(), lines.next(), lines.next()) else {
            return Err(err("truncated state file".into()));
        };
        if o != origin {
            return Err(err(format!("holds origin {o:?}, expected {origin:?}")));
        }
        let size = size
            .parse()
            .map_err(|_| err(format!("bad size {size:?}")))?;
        let root: Hash = B64
            .decode(root)
            .ok()
            .and_then(|r| r.try_into().ok())
            .ok_or_else(|| err("bad root".into()))?;
        Ok(Some((size, root)))
    }

    fn put(&mut self, origin: &str, size: u64, root: &Hash) -> Result<(), StateError> {
        let path = self.file(origin);
        let err = |e: std::io::Error| StateError {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        let tmp = path.with_extension("tmp");
        let mut f = std::fs::File::create(&tmp).map_err(err)?;
        f.write_all(format!("{origin}\n{size}\n{}\n", B64.encode(root)).as_bytes())
            .and_then(|()| f.sync_all())
            .map_err(err)?;
        std::fs::rename(&tmp, &path).map_err(err)?;
        std::fs::File::open(&self.dir)
            .and_then(|d| d.sync_all())
            .map_err(err)?;
        Ok(())
    }
}
