//! truce-tlog (skeleton: filled in by its owner).
