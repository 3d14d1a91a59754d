//! Shared helpers: loading agreements from directories.

use std::path::{Path, PathBuf};

use truce_agreements::AgreementSet;

pub fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn examples_dir() -> PathBuf {
    manifest().join("../../examples/agreements")
}

/// Parses every `*.toml` of the directories into one set; panics on any error.
pub fn load(dirs: &[PathBuf]) -> AgreementSet {
    let mut files = Vec::new();
    for d in dirs {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "toml") {
                let name = p.file_name().unwrap().to_string_lossy().to_string();
                files.push((name, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    let (set, errors) =
        AgreementSet::parse_files(files.iter().map(|(n, t)| (n.as_str(), t.as_str())));
    assert!(errors.is_empty(), "{errors:#?}");
    set
}

pub fn date(s: &str) -> truce_model::NaiveDate {
    truce_model::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}
