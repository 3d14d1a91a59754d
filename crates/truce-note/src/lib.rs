//! C2SP signed notes (Ed25519), checkpoints (tlog-checkpoint) and timestamped Ed25519
//! cosignatures (tlog-cosignature): parse, verify, sign, with clear errors.
//!
//! Invariant: this crate knows no storage, no network and no tiles; it turns text and keys into
//! verified notes and back.

mod checkpoint;
mod keys;
mod note;

pub use checkpoint::{Checkpoint, CheckpointError};
pub use keys::{KeyError, SigType, Signer, Verifier, key_id};
pub use note::{
    MAX_NOTE_SIZE, MAX_SIGNATURES, Note, NoteError, NoteSignature, Verified, signature_line,
};
