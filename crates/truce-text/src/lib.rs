//! truce-text (skeleton: filled in by its owner).
