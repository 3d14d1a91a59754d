//! truce-coder (skeleton: filled in by its owner).
