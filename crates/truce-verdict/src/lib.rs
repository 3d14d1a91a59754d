//! truce-verdict (skeleton: filled in by its owner).
