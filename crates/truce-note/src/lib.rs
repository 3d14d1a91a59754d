//! truce-note (skeleton: filled in by its owner).
