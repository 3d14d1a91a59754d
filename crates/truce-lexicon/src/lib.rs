//! truce-lexicon (skeleton: filled in by its owner).
