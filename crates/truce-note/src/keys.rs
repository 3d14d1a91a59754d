//! Keys: Ed25519 note signers (type 0x01) and timestamped cosigners (type 0x04), their key IDs,
//! verifier keys `name+hash+base64` and signer keys `PRIVATE+KEY+name+hash+base64`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

/// A signature type byte (signed-note §Signature types). truce speaks two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SigType {
    /// 0x01: Ed25519 over the note text.
    Ed25519,
    /// 0x04: timestamped Ed25519 checkpoint cosignature (tlog-cosignature, `cosignature/v1`).
    CosignatureV1,
}

impl SigType {
    /// The identifier byte.
    pub fn byte(self) -> u8 {
        match self {
            SigType::Ed25519 => 0x01,
            SigType::CosignatureV1 => 0x04,
        }
    }

    fn from_byte(b: u8) -> Option<SigType> {
        match b {
            0x01 => Some(SigType::Ed25519),
            0x04 => Some(SigType::CosignatureV1),
            _ => None,
        }
    }
}

/// A malformed or unusable key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The text is not `name+hash+base64` (or `PRIVATE+KEY+name+hash+base64`).
    #[error("malformed {what} key: {reason}")]
    Malformed {
        /// "verifier" or "signer".
        what: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A key name that signed-note forbids.
    #[error("invalid key name {name:?}: {reason}")]
    BadName {
        /// The name.
        name: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// The key hash in the text does not match the name and key.
    #[error("key ID {given:08x} does not match the name and key (expected {expected:08x})")]
    IdMismatch {
        /// ID written in the key.
        given: u32,
        /// ID computed.
        expected: u32,
    },
    /// The randomness source failed.
    #[error("cannot generate a key: {0}")]
    Random(String),
}

/// Checks a key name: non-empty, no Unicode spaces, no `+`.
pub(crate) fn check_name(name: &str) -> Result<(), KeyError> {
    let bad = |reason| {
        Err(KeyError::BadName {
            name: name.to_string(),
            reason,
        })
    };
    if name.is_empty() {
        return bad("empty");
    }
    if name.contains('+') {
        return bad("contains '+'");
    }
    if name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad("contains a space or control character");
    }
    Ok(())
}

/// Key ID: the first 4 bytes, big-endian, of SHA-256(name || 0x0A || type || public key).
pub fn key_id(name: &str, ty: SigType, public_key: &[u8; 32]) -> u32 {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update([b'\n', ty.byte()]);
    h.update(public_key);
    let d = h.finalize();
    u32::from_be_bytes([d[0], d[1], d[2], d[3]])
}

/// A verifier key: name, key ID, type and Ed25519 public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verifier {
    name: String,
    id: u32,
    ty: SigType,
    key: VerifyingKey,
}

impl Verifier {
    /// A verifier from its parts (the key ID is computed).
    pub fn new(name: &str, ty: SigType, public_key: &[u8; 32]) -> Result<Self, KeyError> {
        check_name(name)?;
        let key = VerifyingKey::from_bytes(public_key).map_err(|e| KeyError::Malformed {
            what: "verifier",
            reason: format!("not an Ed25519 public key: {e}"),
        })?;
        Ok(Verifier {
            name: name.to_string(),
            id: key_id(name, ty, public_key),
            ty,
            key,
        })
    }

    /// Parses `name+hash+base64(type || key)`, splitting on the first two `+` only (base64 has
    /// `+` in its alphabet).
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        let text = text.trim();
        let bad = |reason: &str| KeyError::Malformed {
            what: "verifier",
            reason: reason.to_string(),
        };
        let mut parts = text.splitn(3, '+');
        let name = parts.next().unwrap_or("");
        let hash = parts
            .next()
            .ok_or_else(|| bad("expected name+hash+key, found no '+'"))?;
        let key = parts
            .next()
            .ok_or_else(|| bad("expected name+hash+key, found one '+'"))?;
        check_name(name)?;
        let given =
            parse_hash(hash).ok_or_else(|| bad("key hash is not 8 lowercase hex digits"))?;
        let raw = B64
            .decode(key)
            .map_err(|e| bad(&format!("key is not base64: {e}")))?;
        let (&ty, pk) = raw.split_first().ok_or_else(|| bad("key is empty"))?;
        let ty = SigType::from_byte(ty)
            .ok_or_else(|| bad(&format!("unsupported signature type 0x{ty:02x}")))?;
        let pk: [u8; 32] = pk
            .try_into()
            .map_err(|_| bad(&format!("Ed25519 key has {} bytes, expected 32", pk.len())))?;
        let v = Verifier::new(name, ty, &pk)?;
        if v.id != given {
            return Err(KeyError::IdMismatch {
                given,
                expected: v.id,
            });
        }
        Ok(v)
    }

    /// Key name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Key ID.
    pub fn id(&self) -> u32 {
        self.id
    }
    /// Signature type.
    pub fn sig_type(&self) -> SigType {
        self.ty
    }
    /// The raw public key.
    pub fn public_key(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    /// Verifies a signature (the bytes after the 4-byte key ID) over a note text. Returns the
    /// cosignature timestamp for type 0x04.
    pub(crate) fn verify_raw(&self, text: &[u8], sig: &[u8]) -> Result<Option<u64>, String> {
        match self.ty {
            SigType::Ed25519 => {
                let sig = Signature::from_slice(sig)
                    .map_err(|_| format!("signature has {} bytes, expected 64", sig.len()))?;
                self.key
                    .verify_strict(text, &sig)
                    .map_err(|_| "Ed25519 signature does not verify".to_string())?;
                Ok(None)
            }
            SigType::CosignatureV1 => {
                if sig.len() != 72 {
                    return Err(format!(
                        "cosignature has {} bytes, expected 72 (timestamp and Ed25519 signature)",
                        sig.len()
                    ));
                }
                let mut ts = [0u8; 8];
                ts.copy_from_slice(&sig[..8]);
                let ts = u64::from_be_bytes(ts);
                if ts > i64::MAX as u64 {
                    return Err("cosignature timestamp exceeds 2^63 - 1".into());
                }
                let s = Signature::from_slice(&sig[8..])
                    .map_err(|_| "malformed Ed25519 signature".to_string())?;
                let msg = cosignature_message(ts, text);
                self.key
                    .verify_strict(&msg, &s)
                    .map_err(|_| "cosignature does not verify".to_string())?;
                Ok(Some(ts))
            }
        }
    }
}

impl std::fmt::Display for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut raw = vec![self.ty.byte()];
        raw.extend_from_slice(self.key.as_bytes());
        write!(f, "{}+{:08x}+{}", self.name, self.id, B64.encode(raw))
    }
}

fn parse_hash(s: &str) -> Option<u32> {
    if s.len() != 8
        || !s
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return None;
    }
    u32::from_str_radix(s, 16).ok()
}

/// The message a `cosignature/v1` signs: header line, time line, then the note text.
pub(crate) fn cosignature_message(timestamp: u64, text: &[u8]) -> Vec<u8> {
    let mut m = format!("cosignature/v1\ntime {timestamp}\n").into_bytes();
    m.extend_from_slice(text);
    m
}

/// A signer: name, type and Ed25519 private key.
#[derive(Clone)]
pub struct Signer {
    name: String,
    id: u32,
    ty: SigType,
    key: SigningKey,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signer({}+{:08x})", self.name, self.id)
    }
}

impl Signer {
    /// A signer from a 32-byte Ed25519 seed.
    pub fn from_seed(name: &str, ty: SigType, seed: &[u8; 32]) -> Result<Self, KeyError> {
        check_name(name)?;
        let key = SigningKey::from_bytes(seed);
        let id = key_id(name, ty, key.verifying_key().as_bytes());
        Ok(Signer {
            name: name.to_string(),
            id,
            ty,
            key,
        })
    }

    /// A new random signer (seed from the operating system).
    pub fn generate(name: &str, ty: SigType) -> Result<Self, KeyError> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| KeyError::Random(e.to_string()))?;
        Signer::from_seed(name, ty, &seed)
    }

    /// Parses `PRIVATE+KEY+name+hash+base64(type || seed)`.
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        let text = text.trim();
        let bad = |reason: &str| KeyError::Malformed {
            what: "signer",
            reason: reason.to_string(),
        };
        let rest = text
            .strip_prefix("PRIVATE+KEY+")
            .ok_or_else(|| bad("does not start with PRIVATE+KEY+"))?;
        let mut parts = rest.splitn(3, '+');
        let name = parts.next().unwrap_or("");
        let hash = parts.next().ok_or_else(|| bad("expected name+hash+key"))?;
        let key = parts.next().ok_or_else(|| bad("expected name+hash+key"))?;
        check_name(name)?;
        let given =
            parse_hash(hash).ok_or_else(|| bad("key hash is not 8 lowercase hex digits"))?;
        let raw = B64
            .decode(key)
            .map_err(|e| bad(&format!("key is not base64: {e}")))?;
        let (&ty, seed) = raw.split_first().ok_or_else(|| bad("key is empty"))?;
        let ty = SigType::from_byte(ty)
            .ok_or_else(|| bad(&format!("unsupported signature type 0x{ty:02x}")))?;
        let seed: [u8; 32] = seed.try_into().map_err(|_| {
            bad(&format!(
                "Ed25519 seed has {} bytes, expected 32",
                seed.len()
            ))
        })?;
        let s = Signer::from_seed(name, ty, &seed)?;
        if s.id != given {
            return Err(KeyError::IdMismatch {
                given,
                expected: s.id,
            });
        }
        Ok(s)
    }

    /// The private key text `PRIVATE+KEY+name+hash+base64(type || seed)`.
    pub fn to_private_text(&self) -> String {
        let mut raw = vec![self.ty.byte()];
        raw.extend_from_slice(&self.key.to_bytes());
        format!(
            "PRIVATE+KEY+{}+{:08x}+{}",
            self.name,
            self.id,
            B64.encode(raw)
        )
    }

    /// The matching verifier.
    pub fn verifier(&self) -> Verifier {
        Verifier {
            name: self.name.clone(),
            id: self.id,
            ty: self.ty,
            key: self.key.verifying_key(),
        }
    }

    /// Key name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Key ID.
    pub fn id(&self) -> u32 {
        self.id
    }
    /// Signature type.
    pub fn sig_type(&self) -> SigType {
        self.ty
    }

    /// Signs a note text: the signature bytes after the key ID (64 bytes for Ed25519, 72 for a
    /// cosignature with `timestamp`, which is ignored for plain Ed25519).
    pub(crate) fn sign_raw(&self, text: &[u8], timestamp: u64) -> Vec<u8> {
        match self.ty {
            SigType::Ed25519 => self.key.sign(text).to_bytes().to_vec(),
            SigType::CosignatureV1 => {
                let msg = cosignature_message(timestamp, text);
                let mut out = timestamp.to_be_bytes().to_vec();
                out.extend_from_slice(&self.key.sign(&msg).to_bytes());
                out
            }
        }
    }
}
