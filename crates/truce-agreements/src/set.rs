//! A set of validated agreements with unique ids, in id order.

use crate::{Agreement, AgreementError, parse_agreement};

/// Validated agreements, sorted by id, ids unique.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgreementSet {
    agreements: Vec<Agreement>,
}

/// Why a set could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetError {
    #[error("{file}: id: duplicate agreement id {id:?} (also in {other})")]
    DuplicateId {
        id: String,
        file: String,
        other: String,
    },
}

impl AgreementSet {
    /// Builds a set; agreements with an id already taken are rejected (the first file, in file
    /// name order, keeps it) and reported.
    pub fn new(agreements: Vec<Agreement>) -> (AgreementSet, Vec<SetError>) {
        let mut agreements = agreements;
        agreements.sort_by(|a, b| (&a.id, &a.file).cmp(&(&b.id, &b.file)));
        let mut out: Vec<Agreement> = Vec::with_capacity(agreements.len());
        let mut errors = Vec::new();
        for a in agreements {
            match out.last() {
                Some(prev) if prev.id == a.id => errors.push(SetError::DuplicateId {
                    id: a.id.clone(),
                    file: a.file.clone(),
                    other: prev.file.clone(),
                }),
                _ => out.push(a),
            }
        }
        (AgreementSet { agreements: out }, errors)
    }

    /// Parses `(file name, text)` pairs; returns the valid agreements as a set and every error
    /// (parse errors of each file, then duplicate ids), so nothing valid is lost.
    pub fn parse_files<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (AgreementSet, Vec<AgreementError>) {
        let mut ok = Vec::new();
        let mut errors = Vec::new();
        for (name, text) in files {
            match parse_agreement(name, text) {
                Ok(a) => ok.push(a),
                Err(mut e) => errors.append(&mut e),
            }
        }
        let (set, dups) = AgreementSet::new(ok);
        for d in dups {
            let SetError::DuplicateId { id, file, other } = d;
            errors.push(AgreementError {
                file,
                line: 1,
                column: 1,
                field: "id".to_string(),
                message: format!("duplicate agreement id {id:?} (also in {other})"),
            });
        }
        (set, errors)
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Agreement> {
        self.agreements.iter()
    }

    pub fn as_slice(&self) -> &[Agreement] {
        &self.agreements
    }

    pub fn get(&self, id: &str) -> Option<&Agreement> {
        self.agreements
            .binary_search_by(|a| a.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.agreements[i])
    }

    pub fn len(&self) -> usize {
        self.agreements.len()
    }

    pub fn is_empty(&self) -> bool {
        self.agreements.is_empty()
    }
}

impl<'a> IntoIterator for &'a AgreementSet {
    type Item = &'a Agreement;
    type IntoIter = std::slice::Iter<'a, Agreement>;
    fn into_iter(self) -> Self::IntoIter {
        self.agreements.iter()
    }
}
