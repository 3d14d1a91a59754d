//! truce-store (skeleton: filled in by its owner).
