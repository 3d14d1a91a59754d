//! truce-merkle: public RFC 6962 vectors, decided edge cases, and property tests against an
//! independent implementation (the `ct-merkle` crate).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use proptest::prelude::*;
use truce_merkle::*;

mod vectors {
    use super::*;
    use std::path::{Path, PathBuf};

    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Inclusion {
        leaf_idx: u64,
        tree_size: u64,
        root: String,
        leaf_hash: String,
        proof: Option<Vec<String>>,
        want_err: bool,
    }

    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Consistency {
        size1: u64,
        size2: u64,
        root1: String,
        root2: String,
        proof: Option<Vec<String>>,
        want_err: bool,
    }

    /// Decodes a base64 hash; anything not 32 bytes is an input error (as it is on the wire).
    fn hash(s: &str) -> Result<Hash, String> {
        let raw = B64.decode(s).map_err(|e| e.to_string())?;
        raw.try_into().map_err(|_| "not 32 bytes".to_string())
    }

    /// Some consistency vectors use short "don't care" strings as roots; map a root that is not
    /// 32 bytes to a 32-byte stand-in (its SHA-256), so equal placeholders stay equal.
    fn root_or_placeholder(s: &str) -> Result<Hash, String> {
        let raw = B64.decode(s).map_err(|e| e.to_string())?;
        Ok(match <[u8; 32]>::try_from(raw.as_slice()) {
            Ok(h) => h,
            Err(_) => leaf_hash(&raw),
        })
    }

    fn hashes(v: &Option<Vec<String>>) -> Result<Vec<Hash>, String> {
        v.iter().flatten().map(|s| hash(s)).collect()
    }

    fn files(dir: &str) -> Vec<PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/vectors")
            .join(dir);
        let mut out = Vec::new();
        let mut stack = vec![root];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "json") {
                    out.push(p);
                }
            }
        }
        out.sort();
        out
    }

    fn check_inclusion(path: &Path) -> Result<(), String> {
        let v: Inclusion = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        let got = (|| {
            let root = hash(&v.root)?;
            let leaf = hash(&v.leaf_hash)?;
            let proof = hashes(&v.proof)?;
            verify_inclusion(v.leaf_idx, v.tree_size, &leaf, &proof, &root)
                .map_err(|e| e.to_string())
        })();
        match (v.want_err, got) {
            (false, Err(e)) => Err(format!("{}: unexpected error {e}", path.display())),
            (true, Ok(())) => Err(format!("{}: accepted a bad proof", path.display())),
            _ => Ok(()),
        }
    }

    /// The one vector where truce decides differently (see tests/vectors/SOURCE.md).
    const ACCEPT_FROM_EMPTY: &str = "size1-is-zero-and-size2-is-not-zero.json";

    fn check_consistency(path: &Path) -> Result<(), String> {
        let v: Consistency = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        let got = (|| {
            let r1 = root_or_placeholder(&v.root1)?;
            let r2 = root_or_placeholder(&v.root2)?;
            let proof = hashes(&v.proof)?;
            verify_consistency(v.size1, v.size2, &proof, &r1, &r2).map_err(|e| e.to_string())
        })();
        let want_err = if path.ends_with(ACCEPT_FROM_EMPTY) {
            assert!(v.want_err && v.size1 == 0, "the deviating vector changed");
            false
        } else {
            v.want_err
        };
        match (want_err, got) {
            (false, Err(e)) => Err(format!("{}: unexpected error {e}", path.display())),
            (true, Ok(())) => Err(format!("{}: accepted a bad proof", path.display())),
            _ => Ok(()),
        }
    }

    #[test]
    fn inclusion_vectors() {
        let files = files("inclusion");
        assert!(files.len() > 90, "vectors missing: {}", files.len());
        let errs: Vec<String> = files
            .iter()
            .filter_map(|p| check_inclusion(p).err())
            .collect();
        assert!(errs.is_empty(), "{}", errs.join("\n"));
    }

    #[test]
    fn consistency_vectors() {
        let files = files("consistency");
        assert!(files.len() > 90, "vectors missing: {}", files.len());
        let errs: Vec<String> = files
            .iter()
            .filter_map(|p| check_consistency(p).err())
            .collect();
        assert!(errs.is_empty(), "{}", errs.join("\n"));
    }

    /// The eight-leaf tree of RFC 6962's reference tests (leaves from transparency-dev's
    /// testonly data): its roots at every size.
    #[test]
    fn reference_roots() {
        let leaves: [&[u8]; 8] = [
            b"",
            b"\x00",
            b"\x10",
            b"\x20\x21",
            b"\x30\x31",
            b"\x40\x41\x42\x43",
            b"\x50\x51\x52\x53\x54\x55\x56\x57",
            b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
        ];
        let roots = [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
        ];
        let mut tree = MemoryTree::new();
        for (leaf, want) in leaves.iter().zip(roots) {
            tree.push(leaf_hash(leaf));
            assert_eq!(hex(&tree.root()), want, "root at size {}", tree.size());
        }
        assert_eq!(
            hex(&empty_root()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}

mod edges {
    use super::*;

    fn tree(n: u64) -> MemoryTree {
        let mut t = MemoryTree::new();
        for i in 0..n {
            t.push(leaf_hash(&i.to_be_bytes()));
        }
        t
    }

    /// One case: an inclusion check and the error it must give (None = must verify).
    fn check_incl(index: u64, size: u64, proof: &[Hash], root: &Hash, want: Option<&str>) {
        let leaf = leaf_hash(&index.to_be_bytes());
        let got = verify_inclusion(index, size, &leaf, proof, root);
        match (want, got) {
            (None, Ok(())) => {}
            (Some(w), Err(e)) => assert!(e.to_string().contains(w), "{e} lacks {w:?}"),
            (w, g) => panic!("index {index} size {size}: want {w:?}, got {g:?}"),
        }
    }

    #[test]
    fn inclusion_edge_cases() {
        let t = tree(13);
        let root = t.root();
        let p = inclusion_proof(&t, 5, 13).unwrap();
        check_incl(5, 13, &p, &root, None);
        // index >= size, empty tree
        check_incl(13, 13, &p, &root, Some("out of range"));
        check_incl(0, 0, &[], &empty_root(), Some("out of range"));
        // a hash more, a hash less
        let mut longer = p.clone();
        longer.push([0; 32]);
        check_incl(5, 13, &longer, &root, Some("expected"));
        check_incl(5, 13, &p[..p.len() - 1], &root, Some("expected"));
        // wrong size (same length proof, other shape) and wrong index
        // (a proof fits every size giving the same left/right shape; other sizes fail)
        check_incl(5, 7, &p, &root, Some("expected"));
        check_incl(5, 16, &p, &root, None);
        check_incl(4, 13, &p, &root, Some("does not match"));
        // single-leaf tree: empty proof, root = leaf
        let t1 = tree(1);
        check_incl(0, 1, &[], &t1.root(), None);
        // generation edge cases
        assert!(matches!(
            inclusion_proof(&t, 13, 13),
            Err(ProofGenError::IndexOutOfRange { .. })
        ));
        assert!(matches!(
            inclusion_proof(&t, 0, 0),
            Err(ProofGenError::IndexOutOfRange { .. })
        ));
    }

    fn check_cons(old: u64, new: u64, proof: &[Hash], r1: &Hash, r2: &Hash, want: Option<&str>) {
        match (want, verify_consistency(old, new, proof, r1, r2)) {
            (None, Ok(())) => {}
            (Some(w), Err(e)) => assert!(e.to_string().contains(w), "{e} lacks {w:?}"),
            (w, g) => panic!("{old}->{new}: want {w:?}, got {g:?}"),
        }
    }

    #[test]
    fn consistency_edge_cases() {
        let t = tree(21);
        let r = |n| t.root_at(n).unwrap();
        let p = consistency_proof(&t, 7, 21).unwrap();
        check_cons(7, 21, &p, &r(7), &r(21), None);
        // m = n: empty proof, equal roots
        check_cons(9, 9, &[], &r(9), &r(9), None);
        check_cons(9, 9, &[], &r(9), &r(8), Some("different roots"));
        check_cons(9, 9, &p, &r(9), &r(9), Some("expected 0"));
        // m = 0: the empty tree is a prefix of every tree
        check_cons(0, 21, &[], &empty_root(), &r(21), None);
        check_cons(0, 21, &[], &r(3), &r(21), Some("old root"));
        check_cons(0, 21, &p, &empty_root(), &r(21), Some("expected 0"));
        check_cons(0, 0, &[], &empty_root(), &empty_root(), None);
        check_cons(0, 0, &[], &empty_root(), &r(1), Some("different roots"));
        // m > n
        check_cons(21, 7, &p, &r(21), &r(7), Some("larger"));
        // extra or missing hashes
        let mut longer = p.clone();
        longer.push([1; 32]);
        check_cons(7, 21, &longer, &r(7), &r(21), Some("expected"));
        check_cons(7, 21, &p[1..], &r(7), &r(21), Some("expected"));
        // wrong roots
        check_cons(7, 21, &p, &r(6), &r(21), Some("old root"));
        check_cons(7, 21, &p, &r(7), &r(20), Some("does not match"));
        // power-of-two old size omits the old root from the proof
        let p8 = consistency_proof(&t, 8, 21).unwrap();
        assert_eq!(p8.len(), consistency_proof_len(8, 21).unwrap());
        check_cons(8, 21, &p8, &r(8), &r(21), None);
        assert!(matches!(
            consistency_proof(&t, 22, 21),
            Err(ProofGenError::SizeOrder { .. })
        ));
    }

    #[test]
    fn compact_range_subtrees() {
        let t = tree(300);
        let mut r = CompactRange::new();
        r.push_subtree(8, t.get(8, 0).unwrap()).unwrap();
        assert!(matches!(
            r.push_subtree(9, [0; 32]),
            Err(RangeError::Misaligned { .. })
        ));
        for i in 256..300u64 {
            r.push(leaf_hash(&i.to_be_bytes()));
        }
        assert_eq!(r.root(), t.root());
        assert_eq!(r.size(), 300);
        assert_eq!(CompactRange::new().root(), empty_root());
    }

    #[test]
    fn range_root_rejects_unaligned_ranges() {
        let t = tree(16);
        assert!(range_root(&t, 3, 7).is_err());
        assert!(range_root(&t, 7, 3).is_err());
        assert_eq!(range_root(&t, 8, 16).unwrap(), t.get(3, 1).unwrap());
        assert_eq!(range_root(&t, 0, 0).unwrap(), empty_root());
    }
}

/// Property tests: truce's tree and proofs against `ct-merkle`, an independent RFC 6962
/// implementation.
mod independent {
    use super::*;
    use ct_merkle::mem_backed_tree::MemoryBackedTree;
    use ct_merkle::{ConsistencyProof, InclusionProof, RootHash};
    use sha2::Sha256;

    fn build(n: usize) -> (MemoryTree, MemoryBackedTree<Sha256, Vec<u8>>) {
        let mut ours = MemoryTree::new();
        let mut theirs = MemoryBackedTree::<Sha256, Vec<u8>>::new();
        for i in 0..n {
            let e = format!("entry {i}").into_bytes();
            ours.push(leaf_hash(&e));
            theirs.push(e);
        }
        (ours, theirs)
    }

    fn digests(p: &[Hash]) -> Vec<sha2::digest::Output<Sha256>> {
        p.iter().map(|h| (*h).into()).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn roots_and_proofs_agree(n in 1usize..600, a in 0usize..600, b in 0usize..600) {
            let (ours, theirs) = build(n);
            let root: Hash = (*theirs.root().as_bytes()).into();
            prop_assert_eq!(ours.root(), root);

            let idx = a % n;
            let proof = inclusion_proof(&ours, idx as u64, n as u64).unwrap();
            let theirs_proof = InclusionProof::<Sha256>::from_digests(digests(&proof).iter());
            let entry = format!("entry {idx}").into_bytes();
            prop_assert!(theirs.root().verify_inclusion(&entry, idx as u64, &theirs_proof).is_ok());
            let theirs_incl = theirs.prove_inclusion(idx);
            prop_assert_eq!(theirs_incl.as_bytes().to_vec(), proof.concat());

            let old = 1 + b % n;
            let cproof = consistency_proof(&ours, old as u64, n as u64).unwrap();
            let (old_ours, old_theirs) = build(old);
            let old_root = RootHash::<Sha256>::new(*old_theirs.root().as_bytes(), old as u64);
            let theirs_c = ConsistencyProof::<Sha256>::from_digests(digests(&cproof).iter());
            prop_assert!(theirs.root().verify_consistency(&old_root, &theirs_c).is_ok());
            let theirs_cons = theirs.prove_consistency(n - old);
            prop_assert_eq!(theirs_cons.as_bytes().to_vec(), cproof.concat());
            prop_assert!(
                verify_consistency(old as u64, n as u64, &cproof, &old_ours.root(), &ours.root()).is_ok()
            );
        }

        #[test]
        fn random_proofs_never_panic(
            idx in any::<u64>(), size in any::<u64>(), n in 0usize..70,
            old in any::<u64>(), seed in any::<u8>(),
        ) {
            let proof: Vec<Hash> = (0..n).map(|i| [seed.wrapping_add(i as u8); 32]).collect();
            let _ = verify_inclusion(idx, size, &[seed; 32], &proof, &[0; 32]);
            let _ = verify_consistency(old, size, &proof, &[seed; 32], &[0; 32]);
            let _ = inclusion_proof_len(idx, size);
            let _ = consistency_proof_len(old, size);
        }
    }
}
