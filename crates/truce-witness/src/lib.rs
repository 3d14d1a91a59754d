//! A C2SP tlog-witness: keeps, per log origin, the latest checkpoint it cosigned, and serves
//! `POST /add-checkpoint`, cosigning (tlog-cosignature, timestamped Ed25519) only checkpoints
//! consistent with that state. State is persisted (fsync) before any cosignature leaves.
//!
//! Invariant: this crate knows no tiles and no storage of logs; it sees checkpoints, proofs and
//! its own per-origin state.

mod http;
mod state;

use std::collections::HashMap;
use std::sync::Mutex;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use truce_merkle::{Hash, empty_root, verify_consistency};
use truce_note::{Checkpoint, Note, Signer, Verifier, signature_line};

pub use http::{router, serve};
pub use state::{DirState, MemoryState, StateError, WitnessState};

/// Most consistency proof lines a request may carry (tlog-witness).
pub const MAX_PROOF_LINES: usize = 63;

/// A refused `add-checkpoint`: the HTTP status and a message (for 409, the body is the size).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddError {
    /// 400: malformed request or old size above the checkpoint size.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// 403: no valid signature by a trusted key, or a trusted key's signature fails.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// 404: unknown origin.
    #[error("unknown log origin {0:?}")]
    UnknownLog(String),
    /// 409: the old size is not the size last cosigned (carried here).
    #[error("old size {given} does not match the latest cosigned size {latest}")]
    Conflict {
        /// Size the client sent.
        given: u64,
        /// Size last cosigned.
        latest: u64,
    },
    /// 422: bad consistency proof, non-empty proof from size 0, equal sizes with different
    /// roots, or a size-0 checkpoint without the empty root.
    #[error("unprocessable: {0}")]
    Unprocessable(String),
    /// 500: the state could not be persisted.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AddError {
    /// The HTTP status code the spec assigns.
    pub fn status(&self) -> u16 {
        match self {
            AddError::BadRequest(_) => 400,
            AddError::Forbidden(_) => 403,
            AddError::UnknownLog(_) => 404,
            AddError::Conflict { .. } => 409,
            AddError::Unprocessable(_) => 422,
            AddError::Internal(_) => 500,
        }
    }
}

/// A parsed `add-checkpoint` request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddRequest {
    /// The old size line.
    pub old_size: u64,
    /// The consistency proof lines.
    pub proof: Vec<Hash>,
    /// The signed checkpoint note (bytes).
    pub checkpoint: Vec<u8>,
}

impl AddRequest {
    /// Parses `old N\n`, proof lines, an empty line, then the checkpoint.
    pub fn parse(body: &[u8]) -> Result<AddRequest, AddError> {
        let bad = |m: String| AddError::BadRequest(m);
        let mut pos = 0usize;
        let mut next_line = |what: &str| -> Result<&[u8], AddError> {
            let rest = &body[pos..];
            let end = rest
                .iter()
                .position(|&b| b == b'\n')
                .ok_or_else(|| bad(format!("{what}: missing newline")))?;
            pos += end + 1;
            Ok(&rest[..end])
        };
        let first = next_line("old size line")?;
        let first =
            std::str::from_utf8(first).map_err(|_| bad("old size line is not UTF-8".into()))?;
        let n = first
            .strip_prefix("old ")
            .ok_or_else(|| bad(format!("line 1 {first:?} is not `old <size>`")))?;
        if n.is_empty()
            || !n.bytes().all(|b| b.is_ascii_digit())
            || (n.len() > 1 && n.starts_with('0'))
        {
            return Err(bad(format!(
                "line 1: old size {n:?} is not a decimal without leading zeroes"
            )));
        }
        let old_size: u64 = n
            .parse()
            .map_err(|_| bad(format!("line 1: old size {n} does not fit in 64 bits")))?;
        let mut proof = Vec::new();
        loop {
            let line_no = proof.len() + 2;
            let l = next_line("proof")?;
            if l.is_empty() {
                break;
            }
            if proof.len() == MAX_PROOF_LINES {
                return Err(bad(format!("more than {MAX_PROOF_LINES} proof lines")));
            }
            let raw = B64
                .decode(l)
                .map_err(|e| bad(format!("line {line_no}: proof hash is not base64: {e}")))?;
            let h: Hash = raw.as_slice().try_into().map_err(|_| {
                bad(format!(
                    "line {line_no}: proof hash has {} bytes, expected 32",
                    raw.len()
                ))
            })?;
            proof.push(h);
        }
        Ok(AddRequest {
            old_size,
            proof,
            checkpoint: body[pos..].to_vec(),
        })
    }

    /// The request body.
    pub fn to_body(&self) -> Vec<u8> {
        let mut out = format!("old {}\n", self.old_size).into_bytes();
        for h in &self.proof {
            out.extend_from_slice(B64.encode(h).as_bytes());
            out.push(b'\n');
        }
        out.push(b'\n');
        out.extend_from_slice(&self.checkpoint);
        out
    }
}

/// The logs a witness trusts: origin -> verifier keys.
#[derive(Debug, Clone, Default)]
pub struct LogList {
    logs: HashMap<String, Vec<Verifier>>,
}

impl LogList {
    /// Parses a log list: one log per line, `<vkey>` (origin = key name) or
    /// `<origin> <vkey> [<vkey>...]`; `#` starts a comment.
    pub fn parse(text: &str) -> Result<LogList, String> {
        let mut logs: HashMap<String, Vec<Verifier>> = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let parts: Vec<&str> = line.split_whitespace().collect();
            let (origin, keys) = if parts.len() == 1 {
                (None, &parts[..])
            } else {
                (Some(parts[0]), &parts[1..])
            };
            for k in keys {
                let v = Verifier::parse(k).map_err(|e| format!("line {}: {e}", i + 1))?;
                let origin = origin.unwrap_or(v.name()).to_string();
                logs.entry(origin).or_default().push(v);
            }
        }
        Ok(LogList { logs })
    }

    /// Adds a log.
    pub fn add(&mut self, origin: &str, verifier: Verifier) {
        self.logs
            .entry(origin.to_string())
            .or_default()
            .push(verifier);
    }

    /// Number of logs.
    pub fn len(&self) -> usize {
        self.logs.len()
    }

    /// Whether no log is trusted.
    pub fn is_empty(&self) -> bool {
        self.logs.is_empty()
    }
}

/// A witness: its cosigning key, the logs it trusts, and its state.
pub struct Witness {
    signer: Signer,
    logs: LogList,
    state: Mutex<Box<dyn WitnessState + Send>>,
}

impl std::fmt::Debug for Witness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Witness({}, {} logs)",
            self.signer.name(),
            self.logs.len()
        )
    }
}

impl Witness {
    /// A witness cosigning with `signer` (a `SigType::CosignatureV1` key).
    pub fn new(signer: Signer, logs: LogList, state: Box<dyn WitnessState + Send>) -> Self {
        Witness {
            signer,
            logs,
            state: Mutex::new(state),
        }
    }

    /// The witness's verifier key (type 0x04).
    pub fn verifier(&self) -> Verifier {
        self.signer.verifier()
    }

    /// Handles an `add-checkpoint` body at time `now` (POSIX seconds): on success, the
    /// cosignature line(s) to return.
    pub fn add_checkpoint(&self, body: &[u8], now: u64) -> Result<String, AddError> {
        let req = AddRequest::parse(body)?;
        let note = Note::parse(&req.checkpoint)
            .map_err(|e| AddError::BadRequest(format!("checkpoint: {e}")))?;
        let cp = Checkpoint::parse(&note.text)
            .map_err(|e| AddError::BadRequest(format!("checkpoint: {e}")))?;
        let verifiers = self
            .logs
            .logs
            .get(&cp.origin)
            .ok_or_else(|| AddError::UnknownLog(cp.origin.clone()))?;
        let note = note
            .verify(verifiers)
            .map_err(|e| AddError::Forbidden(e.to_string()))?
            .note;
        if req.old_size > cp.size {
            return Err(AddError::BadRequest(format!(
                "old size {} is above the checkpoint size {}",
                req.old_size, cp.size
            )));
        }
        // Check against the state and persist atomically (one lock for both).
        let mut state = self
            .state
            .lock()
            .map_err(|_| AddError::Internal("witness state lock poisoned".into()))?;
        let latest = state
            .get(&cp.origin)
            .map_err(|e| AddError::Internal(e.to_string()))?;
        let (latest_size, latest_root) = latest.unwrap_or((0, empty_root()));
        if req.old_size != latest_size {
            return Err(AddError::Conflict {
                given: req.old_size,
                latest: latest_size,
            });
        }
        if cp.size == 0 && cp.root != empty_root() {
            return Err(AddError::Unprocessable(
                "a checkpoint of size 0 must have the empty tree's root".into(),
            ));
        }
        if req.old_size == 0 {
            if !req.proof.is_empty() {
                return Err(AddError::Unprocessable(
                    "the consistency proof from size 0 must be empty".into(),
                ));
            }
        } else if req.old_size == cp.size {
            if cp.root != latest_root {
                return Err(AddError::Unprocessable(format!(
                    "size {} was cosigned with another root",
                    cp.size
                )));
            }
            if !req.proof.is_empty() {
                return Err(AddError::Unprocessable(
                    "the consistency proof between equal sizes must be empty".into(),
                ));
            }
        } else {
            verify_consistency(req.old_size, cp.size, &req.proof, &latest_root, &cp.root)
                .map_err(|e| AddError::Unprocessable(format!("consistency proof: {e}")))?;
        }
        if cp.size > latest_size || latest.is_none() {
            state
                .put(&cp.origin, cp.size, &cp.root)
                .map_err(|e| AddError::Internal(e.to_string()))?;
        }
        drop(state);
        let mut cosigned = Note {
            text: note.text,
            signatures: Vec::new(),
        };
        // The spec forbids a zero timestamp.
        cosigned
            .add_signature(&self.signer, now.max(1))
            .map_err(|e| AddError::Internal(e.to_string()))?;
        Ok(cosigned.signatures.iter().map(signature_line).collect())
    }
}
