//! truce-server (skeleton: filled in by its owner).
