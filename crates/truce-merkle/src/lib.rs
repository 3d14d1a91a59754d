//! truce-merkle (skeleton: filled in by its owner).
