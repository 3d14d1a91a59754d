//! truce-agreements (skeleton: filled in by its owner).
