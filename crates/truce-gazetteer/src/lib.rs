//! truce-gazetteer (skeleton: filled in by its owner).
