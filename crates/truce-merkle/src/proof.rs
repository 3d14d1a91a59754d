//! Inclusion and consistency proofs: generation over a [`HashSource`] and verification
//! (RFC 9162 §2.1.3 and §2.1.4).
//!
//! Edge cases, decided:
//! - inclusion: `index >= size` is an error (so is any proof in an empty tree); the proof must
//!   have exactly the RFC length, neither a hash more nor less.
//! - consistency: `old > new` is an error; `old == new` needs an empty proof and equal roots;
//!   `old == 0` needs an empty proof and the old root must be the empty-tree root (the only tree
//!   of size 0), any new root is consistent with it; otherwise the proof must have exactly the
//!   RFC length.

use crate::{Hash, HashSource, empty_root, hex, node_hash};

/// Why a proof does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    /// The leaf index is not inside the tree.
    #[error("leaf index {index} is out of range for tree size {size}")]
    IndexOutOfRange {
        /// Leaf index.
        index: u64,
        /// Tree size.
        size: u64,
    },
    /// The old size exceeds the new size.
    #[error("old tree size {old} is larger than new tree size {new}")]
    SizeOrder {
        /// Old size.
        old: u64,
        /// New size.
        new: u64,
    },
    /// The proof has too many or too few hashes.
    #[error("proof has {got} hashes, expected {expected}")]
    WrongLength {
        /// Expected number of hashes.
        expected: usize,
        /// Number given.
        got: usize,
    },
    /// The recomputed root differs from the expected one.
    #[error("computed root {} does not match expected root {}", hex(.computed), hex(.expected))]
    RootMismatch {
        /// Root recomputed from the proof.
        computed: Hash,
        /// Root claimed.
        expected: Hash,
    },
    /// The old root recomputed from a consistency proof differs from the old root given.
    #[error("computed old root {} does not match old root {}", hex(.computed), hex(.expected))]
    OldRootMismatch {
        /// Old root recomputed from the proof.
        computed: Hash,
        /// Old root claimed.
        expected: Hash,
    },
    /// Equal sizes but different roots: two histories.
    #[error("trees of equal size {size} have different roots")]
    EqualSizeRootsDiffer {
        /// The shared size.
        size: u64,
    },
}

/// Why a proof could not be generated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofGenError<E> {
    /// The leaf index is not inside the tree.
    #[error("leaf index {index} is out of range for tree size {size}")]
    IndexOutOfRange {
        /// Leaf index.
        index: u64,
        /// Tree size.
        size: u64,
    },
    /// The old size exceeds the new size.
    #[error("old tree size {old} is larger than new tree size {new}")]
    SizeOrder {
        /// Old size.
        old: u64,
        /// New size.
        new: u64,
    },
    /// A range that is not a subtree of an RFC 6962 tree.
    #[error("range [{begin}, {end}) is not a subtree of a Merkle tree")]
    BadRange {
        /// First leaf.
        begin: u64,
        /// One past the last leaf.
        end: u64,
    },
    /// The hash source failed.
    #[error("hash source: {0}")]
    Source(E),
}

fn decomp(index: u64, size: u64) -> (usize, usize) {
    // Number of levels where the paths to `index` and to `size - 1` differ, then the number of
    // left siblings above them.
    let inner = (64 - (index ^ (size - 1)).leading_zeros()) as usize;
    let border = if inner >= 64 {
        0
    } else {
        (index >> inner).count_ones() as usize
    };
    (inner, border)
}

/// Number of hashes in an inclusion proof of `index` in a tree of `size` (None if out of range).
pub fn inclusion_proof_len(index: u64, size: u64) -> Option<usize> {
    if index >= size {
        return None;
    }
    let (inner, border) = decomp(index, size);
    Some(inner + border)
}

/// Number of hashes in a consistency proof from `old` to `new` (None if `old > new`).
pub fn consistency_proof_len(old: u64, new: u64) -> Option<usize> {
    if old > new {
        return None;
    }
    if old == 0 || old == new {
        return Some(0);
    }
    let (inner, border) = decomp(old - 1, new);
    let shift = old.trailing_zeros() as usize;
    let seed = usize::from(old != 1u64 << shift);
    Some(inner - shift + border + seed)
}

/// Root of the leaves `[begin, end)` of a tree, from complete subtrees. `begin` must be 0 or a
/// multiple of the smallest power of two at least `end - begin` (so the range is an RFC 6962
/// subtree, possibly ragged on the right).
pub fn range_root<S: HashSource>(
    src: &S,
    begin: u64,
    end: u64,
) -> Result<Hash, ProofGenError<S::Error>> {
    if end < begin {
        return Err(ProofGenError::BadRange { begin, end });
    }
    let len = end - begin;
    if len == 0 {
        return if begin == 0 {
            Ok(empty_root())
        } else {
            Err(ProofGenError::BadRange { begin, end })
        };
    }
    if begin != 0 {
        let width = len.checked_next_power_of_two().unwrap_or(0);
        if width == 0 || !begin.is_multiple_of(width) {
            return Err(ProofGenError::BadRange { begin, end });
        }
    }
    let mut nodes: Vec<Hash> = Vec::with_capacity(64);
    let mut pos = begin;
    while pos < end {
        let rest = end - pos;
        let mut level = 63 - rest.leading_zeros();
        if pos != 0 {
            level = level.min(pos.trailing_zeros());
        }
        nodes.push(
            src.node(level, pos >> level)
                .map_err(ProofGenError::Source)?,
        );
        pos += 1u64 << level;
    }
    let mut root = nodes.pop().unwrap_or_else(empty_root);
    while let Some(left) = nodes.pop() {
        root = node_hash(&left, &root);
    }
    Ok(root)
}

/// Audit path of the complete node `(level, index)` inside a tree of `size` leaves.
fn path<S: HashSource>(
    src: &S,
    level: u32,
    index: u64,
    size: u64,
) -> Result<Vec<Hash>, ProofGenError<S::Error>> {
    let last = (size - 1) >> level;
    let (inner, border) = decomp(index, last + 1);
    let mut out = Vec::with_capacity(inner + border);
    for k in 0..inner as u32 {
        let l = level + k;
        let sib = (index >> k) ^ 1;
        let begin = u128::from(sib) << l;
        let end = (u128::from(sib) + 1) << l;
        if end <= u128::from(size) {
            out.push(src.node(l, sib).map_err(ProofGenError::Source)?);
        } else {
            // The sibling holding the last leaf may be ragged: fold it from complete subtrees.
            let begin = u64::try_from(begin).map_err(|_| ProofGenError::BadRange {
                begin: u64::MAX,
                end: size,
            })?;
            out.push(range_root(src, begin, size)?);
        }
    }
    let mut node = if inner >= 64 { 0 } else { index >> inner };
    let mut k = inner as u32;
    while node != 0 {
        if node & 1 == 1 {
            out.push(
                src.node(level + k, node ^ 1)
                    .map_err(ProofGenError::Source)?,
            );
        }
        node >>= 1;
        k += 1;
    }
    Ok(out)
}

/// RFC 9162 inclusion proof of leaf `index` in the tree of the first `size` leaves.
pub fn inclusion_proof<S: HashSource>(
    src: &S,
    index: u64,
    size: u64,
) -> Result<Vec<Hash>, ProofGenError<S::Error>> {
    if index >= size {
        return Err(ProofGenError::IndexOutOfRange { index, size });
    }
    path(src, 0, index, size)
}

/// RFC 9162 consistency proof from the tree of `old` leaves to the tree of `new` leaves.
/// Empty when `old == 0` or `old == new`.
pub fn consistency_proof<S: HashSource>(
    src: &S,
    old: u64,
    new: u64,
) -> Result<Vec<Hash>, ProofGenError<S::Error>> {
    if old > new {
        return Err(ProofGenError::SizeOrder { old, new });
    }
    if old == 0 || old == new {
        return Ok(Vec::new());
    }
    // The largest complete subtree ending at `old`, then its audit path in `new`.
    let shift = old.trailing_zeros();
    let index = (old - 1) >> shift;
    let mut out = Vec::new();
    if index != 0 {
        out.push(src.node(shift, index).map_err(ProofGenError::Source)?);
    }
    out.extend(path(src, shift, index, new)?);
    Ok(out)
}

/// Recomputes the root from an inclusion proof (RFC 9162 §2.1.3.2).
pub fn root_from_inclusion_proof(
    index: u64,
    size: u64,
    leaf: &Hash,
    proof: &[Hash],
) -> Result<Hash, ProofError> {
    let expected =
        inclusion_proof_len(index, size).ok_or(ProofError::IndexOutOfRange { index, size })?;
    if proof.len() != expected {
        return Err(ProofError::WrongLength {
            expected,
            got: proof.len(),
        });
    }
    let mut fnode = index;
    let mut snode = size - 1;
    let mut r = *leaf;
    for p in proof {
        if fnode & 1 == 1 || fnode == snode {
            r = node_hash(p, &r);
            while fnode & 1 == 0 && fnode != 0 {
                fnode >>= 1;
                snode >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    Ok(r)
}

/// Verifies that `leaf` is at `index` in the tree of `size` leaves with `root`.
pub fn verify_inclusion(
    index: u64,
    size: u64,
    leaf: &Hash,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), ProofError> {
    let computed = root_from_inclusion_proof(index, size, leaf, proof)?;
    if &computed != root {
        return Err(ProofError::RootMismatch {
            computed,
            expected: *root,
        });
    }
    Ok(())
}

/// Recomputes the new root from a consistency proof and checks it against the old root
/// (RFC 9162 §2.1.4.2). Returns the new root.
pub fn root_from_consistency_proof(
    old: u64,
    new: u64,
    proof: &[Hash],
    old_root: &Hash,
) -> Result<Hash, ProofError> {
    let expected = consistency_proof_len(old, new).ok_or(ProofError::SizeOrder { old, new })?;
    if proof.len() != expected {
        return Err(ProofError::WrongLength {
            expected,
            got: proof.len(),
        });
    }
    if old == 0 || old == new {
        // Nothing to recompute: the caller compares roots.
        return Ok(*old_root);
    }
    let seeded;
    let proof: &[Hash] = if old.is_power_of_two() {
        let mut v = Vec::with_capacity(proof.len() + 1);
        v.push(*old_root);
        v.extend_from_slice(proof);
        seeded = v;
        &seeded
    } else {
        proof
    };
    let mut fnode = old - 1;
    let mut snode = new - 1;
    while fnode & 1 == 1 {
        fnode >>= 1;
        snode >>= 1;
    }
    let (first, rest) = proof.split_first().ok_or(ProofError::WrongLength {
        expected: 1,
        got: 0,
    })?;
    let mut fr = *first;
    let mut sr = *first;
    for c in rest {
        if fnode & 1 == 1 || fnode == snode {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while fnode & 1 == 0 && fnode != 0 {
                fnode >>= 1;
                snode >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    if &fr != old_root {
        return Err(ProofError::OldRootMismatch {
            computed: fr,
            expected: *old_root,
        });
    }
    Ok(sr)
}

/// Verifies that the tree of `new` leaves with `new_root` extends the tree of `old` leaves with
/// `old_root`.
pub fn verify_consistency(
    old: u64,
    new: u64,
    proof: &[Hash],
    old_root: &Hash,
    new_root: &Hash,
) -> Result<(), ProofError> {
    let computed = root_from_consistency_proof(old, new, proof, old_root)?;
    if old == 0 {
        let empty = empty_root();
        if old_root != &empty {
            return Err(ProofError::OldRootMismatch {
                computed: empty,
                expected: *old_root,
            });
        }
    }
    if old == new {
        if old_root != new_root {
            return Err(ProofError::EqualSizeRootsDiffer { size: old });
        }
        return Ok(());
    }
    if old == 0 {
        return Ok(());
    }
    if &computed != new_root {
        return Err(ProofError::RootMismatch {
            computed,
            expected: *new_root,
        });
    }
    Ok(())
}
