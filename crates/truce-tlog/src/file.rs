//! [`FileStorage`]: a durable, file-backed [`LogStorage`] (one append-only data file, one fsync
//! per batch). Each batch is a run of tile and bundle records closed by a checkpoint record that
//! carries the SHA-256 of the batch's bytes; on open, a torn or corrupt tail after the last good
//! checkpoint record is cut off, so a crash never leaves a half-applied batch.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read as _, Write as _};
use std::os::unix::fs::FileExt as _;
use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

use crate::storage::{AppendBatch, LogStorage, StorageError, tile_prefix};
use crate::tile::{EntryBundleId, TileId, bundle_prefix};

const MAGIC: &[u8; 10] = b"TRUCELOG1\n";
const KIND_TILE: u8 = 1;
const KIND_BUNDLE: u8 = 2;
const KIND_CHECKPOINT: u8 = 3;
const HEADER: usize = 1 + 1 + 8 + 2 + 4;

/// A log kept in one append-only file.
#[derive(Debug)]
pub struct FileStorage {
    path: PathBuf,
    file: File,
    len: u64,
    size: u64,
    tiles: HashMap<(u8, u64), (u64, u32)>,
    bundles: HashMap<u64, (u64, u32)>,
    checkpoint: Option<Vec<u8>>,
}

fn io_err(path: &Path, e: std::io::Error) -> StorageError {
    StorageError::Backend(format!("{}: {e}", path.display()).into())
}

fn header(kind: u8, level: u8, index: u64, width: u16, len: usize) -> [u8; HEADER] {
    let mut h = [0u8; HEADER];
    h[0] = kind;
    h[1] = level;
    h[2..10].copy_from_slice(&index.to_be_bytes());
    h[10..12].copy_from_slice(&width.to_be_bytes());
    h[12..16].copy_from_slice(&(len as u32).to_be_bytes());
    h
}

impl FileStorage {
    /// Opens (or creates) the log file at `path`, dropping any torn tail.
    pub fn open(path: &Path) -> Result<Self, StorageError> {
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(|e| io_err(path, e))?;
        // One sequencer per file: a second opener fails instead of interleaving batches.
        file.try_lock().map_err(|e| {
            StorageError::Backend(
                format!("{}: locked by another process ({e})", path.display()).into(),
            )
        })?;
        let mut data = Vec::new();
        file.read_to_end(&mut data).map_err(|e| io_err(path, e))?;
        if data.len() < MAGIC.len() && MAGIC.starts_with(&data) {
            // A new file torn while its header was written.
            file.set_len(0).map_err(|e| io_err(path, e))?;
            data.clear();
        }
        if data.is_empty() {
            file.write_all(MAGIC).map_err(|e| io_err(path, e))?;
            file.sync_all().map_err(|e| io_err(path, e))?;
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                File::open(dir)
                    .and_then(|d| d.sync_all())
                    .map_err(|e| io_err(dir, e))?;
            }
            data.extend_from_slice(MAGIC);
        } else if !data.starts_with(MAGIC) {
            return Err(StorageError::Corrupt(format!(
                "{} is not a truce log file (bad magic)",
                path.display()
            )));
        }
        let mut s = FileStorage {
            path: path.to_path_buf(),
            file,
            len: MAGIC.len() as u64,
            size: 0,
            tiles: HashMap::new(),
            bundles: HashMap::new(),
            checkpoint: None,
        };
        let good = s.scan(&data);
        if good < data.len() as u64 {
            s.file.set_len(good).map_err(|e| io_err(path, e))?;
            s.file.sync_all().map_err(|e| io_err(path, e))?;
        }
        s.len = good;
        Ok(s)
    }

    /// Replays records; returns the end offset of the last complete, intact batch.
    fn scan(&mut self, data: &[u8]) -> u64 {
        let mut pos = MAGIC.len();
        let mut batch_start = pos;
        let mut good = pos;
        let mut tiles = Vec::new();
        let mut bundles = Vec::new();
        while let Some(h) = data.get(pos..pos + HEADER) {
            let kind = h[0];
            let level = h[1];
            let index = u64::from_be_bytes(h[2..10].try_into().unwrap_or_default());
            let len = u32::from_be_bytes(h[12..16].try_into().unwrap_or_default()) as usize;
            let body = pos + HEADER;
            let Some(payload) = data.get(body..body + len) else {
                break;
            };
            match kind {
                KIND_TILE => tiles.push(((level, index), (body as u64, len as u32))),
                KIND_BUNDLE => bundles.push((index, (body as u64, len as u32))),
                KIND_CHECKPOINT => {
                    if len < 32 {
                        break;
                    }
                    let (digest, note) = payload.split_at(32);
                    let actual: [u8; 32] = Sha256::digest(&data[batch_start..pos]).into();
                    if digest != actual {
                        break;
                    }
                    self.tiles.extend(tiles.drain(..));
                    self.bundles.extend(bundles.drain(..));
                    self.checkpoint = Some(note.to_vec());
                    self.size = index;
                    good = body + len;
                    batch_start = good;
                }
                _ => break,
            }
            pos = body + len;
        }
        good as u64
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn read_at(&self, off: u64, len: u32) -> Result<Vec<u8>, StorageError> {
        let mut buf = vec![0u8; len as usize];
        self.file
            .read_exact_at(&mut buf, off)
            .map_err(|e| io_err(&self.path, e))?;
        Ok(buf)
    }
}

impl LogStorage for FileStorage {
    fn append(&mut self, batch: &AppendBatch<'_>) -> Result<(), StorageError> {
        if batch.old_size != self.size {
            return Err(StorageError::Conflict {
                expected: batch.old_size,
                actual: self.size,
            });
        }
        let mut buf = Vec::new();
        let mut tiles = Vec::new();
        let mut bundles = Vec::new();
        for t in &batch.tiles {
            buf.extend_from_slice(&header(
                KIND_TILE,
                t.id.level,
                t.id.index,
                t.id.width,
                t.data.len(),
            ));
            let off = self.len + buf.len() as u64;
            tiles.push(((t.id.level, t.id.index), (off, t.data.len() as u32)));
            buf.extend_from_slice(&t.data);
        }
        for b in &batch.bundles {
            buf.extend_from_slice(&header(
                KIND_BUNDLE,
                0,
                b.id.index,
                b.id.width,
                b.data.len(),
            ));
            let off = self.len + buf.len() as u64;
            bundles.push((b.id.index, (off, b.data.len() as u32)));
            buf.extend_from_slice(&b.data);
        }
        let digest: [u8; 32] = Sha256::digest(&buf).into();
        buf.extend_from_slice(&header(
            KIND_CHECKPOINT,
            0,
            batch.new_size,
            0,
            32 + batch.checkpoint.len(),
        ));
        buf.extend_from_slice(&digest);
        buf.extend_from_slice(&batch.checkpoint);
        let written = self
            .file
            .write_all(&buf)
            .and_then(|()| self.file.sync_data());
        if let Err(e) = written {
            // Cut back whatever part of the batch reached the file.
            let _ = self.file.set_len(self.len);
            return Err(io_err(&self.path, e));
        }
        self.len += buf.len() as u64;
        self.tiles.extend(tiles);
        self.bundles.extend(bundles);
        self.checkpoint = Some(batch.checkpoint.clone());
        self.size = batch.new_size;
        Ok(())
    }

    fn read_tile(&self, id: TileId) -> Result<Option<Vec<u8>>, StorageError> {
        match self.tiles.get(&(id.level, id.index)) {
            None => Ok(None),
            Some(&(off, len)) => tile_prefix(&self.read_at(off, len)?, id.width).map(Some),
        }
    }

    fn read_entry_bundle(&self, id: EntryBundleId) -> Result<Option<Vec<u8>>, StorageError> {
        match self.bundles.get(&id.index) {
            None => Ok(None),
            Some(&(off, len)) => {
                let data = self.read_at(off, len)?;
                bundle_prefix(&data, id.width)
                    .map(|d| Some(d.to_vec()))
                    .map_err(|e| StorageError::Corrupt(e.to_string()))
            }
        }
    }

    fn latest_checkpoint(&self) -> Result<Option<Vec<u8>>, StorageError> {
        Ok(self.checkpoint.clone())
    }
}
