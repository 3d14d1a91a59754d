//! The log's signing key: a C2SP signed-note private key file (`PRIVATE+KEY+name+hash+base64`)
//! beside the data, mode 0600, created on first use; the database records its path and verifier
//! key so that a second process (or machine) with a different key is refused instead of forking
//! the log under another signature.

use std::io::Write;
use std::path::Path;

use truce_note::{SigType, Signer};

use crate::error::{Result, StoreError};
use crate::rows::LogKeyRow;

/// The origin (key name) given to a newly generated log key.
pub const DEFAULT_LOG_ORIGIN: &str = "truce.local/log";

fn key_err(path: &Path, message: impl Into<String>) -> StoreError {
    StoreError::LogKey {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Reads the key file, refusing one that others can read.
fn read_key(path: &Path) -> Result<Signer> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(path).map_err(|e| key_err(path, e.to_string()))?;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(key_err(
                path,
                format!("is readable by other users (mode {mode:o}); run chmod 600 on it"),
            ));
        }
    }
    let text = std::fs::read_to_string(path).map_err(|e| key_err(path, e.to_string()))?;
    Signer::parse(&text).map_err(|e| key_err(path, format!("not a signed-note private key: {e}")))
}

/// Writes a new key file (mode 0600); `Ok(false)` if another process created it first.
fn create_key(path: &Path, signer: &Signer) -> Result<bool> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| key_err(path, e.to_string()))?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = match opts.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => return Err(key_err(path, e.to_string())),
    };
    let text = signer.to_private_text();
    f.write_all(text.as_bytes())
        .and_then(|()| f.write_all(b"\n"))
        .and_then(|()| f.sync_all())
        .map_err(|e| key_err(path, e.to_string()))?;
    Ok(true)
}

/// Loads the key at `path`, creating it (named `origin`) when neither the file nor a recorded
/// verifier exists; checks it against `recorded`. Returns the signer and the row to record
/// when none was.
pub(crate) fn load_or_create(
    path: &Path,
    origin: &str,
    recorded: Option<&LogKeyRow>,
) -> Result<(Signer, Option<LogKeyRow>)> {
    let signer = if path.exists() {
        read_key(path)?
    } else if let Some(r) = recorded {
        return Err(key_err(
            path,
            format!(
                "does not exist, but the log is signed by {} (key recorded at {}); copy that key here or point TRUCE_LOG_KEY / --log-key at it",
                r.verifier, r.path
            ),
        ));
    } else {
        let s = Signer::generate(origin, SigType::Ed25519)
            .map_err(|e| key_err(path, format!("cannot generate a key named {origin:?}: {e}")))?;
        if create_key(path, &s)? {
            s
        } else {
            read_key(path)?
        }
    };
    let verifier = signer.verifier().to_string();
    match recorded {
        Some(r) if r.verifier != verifier => Err(key_err(
            path,
            format!(
                "holds the key of {verifier}, but this log is signed by {} (recorded at {})",
                r.verifier, r.path
            ),
        )),
        Some(_) => Ok((signer, None)),
        None => Ok((
            signer,
            Some(LogKeyRow {
                path: path.display().to_string(),
                verifier,
            }),
        )),
    }
}
