//! truce-witness (skeleton: filled in by its owner).
