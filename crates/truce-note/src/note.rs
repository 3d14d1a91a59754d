//! The signed-note format: text, a blank line, signature lines `— name base64(id || sig)`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;

use crate::keys::{Signer, Verifier, check_name};

/// Largest note accepted, in bytes.
pub const MAX_NOTE_SIZE: usize = 1 << 20;
/// Most signature lines accepted (the spec requires at least 16).
pub const MAX_SIGNATURES: usize = 100;

/// Why a note is rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    /// Too big.
    #[error("note is {0} bytes, more than the {MAX_NOTE_SIZE}-byte limit")]
    TooLarge(usize),
    /// Not UTF-8.
    #[error("note is not valid UTF-8 (byte {0})")]
    NotUtf8(usize),
    /// A control character other than newline.
    #[error("note line {line}: control character U+{code:04X} is not allowed")]
    ControlChar {
        /// 1-based line.
        line: usize,
        /// The character.
        code: u32,
    },
    /// Structural problem.
    #[error("malformed note: {0}")]
    Malformed(String),
    /// A bad signature line.
    #[error("note line {line}: bad signature line: {reason}")]
    BadSignatureLine {
        /// 1-based line.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// More signatures than accepted.
    #[error("note has more than {MAX_SIGNATURES} signatures")]
    TooManySignatures,
    /// A known key's signature fails to verify.
    #[error("signature by known key {name}+{id:08x} does not verify: {reason}")]
    BadSignature {
        /// Key name.
        name: String,
        /// Key ID.
        id: u32,
        /// Why.
        reason: String,
    },
    /// No signature by any of the given keys.
    #[error("note has no signature by a known key (known: {known})")]
    NoKnownSignature {
        /// The keys tried, comma-separated.
        known: String,
    },
    /// A signer name signed-note forbids.
    #[error("cannot sign: {0}")]
    Key(#[from] crate::keys::KeyError),
}

/// One signature line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSignature {
    /// Key name.
    pub name: String,
    /// Key ID.
    pub id: u32,
    /// Signature bytes after the key ID.
    pub sig: Vec<u8>,
}

/// A parsed (not yet verified) signed note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The text, ending in a newline.
    pub text: String,
    /// The signature lines in order.
    pub signatures: Vec<NoteSignature>,
}

/// A note with at least one verified signature by a known key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The note.
    pub note: Note,
    /// `(index into note.signatures, cosignature timestamp)` of each verified signature.
    pub verified: Vec<(usize, Option<u64>)>,
}

impl Note {
    /// Parses a signed note.
    pub fn parse(bytes: &[u8]) -> Result<Note, NoteError> {
        if bytes.len() > MAX_NOTE_SIZE {
            return Err(NoteError::TooLarge(bytes.len()));
        }
        let s = std::str::from_utf8(bytes).map_err(|e| NoteError::NotUtf8(e.valid_up_to()))?;
        let mut line = 1;
        for c in s.chars() {
            if c == '\n' {
                line += 1;
            } else if (c as u32) < 0x20 || c == '\u{7f}' {
                return Err(NoteError::ControlChar {
                    line,
                    code: c as u32,
                });
            }
        }
        if !s.ends_with('\n') {
            return Err(NoteError::Malformed("does not end with a newline".into()));
        }
        let split = s.rfind("\n\n").ok_or_else(|| {
            NoteError::Malformed("no blank line between the text and the signatures".into())
        })?;
        let text = &s[..split + 1];
        let sigs = &s[split + 2..];
        let first_sig_line = text.matches('\n').count() + 2;
        let mut signatures = Vec::new();
        for (i, l) in sigs.split_terminator('\n').enumerate() {
            let line = first_sig_line + i;
            if signatures.len() == MAX_SIGNATURES {
                return Err(NoteError::TooManySignatures);
            }
            signatures.push(
                parse_sig_line(l).map_err(|reason| NoteError::BadSignatureLine { line, reason })?,
            );
        }
        if signatures.is_empty() {
            return Err(NoteError::Malformed("no signature lines".into()));
        }
        Ok(Note {
            text: text.to_string(),
            signatures,
        })
    }

    /// Parses and verifies: signatures by unknown keys are ignored, a failing signature by a
    /// known key rejects the note, and at least one known signature must verify.
    pub fn open(bytes: &[u8], verifiers: &[Verifier]) -> Result<Verified, NoteError> {
        let note = Note::parse(bytes)?;
        note.verify(verifiers)
    }

    /// Verifies a parsed note (see [`Note::open`]).
    pub fn verify(self, verifiers: &[Verifier]) -> Result<Verified, NoteError> {
        let mut verified = Vec::new();
        for (i, s) in self.signatures.iter().enumerate() {
            let Some(v) = verifiers
                .iter()
                .find(|v| v.name() == s.name && v.id() == s.id)
            else {
                continue;
            };
            let ts = v
                .verify_raw(self.text.as_bytes(), &s.sig)
                .map_err(|reason| NoteError::BadSignature {
                    name: s.name.clone(),
                    id: s.id,
                    reason,
                })?;
            verified.push((i, ts));
        }
        if verified.is_empty() {
            let known = verifiers
                .iter()
                .map(|v| format!("{}+{:08x}", v.name(), v.id()))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(NoteError::NoKnownSignature { known });
        }
        Ok(Verified {
            note: self,
            verified,
        })
    }

    /// Signs a text (which must end in a newline and be a valid note text) with each signer;
    /// `timestamp` is used by cosigners.
    pub fn sign(text: &str, signers: &[&Signer], timestamp: u64) -> Result<Note, NoteError> {
        check_text(text)?;
        let mut note = Note {
            text: text.to_string(),
            signatures: Vec::new(),
        };
        for s in signers {
            note.add_signature(s, timestamp)?;
        }
        Ok(note)
    }

    /// Adds one signature (a cosignature, say) to the note.
    pub fn add_signature(&mut self, signer: &Signer, timestamp: u64) -> Result<(), NoteError> {
        check_name(signer.name())?;
        if self.signatures.len() == MAX_SIGNATURES {
            return Err(NoteError::TooManySignatures);
        }
        let sig = signer.sign_raw(self.text.as_bytes(), timestamp);
        self.signatures.push(NoteSignature {
            name: signer.name().to_string(),
            id: signer.id(),
            sig,
        });
        Ok(())
    }

    /// The signed note text: text, blank line, signature lines.
    pub fn to_text(&self) -> String {
        let mut out = self.text.clone();
        out.push('\n');
        for s in &self.signatures {
            out.push_str(&signature_line(s));
        }
        out
    }
}

/// One signature line, `— name base64(id || sig)\n`.
pub fn signature_line(s: &NoteSignature) -> String {
    let mut raw = s.id.to_be_bytes().to_vec();
    raw.extend_from_slice(&s.sig);
    format!("\u{2014} {} {}\n", s.name, B64.encode(raw))
}

fn check_text(text: &str) -> Result<(), NoteError> {
    if !text.ends_with('\n') {
        return Err(NoteError::Malformed(
            "text does not end with a newline".into(),
        ));
    }
    if text.contains("\n\n") || text.starts_with('\n') {
        // Allowed by the format, but a blank line in a signed text is ambiguous to readers that
        // split at the first blank line; truce never signs one.
        return Err(NoteError::Malformed("text contains a blank line".into()));
    }
    if let Some((i, c)) = text
        .char_indices()
        .find(|&(_, c)| c != '\n' && ((c as u32) < 0x20 || c == '\u{7f}'))
    {
        let line = text[..i].matches('\n').count() + 1;
        return Err(NoteError::ControlChar {
            line,
            code: c as u32,
        });
    }
    Ok(())
}

fn parse_sig_line(l: &str) -> Result<NoteSignature, String> {
    let rest = l
        .strip_prefix("\u{2014} ")
        .ok_or("does not start with an em dash and a space")?;
    let (name, b64) = rest
        .split_once(' ')
        .ok_or("expected a key name, a space and a signature")?;
    check_name(name).map_err(|e| e.to_string())?;
    let raw = B64
        .decode(b64)
        .map_err(|e| format!("signature is not base64: {e}"))?;
    if raw.len() < 5 {
        return Err(format!(
            "signature has {} bytes, fewer than a key ID and a signature",
            raw.len()
        ));
    }
    let id = u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]);
    Ok(NoteSignature {
        name: name.to_string(),
        id,
        sig: raw[4..].to_vec(),
    })
}
