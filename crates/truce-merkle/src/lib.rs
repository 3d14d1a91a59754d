//! RFC 6962 / RFC 9162 Merkle tree maths: leaf and node hashes, roots, inclusion and consistency
//! proofs (generation and verification), and a compact range (frontier) for appends.
//!
//! Invariant: this crate knows no storage, no IO, no formats; it sees hashes and sizes only.
//! Proofs are generated over a [`HashSource`] (hashes of complete subtrees at `(level, index)`),
//! so a caller can serve them from stored tiles in O(log n) reads.

use sha2::{Digest, Sha256};

mod proof;
mod range;

pub use proof::{
    ProofError, ProofGenError, consistency_proof, consistency_proof_len, inclusion_proof,
    inclusion_proof_len, range_root, root_from_consistency_proof, root_from_inclusion_proof,
    verify_consistency, verify_inclusion,
};
pub use range::{CompactRange, MemoryTree, MissingNode, RangeError};

/// A SHA-256 hash: a leaf hash, a node hash or a tree root.
pub type Hash = [u8; 32];

/// Size of a [`Hash`] in bytes.
pub const HASH_SIZE: usize = 32;

/// RFC 6962 leaf hash: SHA-256(0x00 || entry).
pub fn leaf_hash(entry: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(entry);
    h.finalize().into()
}

/// RFC 6962 interior node hash: SHA-256(0x01 || left || right).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut buf = [0u8; 65];
    buf[0] = 1;
    buf[1..33].copy_from_slice(left);
    buf[33..].copy_from_slice(right);
    Sha256::digest(buf).into()
}

/// Root of the empty tree: SHA-256 of the empty string.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// RFC 6962 Merkle tree hash (MTH) of a list of leaf hashes, in O(n) hashing.
pub fn root_from_leaf_hashes(leaves: &[Hash]) -> Hash {
    let mut range = CompactRange::new();
    for l in leaves {
        range.push(*l);
    }
    range.root()
}

/// Root of the subtree at the top of a complete tile-like block of `2^k` hashes (any length that
/// is a power of two works; other lengths follow the RFC 6962 split too).
pub fn root_of_hashes(hashes: &[Hash]) -> Hash {
    root_from_leaf_hashes(hashes)
}

/// A source of hashes of complete subtrees: `node(level, index)` is the root of the perfect
/// subtree covering leaves `[index << level, (index + 1) << level)`; level 0 is the leaf hashes.
/// Implementations are only asked for subtrees that lie entirely inside the tree being proven.
pub trait HashSource {
    /// The source's failure (a missing tile, a storage error...).
    type Error;
    /// The hash of the complete subtree at `(level, index)`.
    fn node(&self, level: u32, index: u64) -> Result<Hash, Self::Error>;
}

impl<S: HashSource + ?Sized> HashSource for &S {
    type Error = S::Error;
    fn node(&self, level: u32, index: u64) -> Result<Hash, Self::Error> {
        (**self).node(level, index)
    }
}

/// Hex of a hash (lowercase), for messages.
pub fn hex(h: &Hash) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(64);
    for b in h {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}
