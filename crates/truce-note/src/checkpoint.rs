//! tlog-checkpoint note texts: origin, tree size, base64 root hash, extension lines.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use truce_merkle::Hash;

/// A checkpoint body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// Log identity (first line).
    pub origin: String,
    /// Tree size.
    pub size: u64,
    /// RFC 6962 root hash.
    pub root: Hash,
    /// Extension lines (opaque, non-empty).
    pub extensions: Vec<String>,
}

/// Why a checkpoint text is rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    /// A problem on one line.
    #[error("checkpoint line {line} ({field}): {reason}")]
    Line {
        /// 1-based line.
        line: usize,
        /// origin, size, root or extension.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// Structure.
    #[error("malformed checkpoint: {0}")]
    Malformed(String),
}

impl Checkpoint {
    /// Parses a checkpoint note text (the signed text, ending in a newline).
    pub fn parse(text: &str) -> Result<Checkpoint, CheckpointError> {
        let body = text
            .strip_suffix('\n')
            .ok_or_else(|| CheckpointError::Malformed("does not end with a newline".into()))?;
        let lines: Vec<&str> = body.split('\n').collect();
        if lines.len() < 3 {
            return Err(CheckpointError::Malformed(format!(
                "has {} lines, expected at least 3 (origin, size, root)",
                lines.len()
            )));
        }
        let err = |line, field, reason: String| CheckpointError::Line {
            line,
            field,
            reason,
        };
        let origin = lines[0];
        if origin.is_empty() {
            return Err(err(1, "origin", "empty".into()));
        }
        let size_s = lines[1];
        if size_s.is_empty()
            || !size_s.bytes().all(|b| b.is_ascii_digit())
            || (size_s.len() > 1 && size_s.starts_with('0'))
        {
            return Err(err(
                2,
                "size",
                format!("{size_s:?} is not a decimal number without leading zeroes"),
            ));
        }
        let size: u64 = size_s
            .parse()
            .map_err(|_| err(2, "size", format!("{size_s:?} does not fit in 64 bits")))?;
        let raw = B64
            .decode(lines[2])
            .map_err(|e| err(3, "root", format!("not base64: {e}")))?;
        let root: Hash = raw
            .as_slice()
            .try_into()
            .map_err(|_| err(3, "root", format!("{} bytes, expected 32", raw.len())))?;
        let mut extensions = Vec::new();
        for (i, l) in lines[3..].iter().enumerate() {
            if l.is_empty() {
                return Err(err(4 + i, "extension", "empty line".into()));
            }
            extensions.push((*l).to_string());
        }
        Ok(Checkpoint {
            origin: origin.to_string(),
            size,
            root,
            extensions,
        })
    }

    /// The note text.
    pub fn to_text(&self) -> String {
        let mut s = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            B64.encode(self.root)
        );
        for e in &self.extensions {
            s.push_str(e);
            s.push('\n');
        }
        s
    }
}
